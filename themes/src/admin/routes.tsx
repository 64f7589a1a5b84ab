import { AdminUi, routes as stockRoutes } from "@keycloak/keycloak-admin-ui";
import { lazy, type ReactNode } from "react";
import { createHashRouter, Outlet, type RouteObject } from "react-router-dom";
import { JitNavSection } from "./JitNavSection";
import { JitAccessProvider, RequireAccess, type JitAccess } from "./access";
import { RouteError } from "./RouteError";
import { JitAlerts } from "./alerts";

const Inbox = lazy(() => import("./pages/InboxPage"));
const RequestDetail = lazy(() => import("./pages/RequestDetailPage"));
const Grants = lazy(() => import("./pages/GrantsPage"));
const Catalog = lazy(() => import("./pages/CatalogPage"));
const Audit = lazy(() => import("./pages/AuditPage"));

/**
 * Our routes, `/:realm/jit-columns/...`, in the stock route format. The stock AuthWall lets anyone in
 * (`handle.access`): each page checks what the API lets the signed-in admin use (RequireAccess).
 */
export const JIT_BASE = "jit-columns";
const route = (path: string, to: keyof JitAccess, page: ReactNode, title: string): RouteObject => ({
  path: `/:realm/${JIT_BASE}${path}`,
  element: <RequireAccess to={to}>{page}</RequireAccess>,
  handle: { access: "anyone", breadcrumb: (t: (k: string) => string) => t(title) },
});
export const jitRoutes: RouteObject[] = [
  route("", "requests", <Inbox />, "jitAccessRequests"),
  route("/requests/:id", "requests", <RequestDetail />, "jitRequestDetails"),
  route("/grants", "grants", <Grants />, "jitActiveGrants"),
  route("/catalog", "viewCatalog", <Catalog />, "jitCatalog"),
  route("/audit", "audit", <Audit />, "jitAudit"),
];

/**
 * The stock admin console (its shell `AdminUi` with header, navigation, breadcrumbs, banners and
 * the route access wall) with every stock route, ours before the stock not-found route (pitfall 5),
 * all under one pathless layout that asks what the admin may use and adds our section to the stock
 * navigation.
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
            <JitAccessProvider>
              <JitAlerts>
                <JitNavSection />
                <Outlet />
              </JitAlerts>
            </JitAccessProvider>
          ),
          children: [...stock, ...jitRoutes, ...notFound] as RouteObject[],
        },
      ],
    },
  ]);
}
