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
import type { AuditEntry, AuditVerification } from "../../common/model";
import { PageNav, pageOf, pageQuery } from "../Paging";
import { useAdminJitApi } from "../useAdminJitApi";


const toIso = (local: string) => (local ? new Date(local).toISOString() : "");

/** The audit trail: every request, decision, token issued and token presented; JSON or CSV export. */
export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const apis = useAdminJitApi();
  const [from, setFrom] = useState(() => toLocalInput(new Date(Date.now() - 7 * 24 * 3600 * 1000)));
  const [to, setTo] = useState("");
  // The range the table shows: the inputs apply on "Search", not on each keystroke.
  const [range, setRange] = useState({ from, to });
  const [events, setEvents] = useState<AuditEntry[]>();
  const [first, setFirst] = useState(0);
  const [hasNext, setHasNext] = useState(false);
  const [error, setError] = useState<string>();
  const [verify, setVerify] = useState<{ ok: boolean; text: string }>();

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const page = pageOf((await apis.admin.get<AuditEntry[]>(`${auditQuery(range, "json")}&${pageQuery(first)}`)) ?? []);
      setEvents(page.rows);
      setHasNext(page.hasNext);
    } catch (e) {
      setEvents([]);
      setHasNext(false);
      setError(errorMessage(e));
    }
  }, [apis, range, first]);

  useEffect(() => {
    void load();
  }, [load]);

  const search = () => {
    setRange({ from, to });
    setFirst(0);
  };

  /** The whole range of the inputs, not a page. */
  const download = async (format: "json" | "csv") => {
    try {
      const blob = await apis.admin.download(auditQuery({ from, to }, format));
      saveBlob(blob, `jit-columns-audit-${apis.realm}.${format}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const runVerify = async () => {
    try {
      const r = await apis.admin.get<AuditVerification>("audit/verify");
      setVerify({ ok: r?.ok === true, text: JSON.stringify(r) });
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
              <Button variant="secondary" onClick={search} data-testid="jit-audit-search">
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
            <PageNav first={first} shown={events?.length ?? 0} hasNext={hasNext} onFirst={setFirst} />
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
                <Tr key={e.seq ?? `pending-${first + i}`} data-testid="jit-audit-entry">
                  <Td>{formatDateTime(e.at, i18n.language)}</Td>
                  <Td>{e.action}</Td>
                  <Td>{e.actor?.username ?? ""}</Td>
                  <Td>{e.requestId ?? e.grantId ?? ""}</Td>
                  <Td modifier="breakWord">
                    <code className="pf-v5-u-font-size-xs">{e.details ?? ""}</code>
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

function auditQuery(range: { from: string; to: string }, format: "json" | "csv") {
  const params = new URLSearchParams();
  if (range.from) params.set("from", toIso(range.from));
  if (range.to) params.set("to", toIso(range.to));
  params.set("format", format);
  return `audit?${params}`;
}

function toLocalInput(d: Date) {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
