package dev.jitcolumns.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database using the package survives what every DBA does: pg_dump, then pg_restore (custom format) or psql
 * (plain SQL) into a fresh database of the same cluster, for both install methods. Observed from SQL sessions in
 * the restored databases.
 *
 * <p>Where these tests run: pg_dump refuses a server of a newer major version than its own, and the zonky binaries
 * the ITs run on ship no pg_dump. The system's client (Debian's {@code /usr/lib/postgresql/N/bin}, else the
 * {@code PATH}) is used where its major version is at least the server's; elsewhere the tests are skipped. With
 * Debian 12's PostgreSQL 15 client they run on the 14 and 15 servers and are skipped on 16 and 17.
 */
@ExtendWith(PostgresServer.class)
class DumpRestoreIT {

    static final String IBAN = "public.accounts.iban";
    static final String CARD = "public.cards.card_number";

    enum Format { CUSTOM, PLAIN }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class InstalledAsExtension extends Restored {
        InstalledAsExtension() {
            super("dump_ext", "extension");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class InstalledByScript extends Restored {
        InstalledByScript() {
            super("dump_script", "script");
        }
    }

    /**
     * Source database: the package, a JWKS key, public.accounts protected into app.accounts (iban masked, rows by
     * the jit_regions claim), public.cards into app.cards (card_number masked to its last four, no row policy), two
     * tokens presented by the application (usage audit, verified-claims cache). Dumped once per format and restored
     * into a fresh database each.
     */
    abstract class Restored {
        final String source;
        final String method;
        final Map<Format, String> restoreOutput = new EnumMap<>(Format.class);
        final String euToken = token("eu");
        String euHandle;
        List<String> auditBefore;
        List<String> catalogBefore;
        int server;
        Path bin;

        Restored(String source, String method) {
            this.source = source;
            this.method = method;
        }

        /** The restored database; skips the calling test where there is no pg_dump for this server. */
        String restored(Format f) {
            assumeTrue(bin != null, "no pg_dump of major version " + server + " or later on this machine (the zonky "
                    + "binaries ship none, and an older pg_dump refuses a newer server): not tested on PostgreSQL " + server);
            return source + "_" + f.name().toLowerCase(Locale.ROOT);
        }

        @BeforeAll
        void dumpAndRestore() throws Exception {
            try (Session su = Session.superuser("postgres")) {
                server = Integer.parseInt(su.one("SHOW server_version_num")) / 10000;
            }
            bin = clientBin(server);
            if (bin == null) {
                return;
            }
            recreate(source);
            try (Session su = Session.superuser(source)) {
                if (method.equals("extension")) {
                    installExtensionFiles(su);
                    su.exec("CREATE EXTENSION jit_columns");
                } else {
                    SqlPackage.install(su.conn);
                }
                SqlPackage.configure(su.conn, Tokens.ISSUER, "analytics", java.time.Duration.ofSeconds(30),
                        java.time.Duration.ofHours(1));
                SqlPackage.loadJwks(su.conn, Tokens.KEYS.jwks());
                su.exec("CREATE TABLE public.accounts (id int PRIMARY KEY, region text NOT NULL, iban text NOT NULL)");
                su.exec("INSERT INTO public.accounts SELECT i, (ARRAY['eu','us','apac'])[1 + i % 3], 'DE' || (1000 + i) "
                        + "FROM generate_series(1, 30) i");
                su.exec("SELECT jit_columns.protect('public.accounts', ARRAY['iban'], 'app', "
                        + "row_column => 'region', row_claim => 'jit_regions')");
                su.exec("CREATE TABLE public.cards (id int PRIMARY KEY, card_number text NOT NULL)");
                su.exec("INSERT INTO public.cards VALUES (1, '4111111111111111')");
                su.exec("SELECT jit_columns.protect('public.cards', ARRAY['card_number'], 'app', '{\"card_number\": \"last4\"}')");
                su.exec("GRANT jit_columns_client TO " + DemoDatabase.APP_USER);
            }
            try (Session app = Session.app(source)) {
                app.setToken(euToken);
                euHandle = app.one("SELECT current_setting('jit_columns.token')");
                app.setToken(token("us"));
                assertEquals("DE1001", app.one("SELECT iban FROM app.accounts WHERE id = 1"), "source works");
            }
            try (Session su = Session.superuser(source)) {
                auditBefore = su.column(AUDIT);
                catalogBefore = su.column(CATALOG);
                assertEquals(2, auditBefore.size());
            }
            for (Format f : Format.values()) {
                Path dump = Files.createTempFile(source + "-", f == Format.CUSTOM ? ".dump" : ".sql");
                try {
                    run(bin, "pg_dump", "-h", "127.0.0.1", "-p", port(), "-U", "postgres",
                            f == Format.CUSTOM ? "-Fc" : "-Fp", "-f", dump.toString(), source)
                            .expectSuccess("pg_dump");
                    recreate(restored(f));
                    Result r = f == Format.CUSTOM
                            ? run(bin, "pg_restore", "-h", "127.0.0.1", "-p", port(), "-U", "postgres",
                                  "-d", restored(f), dump.toString())
                            : run(bin, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", port(),
                                  "-U", "postgres", "-d", restored(f), "-f", dump.toString());
                    restoreOutput.put(f, "exit " + r.exit + "\n" + r.output);
                } finally {
                    Files.deleteIfExists(dump);
                }
            }
        }

        /**
         * A session of the restored database that comes round with the pid of a session from before the dump and
         * sets the GUC to the handle of the token that session verified gets nothing; presenting the token verifies it
         * afresh (a new usage-audit entry).
         */
        @Order(1)
        @ParameterizedTest
        @EnumSource(Format.class)
        void no_verification_is_carried_over(Format f) throws SQLException {
            try (Session su = Session.superuser(restored(f)); Session app = Session.app(restored(f))) {
                String pid = app.one("SELECT pg_backend_pid()");
                su.exec("UPDATE jit_columns.token_cache SET backend_pid = " + pid + " WHERE backend_pid <> 0");
                app.setGuc(euHandle);
                assertNull(app.one("SELECT jit_columns.claims()"));
                assertEquals("f", app.one("SELECT jit_columns.column_granted('public', 'accounts', 'iban')"));
                assertEquals("0", app.one("SELECT count(*) FROM app.accounts"));

                String audited = su.one("SELECT count(*) FROM jit_columns.usage_audit");
                app.setToken(euToken);
                assertEquals(Integer.parseInt(audited) + 1, Integer.parseInt(su.one("SELECT count(*) FROM jit_columns.usage_audit")),
                        "verified again, not a cache hit");
                assertNotNull(app.one("SELECT jit_columns.claims()"));
            }
        }

        @ParameterizedTest
        @EnumSource(Format.class)
        void restore_reports_no_errors(Format f) {
            restored(f);
            String out = restoreOutput.get(f);
            assertTrue(out.startsWith("exit 0\n"), out);
            assertFalse(out.toLowerCase(Locale.ROOT).contains("error"), out);
        }

        @ParameterizedTest
        @EnumSource(Format.class)
        void a_token_unmasks_the_granted_column_and_no_token_masks_it(Format f) throws SQLException {
            try (Session app = Session.app(restored(f))) {
                assertEquals("************1111", app.one("SELECT card_number FROM app.cards"));
                app.setToken(euToken);
                assertEquals("4111111111111111", app.one("SELECT card_number FROM app.cards"));
                assertEquals("DE1003", app.one("SELECT iban FROM app.accounts WHERE id = 3")); // an eu row
                app.exec("SELECT jit_columns.clear_token()");
                assertEquals("************1111", app.one("SELECT card_number FROM app.cards"));
            }
            try (Session app = Session.app(restored(f))) {
                ObjectNode p = Tokens.payload(CARD); // the row claim, not the iban
                p.putArray("jit_regions").add("eu");
                app.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), p));
                assertEquals("10|0", app.one("SELECT count(*) || '|' || count(iban) FROM app.accounts"));
            }
        }

        @ParameterizedTest
        @EnumSource(Format.class)
        void the_row_policy_still_filters(Format f) throws SQLException {
            try (Session app = Session.app(restored(f))) {
                assertEquals("0", app.one("SELECT count(*) FROM app.accounts"), "no token, no rows");
                app.setToken(euToken);
                assertEquals("[eu]", app.column("SELECT DISTINCT region FROM app.accounts").toString());
                assertEquals("10", app.one("SELECT count(iban) FROM app.accounts"));
            }
        }

        @ParameterizedTest
        @EnumSource(Format.class)
        void the_usage_audit_is_intact_and_goes_on_after_it(Format f) throws SQLException {
            try (Session su = Session.superuser(restored(f))) {
                String last = auditBefore.get(auditBefore.size() - 1).split("\\|")[0];
                assertEquals(auditBefore, su.column(AUDIT + " LIMIT " + auditBefore.size()));
                try (Session app = Session.app(restored(f))) {
                    app.setToken(token("apac"));
                }
                long next = Long.parseLong(su.one("SELECT max(id) FROM jit_columns.usage_audit"));
                assertTrue(next > Long.parseLong(last), next + " after " + last);
                assertEquals(auditBefore, su.column(AUDIT + " LIMIT " + auditBefore.size()));
            }
        }

        @ParameterizedTest
        @EnumSource(Format.class)
        void installed_version_has_one_row(Format f) throws SQLException {
            try (Session su = Session.superuser(restored(f))) {
                String installed = "SELECT string_agg(version || '/' || method, ',') FROM jit_columns.installed_version";
                assertEquals(SqlPackage.version() + "/" + method, su.one(installed));
                if (method.equals("script")) {
                    SqlPackage.install(su.conn); // the install script still runs over the restored package
                } else {
                    su.exec("ALTER EXTENSION jit_columns UPDATE");
                }
                assertEquals(SqlPackage.version() + "/" + method, su.one(installed));
            }
        }

        /** Owners, privileges, SECURITY DEFINER settings, view options and row policies, as in the source. */
        @ParameterizedTest
        @EnumSource(Format.class)
        void objects_keep_their_owners_grants_and_policies(Format f) throws SQLException {
            try (Session su = Session.superuser(restored(f))) {
                assertEquals(catalogBefore, su.column(CATALOG));
                assertEquals("f", su.one("SELECT has_table_privilege('" + DemoDatabase.APP_USER + "', 'public.accounts', 'SELECT')"));
                assertEquals("t", su.one("SELECT has_table_privilege('" + DemoDatabase.APP_USER + "', 'app.accounts', 'SELECT')"));
                // protect() finds its record of the view again (base_table is a regclass: restored by name)
                su.exec("SELECT jit_columns.protect('public.accounts', ARRAY['iban'], 'app', "
                        + "row_column => 'region', row_claim => 'jit_regions')");
                assertEquals("1", su.one("SELECT count(*) FROM jit_columns.protected WHERE base_table = 'public.accounts'::regclass"));
            }
        }
    }

    /** The usage audit as an admin reads it, oldest first. */
    static final String AUDIT = "SELECT concat_ws('|', id, at, session_user_name, sub, jti, grants, columns, token_exp, kid, "
            + "encode(token_sha256, 'hex'), backend_pid) FROM jit_columns.usage_audit ORDER BY id";

    /** Owners and privileges (default ACLs spelled out) of the package's objects, the view and its table; the policies. */
    static final String CATALOG = """
            SELECT concat_ws(' | ', kind, name, owner, extra, acl) FROM (
              SELECT 'schema' AS kind, n.nspname::text AS name, n.nspowner::regrole::text AS owner, '' AS extra,
                     (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM aclexplode(coalesce(n.nspacl, acldefault('n'::"char", n.nspowner))) a) AS acl
                FROM pg_namespace n WHERE n.nspname IN ('jit_columns', 'app')
              UNION ALL
              SELECT 'relation', c.oid::regclass::text, c.relowner::regrole::text,
                     concat_ws(' ', c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, c.reloptions::text),
                     (SELECT string_agg(a::text, ',' ORDER BY a::text)
                        FROM aclexplode(coalesce(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) a)
                FROM pg_class c
               WHERE (c.relnamespace IN ('jit_columns'::regnamespace, 'app'::regnamespace)
                        OR c.oid IN ('public.accounts'::regclass, 'public.cards'::regclass))
                 AND c.relkind IN ('r', 'v', 'S', 'p')
              UNION ALL
              SELECT 'function', p.oid::regprocedure::text, p.proowner::regrole::text,
                     concat_ws(' ', p.prosecdef, p.provolatile, p.proconfig::text),
                     (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM aclexplode(coalesce(p.proacl, acldefault('f'::"char", p.proowner))) a)
                FROM pg_proc p WHERE p.pronamespace = 'jit_columns'::regnamespace
              UNION ALL
              SELECT 'policy', pol.polname::text, pol.polrelid::regclass::text,
                     concat_ws(' ', pol.polcmd, pol.polpermissive, pol.polroles::regrole[]::text,
                               pg_get_expr(pol.polqual, pol.polrelid), pg_get_expr(pol.polwithcheck, pol.polrelid)), ''
                FROM pg_policy pol WHERE pol.polrelid IN ('public.accounts'::regclass, 'public.cards'::regclass)
            ) o ORDER BY 1""";

    static String token(String region) {
        ObjectNode p = Tokens.payload(IBAN, CARD);
        p.putArray("jit_regions").add(region);
        return Tokens.KEYS.sign(Tokens.KEYS.header(), p);
    }

    static String port() {
        return Integer.toString(PostgresServer.port());
    }

    static void recreate(String db) throws SQLException {
        try (Session su = Session.superuser("postgres")) {
            su.exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            su.exec("CREATE DATABASE " + db);
        }
    }

    /** The extension's files, in the server's share/extension folder (as ProtectIT's create_extension does). */
    static void installExtensionFiles(Session su) throws SQLException, IOException {
        Path ext = Path.of(su.one("SELECT setting FROM pg_config WHERE name = 'SHAREDIR'"), "extension");
        Files.writeString(ext.resolve("jit_columns.control"), SqlPackage.controlFile());
        Files.writeString(ext.resolve(SqlPackage.extensionScriptName()), SqlPackage.extensionScript());
    }

    /** The folder of a pg_dump, pg_restore and psql whose major version is at least the server's, or null. */
    static Path clientBin(int server) throws IOException, InterruptedException {
        List<Path> candidates = new ArrayList<>();
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> dirs = Files.list(debian)) {
                dirs.map(d -> d.resolve("bin")).forEach(candidates::add);
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir));
            }
        }
        Pattern version = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
        for (Path bin : candidates) {
            if (Files.isExecutable(bin.resolve("pg_dump")) && Files.isExecutable(bin.resolve("pg_restore"))
                    && Files.isExecutable(bin.resolve("psql"))) {
                Matcher m = version.matcher(run(bin, "pg_dump", "--version").output);
                if (m.find() && Integer.parseInt(m.group(1)) >= server) {
                    return bin;
                }
            }
        }
        return null;
    }

    record Result(int exit, String output) {
        Result expectSuccess(String what) {
            assertEquals(0, exit, what + ": " + output);
            return this;
        }
    }

    static Result run(Path bin, String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(tool + " did not finish: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}
