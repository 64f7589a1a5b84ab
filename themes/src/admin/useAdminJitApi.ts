import { useAdminClient, useEnvironment, useRealm, type AdminEnvironment } from "@keycloak/keycloak-admin-ui";
import { useMemo } from "react";
import { createApi } from "../common/api";
import { joinUrl } from "../common/environment";

/**
 * Our admin REST API for the realm shown (`/admin/realms/{realm}/jit-columns`) with the console's
 * token (pitfall 7), and the user REST API of that realm (for the column labels an approver may read).
 */
export function useAdminJitApi() {
  const { keycloak } = useAdminClient();
  const { environment } = useEnvironment<AdminEnvironment>();
  const { realm } = useRealm();
  return useMemo(() => {
    const token = async () => {
      try {
        await keycloak.updateToken(30);
      } catch {
        await keycloak.login();
      }
      return keycloak.token;
    };
    return {
      realm,
      admin: createApi(joinUrl(environment.adminBaseUrl, "admin/realms", encodeURIComponent(realm), "jit-columns"), token),
      user: createApi(joinUrl(environment.serverBaseUrl, "realms", encodeURIComponent(realm), "jit-columns"), token),
      /** A signed-in user of the realm shown (an approver), not an administrator from another realm. */
      sameRealm: environment.realm === realm,
      username: keycloak.tokenParsed?.preferred_username as string | undefined,
    };
  }, [keycloak, environment, realm]);
}
