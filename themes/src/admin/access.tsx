import {
  Alert,
  EmptyState,
  EmptyStateBody,
  EmptyStateHeader,
  EmptyStateIcon,
  PageSection,
  Spinner,
} from "@patternfly/react-core";
import { LockIcon } from "@patternfly/react-icons";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../common/api";
import { useAdminJitApi } from "./useAdminJitApi";

/** What the signed-in admin may use in the realm shown: `GET .../jit-columns/me`, computed by the API's own authoriser. */
export type JitAccess = {
  requests: boolean;
  grants: boolean;
  viewCatalog: boolean;
  manageCatalog: boolean;
  webhook: boolean;
  audit: boolean;
};

type State = { access?: JitAccess; error?: string };

const AccessContext = createContext<State>({});

/** Asks the API once per realm shown; the navigation and the pages read the answer. */
export const JitAccessProvider = ({ children }: { children: ReactNode }) => {
  const apis = useAdminJitApi();
  const [state, setState] = useState<State>({});
  useEffect(() => {
    const abort = new AbortController();
    setState({});
    apis.admin.get<JitAccess>("me", abort.signal).then(
      (access) => setState({ access }),
      (e) => abort.signal.aborted || setState({ error: errorMessage(e) }),
    );
    return () => abort.abort();
  }, [apis]);
  return <AccessContext.Provider value={state}>{children}</AccessContext.Provider>;
};

/** Undefined until the API has answered. */
export const useJitAccess = () => useContext(AccessContext).access;

/** The page for whoever the API lets use it; anyone else reads why not, instead of the API's 403. */
export const RequireAccess = ({ to, children }: { to: keyof JitAccess; children: ReactNode }) => {
  const { t } = useTranslation();
  const { access, error } = useContext(AccessContext);
  if (error) {
    return (
      <PageSection variant="light">
        <Alert variant="danger" isInline title={error} data-testid="jit-load-error" />
      </PageSection>
    );
  }
  if (!access) return <Spinner />;
  if (!access[to]) {
    return (
      <PageSection variant="light">
        <EmptyState data-testid="jit-not-allowed">
          <EmptyStateHeader titleText={t("jitForbiddenTitle")} icon={<EmptyStateIcon icon={LockIcon} />} headingLevel="h1" />
          <EmptyStateBody>{t(`jitForbidden_${to}`)}</EmptyStateBody>
        </EmptyState>
      </PageSection>
    );
  }
  return children;
};
