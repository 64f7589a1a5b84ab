import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  PageSection,
  ProgressStep,
  ProgressStepper,
  Spinner,
  Title,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { ApiError, errorMessage } from "../../common/api";
import { formatDateTime } from "../../common/format";
import type { AccessRequest } from "../../common/model";
import { useJitAlerts } from "../alerts";
import { ColumnList, StatusLabel } from "../components";
import { DecideModal, type Decision } from "../DecideModal";
import { useColumnLabels } from "../labels";
import { useAdminJitApi } from "../useAdminJitApi";

type HistoryRow = { at?: string | null; who?: string; what: string; stage?: string; comment?: string; status?: string };

/** One request: what was asked, the policy's stages and where it stands, and its history. */
export default function RequestDetailPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const apis = useAdminJitApi();
  const labels = useColumnLabels(apis);
  const addAlert = useJitAlerts();
  const [request, setRequest] = useState<AccessRequest | null>();
  const [decidable, setDecidable] = useState(false);
  const [error, setError] = useState<string>();
  const [deciding, setDeciding] = useState<Decision>();

  const load = useCallback(async () => {
    try {
      // The request itself (a mail's link may point to one older than any list page), and whether it waits for the caller.
      const [one, mine] = await Promise.all([
        apis.admin
          .get<AccessRequest>(`requests/${encodeURIComponent(id ?? "")}`)
          .catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
        apis.admin.get<AccessRequest[]>("requests?decidable=true&max=500").catch(() => [] as AccessRequest[]),
      ]);
      setRequest(one ?? null);
      setDecidable((mine ?? []).some((r) => r.id === id));
    } catch (e) {
      setError(errorMessage(e));
      setRequest(null);
    }
  }, [apis, id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (request === undefined) return <Spinner />;
  if (request === null) {
    return (
      <PageSection variant="light">
        <Alert variant="warning" isInline title={error ?? t("jitRequestNotFound")} data-testid="jit-load-error" />
      </PageSection>
    );
  }

  const history: HistoryRow[] = [
    { at: request.createdAt, who: request.requester?.username, what: t("jitRequested") },
    ...(request.decisions ?? []).map((d) => ({
      at: d.at,
      who: d.approver?.username,
      what: t(`jitStatus_${d.decision}`),
      stage: d.stage,
      comment: d.comment,
      status: d.decision,
    })),
  ];
  if (request.grant) {
    history.push({ at: request.grant.startsAt, what: t("jitGrantStarted"), comment: t("jitUntil", { at: formatDateTime(request.grant.expiresAt, i18n.language) }) });
    if (request.grant.revokedAt) {
      const by = request.grant.revokedBy;
      history.push({ at: request.grant.revokedAt, who: typeof by === "object" ? by?.username : by, what: t("jitStatus_REVOKED"), comment: request.grant.revokeReason, status: "REVOKED" });
    }
  }
  if (request.decidedAt && ["CANCELLED", "TIMED_OUT"].includes(request.status)) {
    history.push({ at: request.decidedAt, what: t(`jitStatus_${request.status}`), status: request.status });
  }
  history.sort((a, b) => (a.at ?? "").localeCompare(b.at ?? ""));

  const stages = request.stages ?? [];
  const current = stages.findIndex((s) => s.name === request.currentStage);
  const stageVariant = (i: number) => {
    const decided = (request.decisions ?? []).filter((d) => d.stage === stages[i].name);
    if (decided.some((d) => d.decision === "DENIED")) return "danger";
    if (request.status === "APPROVED" || request.status === "EXPIRED" || request.status === "REVOKED") return "success";
    if (request.status === "PENDING") return i < current ? "success" : i === current ? "info" : "pending";
    return decided.length ? "success" : "pending";
  };

  return (
    <>
      <ViewHeader titleKey={t("jitRequestBy", { user: request.requester?.username })} noTranslate divider />
      <PageSection variant="light" data-testid="jit-request-detail">
        {request.status === "PENDING" && decidable && (
          <div className="pf-v5-u-mb-md">
            <Button variant="primary" onClick={() => setDeciding("approve")} data-testid="jit-approve">
              {t("jitApprove")}
            </Button>{" "}
            <Button variant="secondary" isDanger onClick={() => setDeciding("deny")} data-testid="jit-deny">
              {t("jitDeny")}
            </Button>
          </div>
        )}
        <DescriptionList isHorizontal columnModifier={{ lg: "2Col" }}>
          <DescriptionListGroup>
            <DescriptionListTerm>{t("jitStatus")}</DescriptionListTerm>
            <DescriptionListDescription>
              <StatusLabel status={request.status} />
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t("jitRequester")}</DescriptionListTerm>
            <DescriptionListDescription>{request.requester?.username}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t("jitDatasource")}</DescriptionListTerm>
            <DescriptionListDescription>{request.datasource}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t("jitColumns")}</DescriptionListTerm>
            <DescriptionListDescription>
              <ColumnList datasource={request.datasource} columns={request.columns} labels={labels} />
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t("jitReason")}</DescriptionListTerm>
            <DescriptionListDescription data-testid="jit-reason">{request.reason}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t("jitTicket")}</DescriptionListTerm>
            <DescriptionListDescription>{request.ticket}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t("jitDuration")}</DescriptionListTerm>
            <DescriptionListDescription>{t("jitMinutesValue", { count: request.durationMinutes })}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>{t("jitCreated")}</DescriptionListTerm>
            <DescriptionListDescription>{formatDateTime(request.createdAt, i18n.language)}</DescriptionListDescription>
          </DescriptionListGroup>
        </DescriptionList>

        {stages.length > 0 && (
          <>
            <Title headingLevel="h2" className="pf-v5-u-mt-lg pf-v5-u-mb-md">
              {t("jitStages")}
            </Title>
            <ProgressStepper aria-label={t("jitStages")}>
              {stages.map((s, i) => (
                <ProgressStep
                  key={`${s.name}-${i}`}
                  id={`jit-stage-${i}`}
                  titleId={`jit-stage-${i}-title`}
                  variant={stageVariant(i)}
                  isCurrent={request.status === "PENDING" && i === current}
                  description={s.approverGroup ?? s.approverRole}
                >
                  {s.name}
                </ProgressStep>
              ))}
            </ProgressStepper>
          </>
        )}

        <Title headingLevel="h2" className="pf-v5-u-mt-lg">
          {t("jitHistory")}
        </Title>
        <Table aria-label={t("jitHistory")} variant="compact" data-testid="jit-history">
          <Thead>
            <Tr>
              <Th>{t("jitWhen")}</Th>
              <Th>{t("jitWho")}</Th>
              <Th>{t("jitWhat")}</Th>
              <Th>{t("jitStage")}</Th>
              <Th>{t("jitComment")}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {history.map((h, i) => (
              <Tr key={i}>
                <Td>{formatDateTime(h.at, i18n.language)}</Td>
                <Td>{h.who}</Td>
                <Td>{h.status ? <StatusLabel status={h.status} /> : h.what}</Td>
                <Td>{h.stage}</Td>
                <Td modifier="breakWord">{h.comment}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </PageSection>
      {deciding && (
        <DecideModal
          api={apis.admin}
          request={request}
          decision={deciding}
          onClose={(decided) => {
            setDeciding(undefined);
            if (decided) {
              addAlert(t(deciding === "approve" ? "jitApproved" : "jitDenied"));
              void load();
            }
          }}
        />
      )}
    </>
  );
}
