import { useRealm } from "@keycloak/keycloak-admin-ui";
import { NavGroup } from "@patternfly/react-core";
import { useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router-dom";
import { useJitAccess } from "./access";

const NAV_SELECTOR = ".keycloak__page_nav__nav .pf-v5-c-nav";

/**
 * The stock PageNav (kept as is, with its feature flags and access checks) gets one more group,
 * "Access requests", rendered through a portal into its <nav>: the stock component has a fixed list
 * (pitfall 6). It lists the pages the API lets the signed-in admin use (`.../jit-columns/me`), and is
 * left out when there is none. Covered by AdminConsoleIT so that a Keycloak upgrade that changes the nav
 * fails loudly.
 */
export const JitNavSection = () => {
  const host = useNavHost();
  const { t } = useTranslation();
  const { realm } = useRealm();
  const access = useJitAccess();
  if (!host || !access) return null;
  const base = `/${encodeURIComponent(realm)}/jit-columns`;
  const items: [string, string, boolean][] = [
    ["jitInbox", base, access.requests],
    ["jitActiveGrants", `${base}/grants`, access.grants],
    ["jitCatalog", `${base}/catalog`, access.viewCatalog],
    ["jitAudit", `${base}/audit`, access.audit],
  ];
  if (!items.some(([, , visible]) => visible)) return null;
  return createPortal(
    <NavGroup aria-label={t("jitAccessRequests")} title={t("jitAccessRequests")} data-testid="jit-nav-section">
      {items
        .filter(([, , visible]) => visible)
        .map(([label, to]) => (
          <li key={to}>
            <NavLink
              end
              to={to}
              id={`nav-item-${label}`}
              data-testid={`nav-item-${label}`}
              className={({ isActive }) => `pf-v5-c-nav__link${isActive ? " pf-m-current" : ""}`}
            >
              {t(label)}
            </NavLink>
          </li>
        ))}
    </NavGroup>,
    host,
  );
};

/** A container at the end of the stock <nav>, re-created if the stock sidebar re-mounts its nav. */
function useNavHost() {
  const [host, setHost] = useState<HTMLElement | null>(null);
  useEffect(() => {
    let current: HTMLElement | null = null;
    const attach = () => {
      const nav = document.querySelector(NAV_SELECTOR);
      if (!nav || (current && nav.contains(current))) return;
      current = document.createElement("div");
      current.className = "jit-columns-nav";
      nav.appendChild(current);
      setHost(current);
    };
    attach();
    const observer = new MutationObserver(attach);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      current?.remove();
    };
  }, []);
  return host;
}
