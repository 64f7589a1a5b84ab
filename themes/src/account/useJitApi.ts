import { useEnvironment } from "@keycloak/keycloak-account-ui";
import { useMemo } from "react";
import { createApi } from "../common/api";
import { joinUrl } from "../common/environment";

/**
 * Our user REST API (`/realms/{realm}/jit-columns`) with the signed-in user's token, taken from the
 * console's own keycloak-js instance (pitfall 7).
 */
export function useJitApi() {
  const { environment, keycloak } = useEnvironment();
  return useMemo(
    () =>
      createApi(
        joinUrl(environment.serverBaseUrl, "realms", encodeURIComponent(environment.realm), "jit-columns"),
        async () => {
          await keycloak.updateToken(30);
          return keycloak.token;
        },
      ),
    [environment, keycloak],
  );
}
