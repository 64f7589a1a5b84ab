import { Label, LabelGroup, Tooltip } from "@patternfly/react-core";
import { useTranslation } from "react-i18next";
import { LABEL_COLORS, STATUS_COLORS } from "../common/format";
import { columnKey, type ColumnLabels } from "./labels";

export const StatusLabel = ({ status }: { status: string }) => {
  const { t } = useTranslation();
  return (
    <Label color={STATUS_COLORS[status] ?? "grey"} data-testid="jit-status">
      {t(`jitStatus_${status}`, status)}
    </Label>
  );
};

/** The requested columns with their sensitivity labels (PII, PCI...) and descriptions. */
export const ColumnList = ({ datasource, columns, labels }: { datasource: string; columns: string[]; labels: ColumnLabels }) => (
  <LabelGroup numLabels={5} isVertical data-testid="jit-columns">
    {columns.map((c) => {
      const info = labels.get(columnKey(datasource, c));
      const label = (
        <Label key={c} isCompact color={info?.label ? (LABEL_COLORS[info.label] ?? "grey") : "grey"}>
          {c}
          {info?.label ? ` · ${info.label}` : ""}
        </Label>
      );
      return info?.description ? (
        <Tooltip key={c} content={info.description}>
          {label}
        </Tooltip>
      ) : (
        label
      );
    })}
  </LabelGroup>
);
