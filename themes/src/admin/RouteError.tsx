import { ErrorRenderer } from "@keycloak/keycloak-admin-ui";
import { useRouteError } from "react-router-dom";

/** A routing error, shown the way the stock console shows errors. */
export const RouteError = () => {
  const error = useRouteError();
  const e = error instanceof Error ? error : new Error(String(error));
  return <ErrorRenderer error={e} />;
};
