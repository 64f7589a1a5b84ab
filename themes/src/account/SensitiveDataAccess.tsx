import { Page, useAccountAlerts } from "@keycloak/keycloak-account-ui";
import {
  Alert,
  AlertVariant,
  Button,
  Card,
  CardBody,
  CardHeader,
  CardTitle,
  Spinner,
  Stack,
  StackItem,
} from "@patternfly/react-core";
import { SyncAltIcon } from "@patternfly/react-icons";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, errorMessage } from "../common/api";
import type { AccessRequest, Grant } from "../common/model";
import { ActiveGrants } from "./ActiveGrants";
import { normalizeCatalog, type CatalogDatasource } from "./catalog";
import { ExtendModal } from "./ExtendModal";
import { MyRequests } from "./MyRequests";
import { RequestForm } from "./RequestForm";
import { TokenModal } from "./TokenModal";
import { useJitApi } from "./useJitApi";

/**
 * "Sensitive data access": the catalog and the request form, the user's requests, and the active
 * grants with their countdown, "Extend" and "Get database token".
 */
export const SensitiveDataAccess = () => {
  const { t } = useTranslation();
  const api = useJitApi();
  const { addAlert } = useAccountAlerts();
  const [catalog, setCatalog] = useState<CatalogDatasource[]>();
  const [requests, setRequests] = useState<AccessRequest[]>();
  const [grants, setGrants] = useState<Grant[]>();
  const [loadError, setLoadError] = useState<string>();
  const [tokenFor, setTokenFor] = useState<string>();
  const [extending, setExtending] = useState<Grant>();

  const loadCatalog = useCallback(async () => {
    try {
      setCatalog(normalizeCatalog(await api.get("catalog")));
    } catch (e) {
      setLoadError(errorMessage(e));
    }
  }, [api]);

  /** Requests and grants; tolerated to be missing while the API is partial (404/405 -> empty). */
  const loadMine = useCallback(async () => {
    const soft = async <T,>(path: string): Promise<T[]> => {
      try {
        return (await api.get<T[]>(path)) ?? [];
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return [];
        throw e;
      }
    };
    try {
      const [r, g] = await Promise.all([soft<AccessRequest>("requests"), soft<Grant>("grants")]);
      setRequests(r);
      setGrants(g);
    } catch (e) {
      setLoadError(errorMessage(e));
    }
  }, [api]);

  useEffect(() => {
    void loadCatalog();
    void loadMine();
    // decisions are made elsewhere: follow them without a reload
    const id = setInterval(() => void loadMine(), 30000);
    return () => clearInterval(id);
  }, [loadCatalog, loadMine]);

  const cancel = async (r: AccessRequest) => {
    try {
      await api.post(`requests/${encodeURIComponent(r.id)}/cancel`);
      addAlert(t("jitCancelled"), AlertVariant.success);
    } catch (e) {
      addAlert(errorMessage(e), AlertVariant.danger);
    }
    await loadMine();
  };

  const maxFor = (g: Grant) => {
    const ds = catalog?.find((d) => d.id === g.datasource);
    const maxes = (ds?.columns ?? [])
      .filter((c) => g.columns.includes(c.fqn))
      .map((c) => c.policyInfo?.maxDurationMinutes ?? c.maxDurationMinutes)
      .filter((m): m is number => !!m);
    return maxes.length ? Math.min(...maxes) : undefined;
  };

  return (
    <Page title={t("jitSensitiveData")} description={t("jitSensitiveDataDescription")}>
      <Stack hasGutter data-testid="jit-sensitive-data">
        {loadError && (
          <StackItem>
            <Alert variant="danger" isInline title={loadError} data-testid="jit-load-error" />
          </StackItem>
        )}
        <StackItem>
          <Card isFlat>
            <CardHeader
              actions={{
                actions: (
                  <Button variant="plain" aria-label={t("jitRefresh")} onClick={() => void loadMine()} data-testid="jit-refresh">
                    <SyncAltIcon />
                  </Button>
                ),
              }}
            >
              <CardTitle component="h2">{t("jitActiveGrants")}</CardTitle>
            </CardHeader>
            <CardBody>
              {grants === undefined ? (
                <Spinner size="md" />
              ) : (
                <ActiveGrants grants={grants} onExtend={setExtending} onToken={setTokenFor} onExpired={loadMine} />
              )}
            </CardBody>
          </Card>
        </StackItem>
        <StackItem>
          <Card isFlat>
            <CardHeader>
              <CardTitle component="h2">{t("jitRequestAccess")}</CardTitle>
            </CardHeader>
            <CardBody>
              {catalog === undefined ? (
                <Spinner size="md" />
              ) : (
                <RequestForm
                  api={api}
                  catalog={catalog}
                  onCreated={(r) => {
                    addAlert(t("jitRequestCreated"), AlertVariant.success);
                    setRequests((rs) => [r, ...(rs ?? []).filter((x) => x.id !== r.id)]);
                    void loadMine();
                  }}
                />
              )}
            </CardBody>
          </Card>
        </StackItem>
        <StackItem>
          <Card isFlat>
            <CardHeader>
              <CardTitle component="h2">{t("jitMyRequests")}</CardTitle>
            </CardHeader>
            <CardBody>
              {requests === undefined ? <Spinner size="md" /> : <MyRequests requests={requests} onCancel={cancel} />}
            </CardBody>
          </Card>
        </StackItem>
      </Stack>
      {tokenFor && <TokenModal api={api} datasource={tokenFor} onClose={() => setTokenFor(undefined)} />}
      {extending && (
        <ExtendModal
          api={api}
          grant={extending}
          maxDuration={maxFor(extending)}
          onClose={(changed) => {
            setExtending(undefined);
            if (changed) {
              addAlert(t("jitExtensionRequested"), AlertVariant.success);
              void loadMine();
            }
          }}
        />
      )}
    </Page>
  );
};
