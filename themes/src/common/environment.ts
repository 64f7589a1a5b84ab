/** Reads the JSON that the parent theme's index.ftl puts in `<script id="environment">`. */
export function injectedEnvironment<T>(): T {
  const text = document.getElementById("environment")?.textContent;
  if (!text) throw new Error("No environment in the page: is the theme's parent keycloak.v3/keycloak.v2?");
  return JSON.parse(text) as T;
}

export const joinUrl = (...parts: string[]) =>
  parts
    .map((p, i) => (i === 0 ? p.replace(/\/+$/, "") : p.replace(/^\/+|\/+$/g, "")))
    .filter((p) => p.length > 0)
    .join("/");
