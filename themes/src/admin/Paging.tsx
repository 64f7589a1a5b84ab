import { Button, ToolbarItem } from "@patternfly/react-core";
import { AngleLeftIcon, AngleRightIcon } from "@patternfly/react-icons";
import { useTranslation } from "react-i18next";

/** Rows per page of the consoles' lists. */
export const PAGE_SIZE = 20;

/**
 * The API's lists page with first/max and give no total: a page asks for one row more than it shows, and that row
 * tells whether a next page exists.
 */
export function pageQuery(first: number) {
  return `first=${first}&max=${PAGE_SIZE + 1}`;
}

export function pageOf<T>(rows: T[]) {
  return { rows: rows.slice(0, PAGE_SIZE), hasNext: rows.length > PAGE_SIZE };
}

/** "21 - 40" with previous and next, for a toolbar. */
export const PageNav = ({ first, shown, hasNext, onFirst }: {
  first: number;
  shown: number;
  hasNext: boolean;
  onFirst: (first: number) => void;
}) => {
  const { t } = useTranslation();
  if (first === 0 && !hasNext) {
    return null;
  }
  return (
    <ToolbarItem variant="pagination" data-testid="jit-page-nav">
      <span className="pf-v5-u-mr-sm" data-testid="jit-page-range">
        {t("jitPageRange", { from: shown === 0 ? first : first + 1, to: first + shown })}
      </span>
      <Button variant="plain" aria-label={t("jitPreviousPage")} isDisabled={first === 0}
              onClick={() => onFirst(Math.max(0, first - PAGE_SIZE))} data-testid="jit-page-previous">
        <AngleLeftIcon />
      </Button>
      <Button variant="plain" aria-label={t("jitNextPage")} isDisabled={!hasNext}
              onClick={() => onFirst(first + PAGE_SIZE)} data-testid="jit-page-next">
        <AngleRightIcon />
      </Button>
    </ToolbarItem>
  );
};
