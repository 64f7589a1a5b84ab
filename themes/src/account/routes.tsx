import { routes as stockRoutes, type AccountEnvironment } from "@keycloak/keycloak-account-ui";
import { createBrowserRouter, type RouteObject } from "react-router-dom";
import { ErrorPage } from "./ErrorPage";
import { Root } from "./Root";
import { SensitiveDataAccess } from "./SensitiveDataAccess";

/** Our page's path under the account console, as listed in the theme's resources/content.json. */
export const SENSITIVE_DATA_PATH = "sensitive-data";

export const SensitiveDataRoute: RouteObject = {
  path: SENSITIVE_DATA_PATH,
  element: <SensitiveDataAccess />,
};

/**
 * Every stock route of the account console plus ours, under a browser router rooted at the path of
 * the environment's baseUrl (e.g. /realms/acme/account/), as the stock console does (pitfall 5).
 */
export function createAccountRouter(environment: AccountEnvironment) {
  const root = new URL(environment.baseUrl).pathname;
  return createBrowserRouter([
    {
      path: root.endsWith("/") ? root : `${root}/`,
      element: <Root />,
      errorElement: <ErrorPage />,
      children: [...stockRoutes, SensitiveDataRoute],
    },
  ]);
}
