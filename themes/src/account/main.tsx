import "@patternfly/react-core/dist/styles/base.css";
import "@patternfly/patternfly/patternfly-addons.css";
import "jit-account-ui.css";

import { KeycloakProvider, type AccountEnvironment } from "@keycloak/keycloak-account-ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router-dom";
import { injectedEnvironment } from "../common/environment";
import { createI18n } from "../common/i18n";
import { createAccountRouter } from "./routes";

const environment = injectedEnvironment<AccountEnvironment>();
const i18n = createI18n(environment.serverBaseUrl, environment.realm, "account", environment.locale);
await i18n.init();

createRoot(document.getElementById("app")!).render(
  <StrictMode>
    <KeycloakProvider environment={environment}>
      <RouterProvider router={createAccountRouter(environment)} />
    </KeycloakProvider>
  </StrictMode>,
);
