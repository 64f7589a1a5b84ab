// Builds both consoles unless nothing they are built from changed since the last build.
// Inputs: package-lock.json, the Vite configs, src/account, src/admin, src/common. The fingerprint of
// the last successful build is kept in dist/.build-stamp (dist/ is gitignored and never packaged raw).
// `node scripts/build.mjs --force` (or JIT_THEMES_FORCE=1) rebuilds regardless.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

// The console packages must be exactly the Keycloak version the server runs (Maven's keycloak.version).
const expected = process.env.KEYCLOAK_VERSION;
if (expected) {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const pinned = ["@keycloak/keycloak-account-ui", "@keycloak/keycloak-admin-ui", "@keycloak/keycloak-ui-shared", "@keycloak/keycloak-admin-client"];
  const wrong = pinned.filter((name) => pkg.dependencies[name] !== expected);
  if (wrong.length) {
    console.error(`[themes] package.json must pin ${wrong.join(", ")} to exactly ${expected} (Maven keycloak.version)`);
    process.exit(1);
  }
}
const inputs = ["package-lock.json", "tsconfig.json", "vite.common.ts", "vite.account.config.ts", "vite.admin.config.ts", "src/account", "src/admin", "src/common"];
const stampFile = join(root, "dist", ".build-stamp");
const outputs = ["dist/theme/jit-columns/account/resources/.vite/manifest.json", "dist/theme/jit-columns/admin/resources/.vite/manifest.json"];

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).sort().flatMap((name) => files(join(path, name)));
}

const hash = createHash("sha256");
for (const file of inputs.flatMap(files)) {
  hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
}
const fingerprint = hash.digest("hex");
const force = process.argv.includes("--force") || process.env.JIT_THEMES_FORCE === "1";
const upToDate =
  !force &&
  existsSync(stampFile) &&
  readFileSync(stampFile, "utf8").trim() === fingerprint &&
  outputs.every((o) => existsSync(join(root, o)));

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

if (upToDate) {
  console.log("[themes] consoles up to date, not rebuilt (node scripts/build.mjs --force to rebuild)");
  process.exit(0);
}

// node_modules older than the lock file (a pull that changed dependencies): install what the lock says.
const installed = join(root, "node_modules", ".package-lock.json");
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(root, "package-lock.json")).mtimeMs) {
  console.log("[themes] node_modules missing or older than package-lock.json: npm ci");
  execFileSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}

for (const type of ["account", "admin"]) {
  const started = Date.now();
  execFileSync(npm, ["run", "--silent", `build:${type}`], { cwd: root, stdio: "inherit" });
  console.log(`[themes] ${type} console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
mkdirSync(join(root, "dist"), { recursive: true });
writeFileSync(stampFile, fingerprint + "\n");
