import { Button, EmptyState, EmptyStateBody, Label, LabelGroup } from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime, formatRemaining } from "../common/format";
import type { Grant } from "../common/model";
import { useNow } from "../common/useNow";

type Props = {
  grants: Grant[];
  onExtend: (grant: Grant) => void;
  onToken: (datasource: string) => void;
  onExpired: () => void;
};

export const ActiveGrants = ({ grants, onExtend, onToken, onExpired }: Props) => {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const anyJustExpired = grants.some((g) => {
    const left = Date.parse(g.expiresAt) - now;
    return left <= 0 && left > -1500;
  });
  useEffect(() => {
    if (anyJustExpired) onExpired();
  }, [anyJustExpired, onExpired]);

  if (grants.length === 0) {
    return (
      <EmptyState variant="sm" data-testid="jit-grants-empty">
        <EmptyStateBody>{t("jitNoGrants")}</EmptyStateBody>
      </EmptyState>
    );
  }
  return (
    <Table aria-label={t("jitActiveGrants")} variant="compact" data-testid="jit-grants">
      <Thead>
        <Tr>
          <Th>{t("jitDatasource")}</Th>
          <Th>{t("jitColumns")}</Th>
          <Th>{t("jitExpiresAt")}</Th>
          <Th>{t("jitTimeLeft")}</Th>
          <Th screenReaderText={t("jitActions")} />
        </Tr>
      </Thead>
      <Tbody>
        {grants.map((g) => {
          const left = Date.parse(g.expiresAt) - now;
          return (
            <Tr key={g.id} data-testid={`jit-grant-${g.id}`}>
              <Td dataLabel={t("jitDatasource")}>{g.datasource}</Td>
              <Td dataLabel={t("jitColumns")}>
                <LabelGroup numLabels={4}>
                  {g.columns.map((c) => (
                    <Label key={c} isCompact color="green">
                      {c}
                    </Label>
                  ))}
                </LabelGroup>
              </Td>
              <Td dataLabel={t("jitExpiresAt")}>{formatDateTime(g.expiresAt, i18n.language)}</Td>
              <Td dataLabel={t("jitTimeLeft")}>
                <span data-testid="jit-countdown" className={left < 5 * 60000 ? "pf-v5-u-danger-color-100" : undefined}>
                  {left > 0 ? formatRemaining(left) : t("jitExpired")}
                </span>
              </Td>
              <Td isActionCell modifier="nowrap">
                <Button variant="primary" size="sm" onClick={() => onToken(g.datasource)} data-testid="jit-get-token" isDisabled={left <= 0}>
                  {t("jitGetToken")}
                </Button>{" "}
                <Button variant="secondary" size="sm" onClick={() => onExtend(g)} data-testid="jit-extend" isDisabled={left <= 0}>
                  {t("jitExtend")}
                </Button>
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};
