import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Alert,
  Button,
  EmptyState,
  EmptyStateBody,
  EmptyStateHeader,
  FormSelect,
  FormSelectOption,
  PageSection,
  Spinner,
  ToggleGroup,
  ToggleGroupItem,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { SyncAltIcon } from "@patternfly/react-icons";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { errorMessage } from "../../common/api";
import { formatAge } from "../../common/format";
import type { AccessRequest } from "../../common/model";
import { ColumnList, StatusLabel } from "../components";
import { DecideModal, type Decision } from "../DecideModal";
import { useColumnLabels } from "../labels";
import { PageNav, pageOf, pageQuery } from "../Paging";
import { useAdminJitApi } from "../useAdminJitApi";
import { useJitAlerts } from "../alerts";

const STATUSES = ["", "PENDING", "APPROVED", "DENIED", "CANCELLED", "TIMED_OUT", "EXPIRED", "REVOKED"];

/** The approver's inbox: what the signed-in user may decide now; or every request, by status. */
export default function InboxPage() {
  const { t } = useTranslation();
  const apis = useAdminJitApi();
  const labels = useColumnLabels(apis);
  const addAlert = useJitAlerts();
  const [mode, setMode] = useState<"decidable" | "all">("decidable");
  const [status, setStatus] = useState("");
  const [requests, setRequests] = useState<AccessRequest[]>();
  const [first, setFirst] = useState(0);
  const [hasNext, setHasNext] = useState(false);
  const [error, setError] = useState<string>();
  const [deciding, setDeciding] = useState<{ request: AccessRequest; decision: Decision }>();
  const [now, setNow] = useState(Date.now());

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const filter = mode === "decidable" ? "decidable=true&" : status ? `status=${status}&` : "";
      const page = pageOf((await apis.admin.get<AccessRequest[]>(`requests?${filter}${pageQuery(first)}`)) ?? []);
      setRequests(page.rows);
      setHasNext(page.hasNext);
      setNow(Date.now());
    } catch (e) {
      setRequests([]);
      setHasNext(false);
      setError(errorMessage(e));
    }
  }, [apis, mode, status, first]);

  // Another list starts at its first page.
  const show = (m: "decidable" | "all", s: string) => {
    setMode(m);
    setStatus(s);
    setFirst(0);
  };

  useEffect(() => {
    void load();
    const id = setInterval(() => void load(), 30000);
    return () => clearInterval(id);
  }, [load]);

  const base = `/${encodeURIComponent(apis.realm)}/jit-columns`;
  return (
    <>
      <ViewHeader titleKey="jitAccessRequests" subKey="jitInboxHelp" divider />
      <PageSection variant="light" className="pf-v5-u-p-0" data-testid="jit-inbox">
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <ToggleGroup aria-label={t("jitShow")}>
                <ToggleGroupItem text={t("jitToDecide")} isSelected={mode === "decidable"} onChange={() => show("decidable", status)} data-testid="jit-mode-decidable" />
                <ToggleGroupItem text={t("jitAllRequests")} isSelected={mode === "all"} onChange={() => show("all", status)} data-testid="jit-mode-all" />
              </ToggleGroup>
            </ToolbarItem>
            {mode === "all" && (
              <ToolbarItem>
                <FormSelect aria-label={t("jitStatus")} value={status} onChange={(_e, v) => show(mode, v)} data-testid="jit-status-filter">
                  {STATUSES.map((s) => (
                    <FormSelectOption key={s} value={s} label={s ? t(`jitStatus_${s}`) : t("jitAnyStatus")} />
                  ))}
                </FormSelect>
              </ToolbarItem>
            )}
            <ToolbarItem>
              <Button variant="plain" aria-label={t("refresh")} onClick={() => void load()} data-testid="jit-refresh">
                <SyncAltIcon />
              </Button>
            </ToolbarItem>
            <PageNav first={first} shown={requests?.length ?? 0} hasNext={hasNext} onFirst={setFirst} />
          </ToolbarContent>
        </Toolbar>
        {error && <Alert variant="danger" isInline title={error} className="pf-v5-u-mx-md" data-testid="jit-load-error" />}
        {requests === undefined ? (
          <Spinner />
        ) : requests.length === 0 ? (
          <EmptyState data-testid="jit-inbox-empty">
            <EmptyStateHeader titleText={t(mode === "decidable" ? "jitInboxEmpty" : "jitNoRequests")} headingLevel="h2" />
            <EmptyStateBody>{mode === "decidable" ? t("jitInboxEmptyHelp") : ""}</EmptyStateBody>
          </EmptyState>
        ) : (
          <Table aria-label={t("jitAccessRequests")} variant="compact" data-testid="jit-requests">
            <Thead>
              <Tr>
                <Th modifier="wrap">{t("jitRequester")}</Th>
                <Th modifier="wrap">{t("jitColumns")}</Th>
                <Th modifier="wrap">{t("jitReason")}</Th>
                <Th modifier="wrap">{t("jitTicket")}</Th>
                <Th modifier="wrap">{t("jitDuration")}</Th>
                <Th modifier="wrap">{t("jitAge")}</Th>
                <Th modifier="wrap">{t("jitStage")}</Th>
                {mode === "all" && <Th modifier="wrap">{t("jitStatus")}</Th>}
                {mode === "decidable" && <Th screenReaderText={t("jitActions")} />}
              </Tr>
            </Thead>
            <Tbody>
              {requests.map((r) => (
                <Tr key={r.id} data-testid={`jit-request-${r.id}`}>
                  <Td dataLabel={t("jitRequester")}>
                    <Link to={`${base}/requests/${encodeURIComponent(r.id)}`} data-testid="jit-request-link">
                      {r.requester?.username}
                    </Link>
                  </Td>
                  <Td dataLabel={t("jitColumns")}>
                    <div className="pf-v5-u-font-size-sm pf-v5-u-color-200">{r.datasource}</div>
                    <ColumnList datasource={r.datasource} columns={r.columns} labels={labels} />
                  </Td>
                  <Td dataLabel={t("jitReason")} modifier="breakWord">
                    {r.reason}
                  </Td>
                  <Td dataLabel={t("jitTicket")}>{r.ticket}</Td>
                  <Td dataLabel={t("jitDuration")}>{t("jitMinutesValue", { count: r.durationMinutes })}</Td>
                  <Td dataLabel={t("jitAge")}>{formatAge(r.createdAt, now)}</Td>
                  <Td dataLabel={t("jitStage")}>{r.status === "PENDING" ? r.currentStage : ""}</Td>
                  {mode === "all" && (
                    <Td dataLabel={t("jitStatus")}>
                      <StatusLabel status={r.status} />
                    </Td>
                  )}
                  {mode === "decidable" && (
                  <Td isActionCell modifier="nowrap">
                    {r.status === "PENDING" && (
                      <>
                        <Button size="sm" variant="primary" onClick={() => setDeciding({ request: r, decision: "approve" })} data-testid="jit-approve">
                          {t("jitApprove")}
                        </Button>{" "}
                        <Button size="sm" variant="secondary" isDanger onClick={() => setDeciding({ request: r, decision: "deny" })} data-testid="jit-deny">
                          {t("jitDeny")}
                        </Button>
                      </>
                    )}
                  </Td>
                  )}
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </PageSection>
      {deciding && (
        <DecideModal
          api={apis.admin}
          request={deciding.request}
          decision={deciding.decision}
          onClose={(decided) => {
            setDeciding(undefined);
            if (decided) {
              addAlert(t(deciding.decision === "approve" ? "jitApproved" : "jitDenied"));
              void load();
            }
          }}
        />
      )}
    </>
  );
}
