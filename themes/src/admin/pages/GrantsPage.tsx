import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Alert,
  Button,
  EmptyState,
  EmptyStateHeader,
  Form,
  FormGroup,
  Modal,
  ModalVariant,
  PageSection,
  Spinner,
  TextArea,
  Toolbar,
  ToolbarContent,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../common/api";
import { formatDateTime, formatRemaining } from "../../common/format";
import type { Grant } from "../../common/model";
import { useNow } from "../../common/useNow";
import { useJitAlerts } from "../alerts";
import { ColumnList } from "../components";
import { useColumnLabels } from "../labels";
import { PageNav, pageOf, pageQuery } from "../Paging";
import { useAdminJitApi } from "../useAdminJitApi";

/** Active grants, with "Revoke" (at once: the database reads the columns masked again). */
export default function GrantsPage() {
  const { t, i18n } = useTranslation();
  const apis = useAdminJitApi();
  const labels = useColumnLabels(apis);
  const addAlert = useJitAlerts();
  const now = useNow();
  const [grants, setGrants] = useState<Grant[]>();
  const [first, setFirst] = useState(0);
  const [hasNext, setHasNext] = useState(false);
  const [error, setError] = useState<string>();
  const [revoking, setRevoking] = useState<Grant>();
  const [reason, setReason] = useState("");
  const [revokeError, setRevokeError] = useState<string>();

  const load = useCallback(async () => {
    try {
      const page = pageOf((await apis.admin.get<Grant[]>(`grants?active=true&${pageQuery(first)}`)) ?? []);
      setGrants(page.rows);
      setHasNext(page.hasNext);
    } catch (e) {
      setGrants([]);
      setHasNext(false);
      setError(errorMessage(e));
    }
  }, [apis, first]);

  useEffect(() => {
    void load();
  }, [load]);

  const revoke = async () => {
    if (!revoking) return;
    if (!reason.trim()) {
      setRevokeError(t("jitReasonRequired"));
      return;
    }
    try {
      await apis.admin.post(`grants/${encodeURIComponent(revoking.id)}/revoke`, { reason: reason.trim() });
      addAlert(t("jitRevoked"));
      setRevoking(undefined);
      setReason("");
      void load();
    } catch (e) {
      setRevokeError(errorMessage(e));
    }
  };

  return (
    <>
      <ViewHeader titleKey="jitActiveGrants" subKey="jitGrantsHelp" divider />
      <PageSection variant="light" data-testid="jit-grants-page">
        {error && <Alert variant="danger" isInline title={error} data-testid="jit-load-error" />}
        {(first > 0 || hasNext) && (
          <Toolbar>
            <ToolbarContent>
              <PageNav first={first} shown={grants?.length ?? 0} hasNext={hasNext} onFirst={setFirst} />
            </ToolbarContent>
          </Toolbar>
        )}
        {grants === undefined ? (
          <Spinner />
        ) : grants.length === 0 ? (
          <EmptyState data-testid="jit-grants-empty">
            <EmptyStateHeader titleText={t("jitNoActiveGrants")} headingLevel="h2" />
          </EmptyState>
        ) : (
          <Table aria-label={t("jitActiveGrants")} variant="compact" data-testid="jit-grants">
            <Thead>
              <Tr>
                <Th>{t("jitUser")}</Th>
                <Th>{t("jitDatasource")}</Th>
                <Th>{t("jitColumns")}</Th>
                <Th>{t("jitStartsAt")}</Th>
                <Th>{t("jitExpiresAt")}</Th>
                <Th>{t("jitTimeLeft")}</Th>
                <Th screenReaderText={t("jitActions")} />
              </Tr>
            </Thead>
            <Tbody>
              {grants.map((g) => (
                <Tr key={g.id} data-testid={`jit-grant-${g.id}`}>
                  <Td>{g.user?.username}</Td>
                  <Td>{g.datasource}</Td>
                  <Td>
                    <ColumnList datasource={g.datasource} columns={g.columns} labels={labels} />
                  </Td>
                  <Td>{formatDateTime(g.startsAt, i18n.language)}</Td>
                  <Td>{formatDateTime(g.expiresAt, i18n.language)}</Td>
                  <Td data-testid="jit-countdown">{formatRemaining(Date.parse(g.expiresAt) - now)}</Td>
                  <Td isActionCell>
                    <Button variant="secondary" isDanger size="sm" onClick={() => { setRevoking(g); setRevokeError(undefined); }} data-testid="jit-revoke">
                      {t("jitRevoke")}
                    </Button>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </PageSection>
      {revoking && (
        <Modal
          variant={ModalVariant.small}
          title={t("jitRevokeTitle", { user: revoking.user?.username, datasource: revoking.datasource })}
          isOpen
          onClose={() => setRevoking(undefined)}
          data-testid="jit-revoke-modal"
          actions={[
            <Button key="ok" variant="danger" onClick={revoke} data-testid="jit-revoke-confirm">
              {t("jitRevoke")}
            </Button>,
            <Button key="cancel" variant="link" onClick={() => setRevoking(undefined)}>
              {t("cancel")}
            </Button>,
          ]}
        >
          <Form onSubmit={(e) => e.preventDefault()}>
            <FormGroup label={t("jitReason")} fieldId="jit-revoke-reason" isRequired>
              <TextArea id="jit-revoke-reason" value={reason} onChange={(_e, v) => setReason(v)} validated={revokeError ? "error" : "default"} />
            </FormGroup>
            {revokeError && <Alert variant="danger" isInline isPlain title={revokeError} data-testid="jit-error-revoke" />}
          </Form>
        </Modal>
      )}
    </>
  );
}
