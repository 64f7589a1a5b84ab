import { Header, PageNav } from "@keycloak/keycloak-account-ui";
import { Page, Spinner } from "@patternfly/react-core";
import { Suspense } from "react";
import { Outlet } from "react-router-dom";

/** The stock account console's shell: Keycloak's masthead and its navigation (read from content.json). */
export const Root = () => (
  <Page header={<Header />} sidebar={<PageNav />} isManagedSidebar>
    <Suspense fallback={<Spinner />}>
      <Outlet />
    </Suspense>
  </Page>
);
