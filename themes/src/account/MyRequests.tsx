import {
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  EmptyState,
  EmptyStateBody,
  Label,
  LabelGroup,
  List,
  ListItem,
} from "@patternfly/react-core";
import { ExpandableRowContent, Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime, STATUS_COLORS } from "../common/format";
import type { AccessRequest } from "../common/model";

type Props = {
  requests: AccessRequest[];
  onCancel: (request: AccessRequest) => void;
};

export const StatusLabel = ({ status }: { status: string }) => {
  const { t } = useTranslation();
  return (
    <Label color={STATUS_COLORS[status] ?? "grey"} data-testid="jit-status">
      {t(`jitStatus_${status}`, status)}
    </Label>
  );
};

export const MyRequests = ({ requests, onCancel }: Props) => {
  const { t, i18n } = useTranslation();
  const [expanded, setExpanded] = useState<string[]>([]);

  if (requests.length === 0) {
    return (
      <EmptyState variant="sm" data-testid="jit-requests-empty">
        <EmptyStateBody>{t("jitNoRequests")}</EmptyStateBody>
      </EmptyState>
    );
  }

  const sorted = [...requests].sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
  return (
    <Table aria-label={t("jitMyRequests")} variant="compact" data-testid="jit-requests">
      <Thead>
        <Tr>
          <Th screenReaderText={t("jitDetails")} />
          <Th>{t("jitCreated")}</Th>
          <Th>{t("jitDatasource")}</Th>
          <Th>{t("jitColumns")}</Th>
          <Th>{t("jitDuration")}</Th>
          <Th>{t("jitStatus")}</Th>
          <Th>{t("jitCurrentStage")}</Th>
          <Th screenReaderText={t("jitActions")} />
        </Tr>
      </Thead>
      {sorted.map((r, index) => {
        const isExpanded = expanded.includes(r.id);
        return (
          <Tbody key={r.id} isExpanded={isExpanded}>
            <Tr data-testid={`jit-request-${r.id}`}>
              <Td
                expand={{
                  rowIndex: index,
                  isExpanded,
                  onToggle: () =>
                    setExpanded((e) => (isExpanded ? e.filter((x) => x !== r.id) : [...e, r.id])),
                }}
              />
              <Td dataLabel={t("jitCreated")}>{formatDateTime(r.createdAt, i18n.language)}</Td>
              <Td dataLabel={t("jitDatasource")}>{r.datasource}</Td>
              <Td dataLabel={t("jitColumns")}>
                <LabelGroup numLabels={4}>
                  {r.columns.map((c) => (
                    <Label key={c} isCompact>
                      {c}
                    </Label>
                  ))}
                </LabelGroup>
              </Td>
              <Td dataLabel={t("jitDuration")}>{t("jitMinutesValue", { count: r.durationMinutes })}</Td>
              <Td dataLabel={t("jitStatus")}>
                <StatusLabel status={r.status} />
                {r.breakGlass && (
                  <Label color="red" isCompact className="pf-v5-u-ml-xs">
                    {t("jitBreakGlass")}
                  </Label>
                )}
              </Td>
              <Td dataLabel={t("jitCurrentStage")}>{r.status === "PENDING" ? (r.currentStage ?? "") : ""}</Td>
              <Td isActionCell>
                {r.status === "PENDING" && (
                  <Button variant="secondary" isDanger size="sm" onClick={() => onCancel(r)} data-testid="jit-cancel">
                    {t("jitCancel")}
                  </Button>
                )}
              </Td>
            </Tr>
            <Tr isExpanded={isExpanded}>
              <Td colSpan={8}>
                <ExpandableRowContent>
                  <DescriptionList isHorizontal isCompact>
                    <DescriptionListGroup>
                      <DescriptionListTerm>{t("jitReason")}</DescriptionListTerm>
                      <DescriptionListDescription>{r.reason}</DescriptionListDescription>
                    </DescriptionListGroup>
                    {r.ticket && (
                      <DescriptionListGroup>
                        <DescriptionListTerm>{t("jitTicket")}</DescriptionListTerm>
                        <DescriptionListDescription>{r.ticket}</DescriptionListDescription>
                      </DescriptionListGroup>
                    )}
                    <DescriptionListGroup>
                      <DescriptionListTerm>{t("jitStages")}</DescriptionListTerm>
                      <DescriptionListDescription>
                        {(r.stages ?? []).map((s) => s.name).join(" → ")}
                      </DescriptionListDescription>
                    </DescriptionListGroup>
                    <DescriptionListGroup>
                      <DescriptionListTerm>{t("jitDecisions")}</DescriptionListTerm>
                      <DescriptionListDescription>
                        {(r.decisions ?? []).length === 0 ? (
                          t("jitNoDecisions")
                        ) : (
                          <List isPlain>
                            {r.decisions.map((d, i) => (
                              <Fragment key={i}>
                                <ListItem data-testid="jit-decision">
                                  <StatusLabel status={d.decision} /> {d.stage} · {d.approver?.username} ·{" "}
                                  {formatDateTime(d.at, i18n.language)}
                                  {d.comment ? ` · “${d.comment}”` : ""}
                                </ListItem>
                              </Fragment>
                            ))}
                          </List>
                        )}
                      </DescriptionListDescription>
                    </DescriptionListGroup>
                  </DescriptionList>
                </ExpandableRowContent>
              </Td>
            </Tr>
          </Tbody>
        );
      })}
    </Table>
  );
};
