import react from "@vitejs/plugin-react-swc";
import { fileURLToPath } from "node:url";
import type { UserConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One Vite configuration per console. Keycloak's index.ftl (parent theme) reads
 * resources/.vite/manifest.json, injects the entry chunk and its CSS, and provides an import map for
 * react, react/jsx-runtime and react-dom: those stay external (pitfall 2 of notes/consoles.md), and
 * everything else goes into one entry chunk so the manifest names no chunk that Keycloak would turn
 * into a broken modulepreload link (pitfall 1).
 */
export function consoleConfig(type: "account" | "admin"): UserConfig {
  return {
    base: "./",
    plugins: [react()],
    resolve: {
      alias: {
        // Not in the package's "exports"; the account library does not load its own CSS (pitfall 4).
        "jit-account-ui.css": here(
          "node_modules/@keycloak/keycloak-account-ui/lib/keycloak-account-ui.css",
        ),
      },
    },
    build: {
      outDir: here(`dist/theme/jit-columns/${type}/resources`),
      emptyOutDir: true,
      manifest: true,
      target: "esnext",
      sourcemap: false,
      chunkSizeWarningLimit: 10000,
      reportCompressedSize: false,
      rollupOptions: {
        input: here(`src/${type}/main.tsx`),
        external: ["react", "react/jsx-runtime", "react-dom", "react-dom/client"],
        output: {
          inlineDynamicImports: true,
          entryFileNames: "assets/[name]-[hash].js",
          paths: { "react-dom/client": "react-dom" },
        },
      },
    },
  };
}
