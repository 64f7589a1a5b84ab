import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Alert,
  Button,
  EmptyState,
  EmptyStateHeader,
  PageSection,
  Spinner,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { DownloadIcon } from "@patternfly/react-icons";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../common/api";
import { formatDateTime, saveBlob } from "../../common/format";
import { useAdminJitApi } from "../useAdminJitApi";

type AuditEvent = Record<string, unknown>;

const pick = (e: AuditEvent, ...names: string[]) => {
  for (const n of names) {
    const v = e[n];
    if (v !== undefined && v !== null && v !== "") return typeof v === "object" ? ((v as { username?: string }).username ?? JSON.stringify(v)) : String(v);
  }
  return "";
};

const toIso = (local: string) => (local ? new Date(local).toISOString() : "");

/** The audit trail: every request, decision, token issued and token presented; JSON or CSV export. */
export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const apis = useAdminJitApi();
  const [from, setFrom] = useState(() => toLocalInput(new Date(Date.now() - 7 * 24 * 3600 * 1000)));
  const [to, setTo] = useState("");
  const [events, setEvents] = useState<AuditEvent[]>();
  const [error, setError] = useState<string>();
  const [verify, setVerify] = useState<{ ok: boolean; text: string }>();

  const query = useCallback(
    (format: "json" | "csv") => {
      const params = new URLSearchParams();
      if (from) params.set("from", toIso(from));
      if (to) params.set("to", toIso(to));
      params.set("format", format);
      return `audit?${params}`;
    },
    [from, to],
  );

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const body = await apis.admin.get<AuditEvent[] | { events?: AuditEvent[] }>(query("json"));
      setEvents(Array.isArray(body) ? body : (body?.events ?? []));
    } catch (e) {
      setEvents([]);
      setError(errorMessage(e));
    }
  }, [apis, query]);

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [apis]);

  const download = async (format: "json" | "csv") => {
    try {
      const blob = await apis.admin.download(query(format));
      saveBlob(blob, `jit-columns-audit-${apis.realm}.${format}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const runVerify = async () => {
    try {
      const r = await apis.admin.get<Record<string, unknown>>("audit/verify");
      const ok = r?.valid ?? r?.ok ?? r?.intact;
      setVerify({ ok: ok !== false, text: JSON.stringify(r) });
    } catch (e) {
      setVerify({ ok: false, text: errorMessage(e) });
    }
  };

  return (
    <>
      <ViewHeader titleKey="jitAudit" subKey="jitAuditHelp" divider />
      <PageSection variant="light" className="pf-v5-u-p-0" data-testid="jit-audit">
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <TextInput type="datetime-local" aria-label={t("jitFrom")} value={from} onChange={(_e, v) => setFrom(v)} data-testid="jit-audit-from" />
            </ToolbarItem>
            <ToolbarItem>
              <TextInput type="datetime-local" aria-label={t("jitTo")} value={to} onChange={(_e, v) => setTo(v)} data-testid="jit-audit-to" />
            </ToolbarItem>
            <ToolbarItem>
              <Button variant="secondary" onClick={() => void load()} data-testid="jit-audit-search">
                {t("search")}
              </Button>
            </ToolbarItem>
            <ToolbarItem variant="separator" />
            <ToolbarItem>
              <Button variant="link" icon={<DownloadIcon />} onClick={() => void download("json")} data-testid="jit-export-json">
                {t("jitExportJson")}
              </Button>
            </ToolbarItem>
            <ToolbarItem>
              <Button variant="link" icon={<DownloadIcon />} onClick={() => void download("csv")} data-testid="jit-export-csv">
                {t("jitExportCsv")}
              </Button>
            </ToolbarItem>
            <ToolbarItem>
              <Button variant="link" onClick={() => void runVerify()} data-testid="jit-audit-verify">
                {t("jitVerifyChain")}
              </Button>
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        {verify && (
          <Alert variant={verify.ok ? "success" : "danger"} isInline className="pf-v5-u-mx-md" title={t(verify.ok ? "jitChainOk" : "jitChainBroken")} data-testid="jit-verify-result">
            {verify.text}
          </Alert>
        )}
        {error && <Alert variant="danger" isInline className="pf-v5-u-mx-md" title={error} data-testid="jit-load-error" />}
        {events === undefined ? (
          <Spinner />
        ) : events.length === 0 ? (
          <EmptyState>
            <EmptyStateHeader titleText={t("jitNoAuditEvents")} headingLevel="h2" />
          </EmptyState>
        ) : (
          <Table aria-label={t("jitAudit")} variant="compact" data-testid="jit-audit-table">
            <Thead>
              <Tr>
                <Th>{t("jitWhen")}</Th>
                <Th>{t("jitEvent")}</Th>
                <Th>{t("jitWho")}</Th>
                <Th>{t("jitSubject")}</Th>
                <Th>{t("jitDetails")}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {events.map((e, i) => (
                <Tr key={String(e.id ?? i)}>
                  <Td>{formatDateTime(pick(e, "at", "timestamp", "time", "createdAt"), i18n.language)}</Td>
                  <Td>{pick(e, "type", "event", "action")}</Td>
                  <Td>{pick(e, "actor", "user", "username", "approver")}</Td>
                  <Td>{pick(e, "requestId", "grantId", "datasource", "subject")}</Td>
                  <Td modifier="breakWord">
                    <code className="pf-v5-u-font-size-xs">{pick(e, "details", "detail", "data", "message")}</code>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </PageSection>
    </>
  );
}

function toLocalInput(d: Date) {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
