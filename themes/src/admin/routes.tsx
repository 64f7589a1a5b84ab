import { AdminUi, routes as stockRoutes } from "@keycloak/keycloak-admin-ui";
import { lazy } from "react";
import { createHashRouter, Outlet, type RouteObject } from "react-router-dom";
import { JitNavSection } from "./JitNavSection";
import { RouteError } from "./RouteError";
import { JitAlerts } from "./alerts";

const Inbox = lazy(() => import("./pages/InboxPage"));
const RequestDetail = lazy(() => import("./pages/RequestDetailPage"));
const Grants = lazy(() => import("./pages/GrantsPage"));
const Catalog = lazy(() => import("./pages/CatalogPage"));
const Audit = lazy(() => import("./pages/AuditPage"));

/** Our routes, `/:realm/jit-columns/...`, in the stock route format (handle.access for the AuthWall). */
export const JIT_BASE = "jit-columns";
export const jitRoutes: RouteObject[] = [
  { path: `/:realm/${JIT_BASE}`, element: <Inbox />, handle: { access: "anyone", breadcrumb: (t: (k: string) => string) => t("jitAccessRequests") } },
  { path: `/:realm/${JIT_BASE}/requests/:id`, element: <RequestDetail />, handle: { access: "anyone", breadcrumb: (t: (k: string) => string) => t("jitRequestDetails") } },
  { path: `/:realm/${JIT_BASE}/grants`, element: <Grants />, handle: { access: "anyone", breadcrumb: (t: (k: string) => string) => t("jitActiveGrants") } },
  { path: `/:realm/${JIT_BASE}/catalog`, element: <Catalog />, handle: { access: "anyone", breadcrumb: (t: (k: string) => string) => t("jitCatalog") } },
  { path: `/:realm/${JIT_BASE}/audit`, element: <Audit />, handle: { access: "anyone", breadcrumb: (t: (k: string) => string) => t("jitAudit") } },
];

/**
 * The stock admin console (its shell `AdminUi` with header, navigation, breadcrumbs, banners and
 * the route access wall) with every stock route, ours before the stock not-found route (pitfall 5),
 * all under one pathless layout that adds our section to the stock navigation on every page.
 */
export function createAdminRouter() {
  const notFound = stockRoutes.filter((r) => r.path === "*");
  const stock = stockRoutes.filter((r) => r.path !== "*");
  return createHashRouter([
    {
      path: "/",
      element: <AdminUi />,
      errorElement: <RouteError />,
      children: [
        {
          element: (
            <JitAlerts>
              <JitNavSection />
              <Outlet />
            </JitAlerts>
          ),
          children: [...stock, ...jitRoutes, ...notFound] as RouteObject[],
        },
      ],
    },
  ]);
}
