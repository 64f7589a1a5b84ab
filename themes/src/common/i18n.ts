import { createInstance, type LanguageDetectorModule } from "i18next";
import FetchBackend from "i18next-fetch-backend";
import { initReactI18next } from "react-i18next";
import { joinUrl } from "./environment";

type KeyValue = { key: string; value: string };

/**
 * The consoles' translations come from Keycloak's message endpoint, which merges the theme's
 * messages_xx.properties with its parent's (pitfall 8): `/resources/{realm}/{account|admin}/{lng}`.
 * One i18next instance, registered with react-i18next, serves the stock pages and ours.
 */
export function createI18n(serverBaseUrl: string, realm: string, type: "account" | "admin", locale?: string) {
  // The admin console loads the administered realm's messages as the namespace named after it.
  const realmPart = type === "admin" ? "{{ns}}" : encodeURIComponent(realm);
  const detector: LanguageDetectorModule = {
    type: "languageDetector",
    detect: () => locale || navigator.language || "en",
  };
  const i18n = createInstance({
    fallbackLng: "en",
    nsSeparator: false,
    interpolation: { escapeValue: false },
    ...(type === "admin" ? { ns: [realm], defaultNS: realm, keySeparator: "." } : {}),
    backend: {
      loadPath: joinUrl(serverBaseUrl, `resources/${realmPart}/${type}/{{lng}}`),
      parse: (data: string) =>
        Object.fromEntries((JSON.parse(data) as KeyValue[]).map(({ key, value }) => [key, value])),
    },
  });
  i18n.use(FetchBackend);
  i18n.use(detector);
  i18n.use(initReactI18next);
  return i18n;
}
