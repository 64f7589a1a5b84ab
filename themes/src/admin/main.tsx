import "@patternfly/react-core/dist/styles/base.css";
import "@patternfly/patternfly/patternfly-addons.css";
import "@keycloak/keycloak-admin-ui/styles.css";
import "./shell.css";

import { KeycloakProvider, type AdminEnvironment } from "@keycloak/keycloak-admin-ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router-dom";
import { injectedEnvironment } from "../common/environment";
import { createI18n } from "../common/i18n";
import { createAdminRouter } from "./routes";

const environment = injectedEnvironment<AdminEnvironment>();
const i18n = createI18n(environment.serverBaseUrl, environment.realm, "admin");
await i18n.init();

createRoot(document.getElementById("app")!).render(
  <StrictMode>
    <KeycloakProvider environment={environment}>
      <RouterProvider router={createAdminRouter()} />
    </KeycloakProvider>
  </StrictMode>,
);
