package dev.jitcolumns.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** protect(), row policies, lint(), installation paths and key rotation, observed from SQL sessions. */
@ExtendWith(PostgresServer.class)
class ProtectIT {

    @Nested
    class Identifiers {
        static final String TABLE = "public.\"we\"\"ird; tbl\"";

        @BeforeAll
        static void weirdTable() throws SQLException {
            try (Session su = Session.superuser()) {
                su.exec("DROP TABLE IF EXISTS " + TABLE + " CASCADE");
                su.exec("CREATE TABLE " + TABLE + " (id int, \"a \"\"quoted\"\" col\" text, \"semi;colon\" text, "
                        + "\"Sp Ace\" text, \"x'); DROP TABLE customers; --\" text)");
                su.exec("INSERT INTO " + TABLE + " VALUES (1, 'q-secret', 's-secret', 'sp-secret', 'i-secret')");
                su.exec("SELECT jit_columns.protect('" + TABLE.replace("'", "''") + "'::regclass, "
                        + "ARRAY['a \"quoted\" col', 'semi;colon', 'Sp Ace', 'x''); DROP TABLE customers; --'], "
                        + "'odd \"sch''ema')");
            }
        }

        @Test
        void injection_in_column_name() throws SQLException {
            try (Session su = Session.superuser()) {
                for (String col : new String[] {"ssn; DROP TABLE public.customers; --", "ssn\"", "SSN", " ssn", "ssn) --"}) {
                    SQLException e = assertThrows(SQLException.class, () -> su.exec(
                            "SELECT jit_columns.protect('public.customers', ARRAY['" + col.replace("'", "''") + "'], 'app2')"));
                    assertEquals("42703", e.getSQLState(), e.getMessage());
                }
                SQLException e = assertThrows(SQLException.class, () -> su.exec(
                        "SELECT jit_columns.protect('public.customers', ARRAY['ssn'], 'app2', '{\"ssn\": \"x END, (SELECT 1) AS y --\"}')"));
                assertEquals("22023", e.getSQLState(), e.getMessage());
                assertEquals("1000", su.one("SELECT count(*) FROM public.customers"));
            }
            try (Session s = Session.app()) {
                // the quoted names became a working masked view, every protected column masked
                assertEquals("1|~|~|~", s.one("SELECT concat_ws('|', id, coalesce(\"a \"\"quoted\"\" col\", '~'), coalesce(\"semi;colon\", '~'), coalesce(\"Sp Ace\", '~')) "
                        + "FROM \"odd \"\"sch'ema\".\"we\"\"ird; tbl\""));
                ObjectNode p = Tokens.payload("public.we\"ird; tbl.semi;colon", "public.we\"ird; tbl.Sp Ace");
                s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), p));
                assertEquals("1|~|s-secret|sp-secret|~", s.one("SELECT concat_ws('|', id, coalesce(\"a \"\"quoted\"\" col\", '~'), "
                        + "\"semi;colon\", \"Sp Ace\", coalesce(\"x'); DROP TABLE customers; --\", '~')) "
                        + "FROM \"odd \"\"sch'ema\".\"we\"\"ird; tbl\""));
            }
        }
    }

    @Nested
    class RowPolicy {
        @BeforeAll
        static void accounts() throws SQLException {
            try (Session su = Session.superuser()) {
                su.exec("DROP TABLE IF EXISTS public.accounts CASCADE");
                su.exec("CREATE TABLE public.accounts (id int PRIMARY KEY, region text NOT NULL, iban text NOT NULL)");
                su.exec("INSERT INTO public.accounts SELECT i, (ARRAY['eu','us','apac'])[1 + i % 3], 'DE' || (1000 + i) "
                        + "FROM generate_series(1, 30) i");
                su.exec("SELECT jit_columns.protect('public.accounts', ARRAY['iban'], 'app', "
                        + "row_column => 'region', row_claim => 'jit_regions')");
                su.exec("SELECT jit_columns.protect('public.accounts', ARRAY['iban'], 'app', "
                        + "row_column => 'region', row_claim => 'jit_regions', view_name => 'accounts_sb', security_barrier => true)");
                su.exec("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reporting') THEN "
                        + "CREATE ROLE reporting LOGIN PASSWORD 'reporting'; END IF; END $$");
                su.exec("GRANT SELECT ON public.accounts TO reporting");
            }
        }

        String eu() {
            ObjectNode p = Tokens.payload("public.accounts.iban");
            p.putArray("jit_regions").add("eu");
            return Tokens.KEYS.sign(Tokens.KEYS.header(), p);
        }

        @Test
        void row_policy_is_fail_closed_without_token() throws SQLException {
            try (Session s = Session.app()) {
                assertEquals("0", s.one("SELECT count(*) FROM app.accounts"));
                s.setToken(Tokens.KEYS.token("public.accounts.iban")); // token without the row claim
                assertEquals("0", s.one("SELECT count(*) FROM app.accounts"));
                s.exec("SET jit_columns.token = 'forged'");
                assertEquals("0", s.one("SELECT count(*) FROM app.accounts"));
            }
        }

        @Test
        void row_policy_follows_the_claim() throws SQLException {
            try (Session s = Session.app()) {
                s.setToken(eu());
                assertEquals("[eu]", s.column("SELECT DISTINCT region FROM app.accounts").toString());
                assertEquals("10", s.one("SELECT count(iban) FROM app.accounts"));
            }
        }

        /** Keycloak signs what its mappers put in; a claim of another shape than strings is not read half-way. */
        @Test
        void a_row_claim_with_anything_but_strings_in_it_shows_no_row() throws SQLException {
            ObjectNode p = Tokens.payload("public.accounts.iban");
            p.putArray("jit_regions").add("us").addArray().add("eu");
            try (Session s = Session.app()) {
                s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), p));
                assertEquals("0", s.one("SELECT count(*) FROM app.accounts"));
            }
        }

        @Test
        void other_readers_of_the_table_are_unaffected() throws SQLException {
            try (Connection c = PostgresServer.login("analytics", "reporting");
                 var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM public.accounts")) {
                rs.next();
                assertEquals(30, rs.getInt(1));
            }
        }

        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(strings = {"app.accounts", "app.accounts_sb"})
        void leaky_function_over_row_policy(String view) throws SQLException {
            try (Session s = Session.app()) {
                s.setToken(eu());
                s.exec("CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS "
                        + "$$ BEGIN RAISE NOTICE 'leak: %', $1; RETURN true; END $$");
                List<String> notices = new ArrayList<>();
                try (var st = s.conn.createStatement()) {
                    st.execute("SELECT id FROM " + view + " WHERE pg_temp.leak(region || ':' || id || ':' || coalesce(iban, 'masked'))");
                    for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                        notices.add(w.getMessage());
                    }
                }
                assertEquals(10, notices.size(), notices.toString());
                notices.forEach(n -> assertTrue(n.startsWith("leak: eu:"), n));
            }
        }

        /**
         * PostgreSQL runs a user's leakproof comparison before the row policy, and EXPLAIN ANALYZE shows whether the
         * policy's claim lookup ran: whether any row passed the comparison. Over a protected column, the rows the
         * policy hides read NULL, so the plan tells nothing a hidden row holds.
         */
        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(strings = {"app.accounts", "app.accounts_sb"})
        void a_qual_over_a_protected_column_tells_nothing_of_the_rows_the_policy_hides(String view) throws SQLException {
            try (Session s = Session.app()) {
                s.setToken(eu());
                String hidden = plan(s, view, "DE1001"); // account 1 is in 'us'
                String none = plan(s, view, "DE9999");   // no account has it
                String visible = plan(s, view, "DE1003"); // account 3 is in 'eu'
                assertEquals(none, hidden);
                assertFalse(visible.equals(none), "the plan does show a visible row: " + visible);
            }
        }

        /** The plan of a lookup by iban, its literal taken out. */
        static String plan(Session s, String view, String iban) throws SQLException {
            return String.join("\n", s.column("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT id FROM " + view
                    + " WHERE iban = '" + iban + "'")).replace(iban, "?");
        }
    }

    @Nested
    class RowColumnTypes {
        @Test
        void a_row_column_whose_type_cuts_a_claim_value_is_refused() throws SQLException {
            try (Session su = Session.superuser()) {
                for (String type : new String[] {"\"char\"", "name"}) {
                    su.exec("DROP TABLE IF EXISTS public.tenants_cut CASCADE");
                    su.exec("CREATE TABLE public.tenants_cut (id int PRIMARY KEY, org " + type + " NOT NULL, secret text)");
                    SQLException e = assertThrows(SQLException.class, () -> su.exec("SELECT jit_columns.protect('public.tenants_cut', "
                            + "ARRAY['secret'], 'app', row_column => 'org', row_claim => 'org')"));
                    assertEquals("22023", e.getSQLState(), e.getMessage());
                    assertTrue(e.getMessage().contains("cuts a longer claim value"), e.getMessage());
                }
            }
        }
    }

    @Nested
    class SharedRowPolicy {
        @Test
        void another_view_of_the_table_cannot_drop_or_change_its_row_policy() throws SQLException {
            try (Session su = Session.superuser()) {
                su.exec("DROP TABLE IF EXISTS public.branches CASCADE");
                su.exec("CREATE TABLE public.branches (id int PRIMARY KEY, region text NOT NULL, iban text NOT NULL)");
                su.exec("INSERT INTO public.branches VALUES (1, 'eu', 'DE1'), (2, 'us', 'US2')");
                su.exec("SELECT jit_columns.protect('public.branches', ARRAY['iban'], 'app', "
                        + "row_column => 'region', row_claim => 'jit_regions')");
                for (String call : new String[] {
                        "SELECT jit_columns.protect('public.branches', ARRAY['iban'], 'reports', view_name => 'branches_report')",
                        "SELECT jit_columns.protect('public.branches', ARRAY['iban'], 'reports', row_column => 'region', "
                                + "row_claim => 'other_claim', view_name => 'branches_report')"}) {
                    SQLException e = assertThrows(SQLException.class, () -> su.exec(call));
                    assertEquals("22023", e.getSQLState(), e.getMessage());
                    assertTrue(e.getMessage().contains("shares its row policy"), e.getMessage());
                }
            }
            try (Session s = Session.app()) {
                s.setToken(Tokens.KEYS.token("public.branches.iban")); // no row claim
                assertEquals("0", s.one("SELECT count(*) FROM app.branches"), "the first view still filters its rows");
            }
        }

        @Test
        void a_claim_value_longer_than_the_column_is_not_cut_to_match() throws SQLException {
            try (Session su = Session.superuser()) {
                su.exec("DROP TABLE IF EXISTS public.tenants, public.tenants_char, public.tenants_domain CASCADE");
                su.exec("DROP DOMAIN IF EXISTS public.org_code");
                su.exec("CREATE DOMAIN public.org_code AS varchar(2)");
                for (String[] t : new String[][] {{"tenants", "varchar(4)", "acme", "acme-corp-evil"},
                        {"tenants_char", "char(2)", "AB", "ABX"}, {"tenants_domain", "public.org_code", "AC", "ACME"}}) {
                    su.exec("CREATE TABLE public." + t[0] + " (id int PRIMARY KEY, org " + t[1] + " NOT NULL, secret text NOT NULL)");
                    su.exec("INSERT INTO public." + t[0] + " VALUES (1, '" + t[2] + "', 's1'), (2, 'A', 's2')");
                    su.exec("SELECT jit_columns.protect('public." + t[0] + "', ARRAY['secret'], 'app', row_column => 'org', row_claim => 'org')");
                }
            }
            for (String[] t : new String[][] {{"tenants", "acme", "acme-corp-evil"}, {"tenants_char", "AB", "ABX"},
                    {"tenants_domain", "AC", "ACME"}}) {
                try (Session s = Session.app()) {
                    s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), Tokens.payload("public." + t[0] + ".secret").put("org", t[2])));
                    assertEquals("0", s.one("SELECT count(*) FROM app." + t[0]), t[2] + " must not read as " + t[1]);
                    s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), Tokens.payload("public." + t[0] + ".secret").put("org", t[1])));
                    assertEquals("1:s1", s.one("SELECT string_agg(id || ':' || secret, ',') FROM app." + t[0]), t[0]);
                }
            }
        }
    }

    @Nested
    class IntoSchema {
        /** The owner of a schema may drop what is in it, and put in a view of its own that copies what tokens show. */
        @Test
        void a_schema_a_client_owns_is_refused() throws SQLException {
            try (Session su = Session.superuser()) {
                su.exec("DROP SCHEMA IF EXISTS clients_own CASCADE");
                su.exec("CREATE SCHEMA clients_own AUTHORIZATION " + DemoDatabase.APP_USER);
                SQLException e = assertThrows(SQLException.class,
                        () -> su.exec("SELECT jit_columns.protect('public.customers', ARRAY['ssn'], 'clients_own')"));
                assertEquals("42501", e.getSQLState(), e.getMessage());
                assertTrue(e.getMessage().contains("owned by a client role"), e.getMessage());
                assertEquals("0", su.one("SELECT count(*) FROM pg_class WHERE relnamespace = 'clients_own'::regnamespace"));
                su.exec("DROP SCHEMA clients_own");
            }
        }
    }

    @Nested
    class Masks {
        @Test
        void the_year_of_a_timestamptz_does_not_depend_on_the_readers_time_zone() throws SQLException {
            try (Session su = Session.superuser()) {
                su.exec("DROP TABLE IF EXISTS public.logins CASCADE");
                su.exec("CREATE TABLE public.logins (id int PRIMARY KEY, at timestamptz NOT NULL)");
                su.exec("INSERT INTO public.logins VALUES (1, '2025-12-31 23:30:00+00')");
                su.exec("SELECT jit_columns.protect('public.logins', ARRAY['at'], 'app', '{\"at\": \"year\"}')");
            }
            try (Session s = Session.app()) {
                for (String zone : new String[] {"UTC", "<+0029>-00:29", "<+0031>-00:31", "Pacific/Kiritimati"}) {
                    s.exec("SET TimeZone = '" + zone + "'");
                    assertEquals("2025-01-01T00:00:00Z", s.one("SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                            + "FROM app.logins"), zone);
                }
            }
        }

        @Test
        void names_with_a_dot_are_refused() throws SQLException {
            // a table "a.b" with column c and a table "a" with column "b.c" would share the grant a.b.c
            try (Session su = Session.superuser()) {
                su.exec("DROP TABLE IF EXISTS public.\"a.b\", public.a CASCADE");
                su.exec("CREATE TABLE public.\"a.b\" (id int, c text)");
                su.exec("CREATE TABLE public.a (id int, \"b.c\" text)");
                for (String call : new String[] {"SELECT jit_columns.protect('public.\"a.b\"', ARRAY['c'], 'app')",
                        "SELECT jit_columns.protect('public.a', ARRAY['b.c'], 'app')"}) {
                    SQLException e = assertThrows(SQLException.class, () -> su.exec(call));
                    assertEquals("22023", e.getSQLState(), e.getMessage());
                    assertTrue(e.getMessage().contains("dot"), e.getMessage());
                }
            }
        }
    }

    @Nested
    class Lint {
        /** A partition of a protected table, or any column of one under a row policy, read directly. */
        @Test
        void lint_finds_readable_partitions_and_columns_that_skip_the_row_policy() throws SQLException {
            try (Session su = Session.superuser()) {
                su.exec("DROP TABLE IF EXISTS public.pt, public.rowed CASCADE");
                su.exec("CREATE TABLE public.pt (id int, region text, ssn text) PARTITION BY LIST (region)");
                su.exec("CREATE TABLE public.pt_eu PARTITION OF public.pt FOR VALUES IN ('eu')");
                su.exec("SELECT jit_columns.protect('public.pt', ARRAY['ssn'], 'app')");
                su.exec("CREATE TABLE public.rowed (id int, tenant text, secret text)");
                su.exec("SELECT jit_columns.protect('public.rowed', ARRAY['secret'], 'app', row_column => 'tenant', row_claim => 'tenant')");
                su.exec("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'careless_too') THEN "
                        + "CREATE ROLE careless_too LOGIN; END IF; END $$");
                su.exec("GRANT jit_columns_client TO careless_too");
                su.exec("GRANT SELECT ON public.pt_eu TO careless_too");
                su.exec("GRANT SELECT (id, tenant) ON public.rowed TO careless_too");
                try {
                    List<String> found = su.column("SELECT problem || ' ' || object FROM jit_columns.lint() ORDER BY 1");
                    assertTrue(found.contains("base_readable public.pt_eu"), found.toString());
                    assertTrue(found.contains("base_readable public.rowed"), found.toString());
                } finally {
                    su.exec("DROP TABLE public.pt, public.rowed CASCADE");
                    su.exec("REVOKE jit_columns_client FROM careless_too");
                }
            }
        }

        /** Three ways around a protected table's view that a grant or an ALTER opens afterwards. */
        @Test
        void lint_finds_a_row_policy_turned_off_a_role_acting_as_the_owner_and_another_view() throws SQLException {
            try (Session su = Session.superuser()) {
                su.exec("DROP TABLE IF EXISTS public.linted CASCADE");
                su.exec("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'linted_owner') THEN "
                        + "CREATE ROLE linted_owner; END IF; IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'careless_three') THEN "
                        + "CREATE ROLE careless_three LOGIN NOINHERIT; END IF; END $$");
                su.exec("CREATE TABLE public.linted (id int, tenant text, secret text)");
                su.exec("SELECT jit_columns.protect('public.linted', ARRAY['secret'], 'app', row_column => 'tenant', row_claim => 'tenant')");
                su.exec("GRANT jit_columns_client TO careless_three");
                try {
                    assertEquals("[]", su.column("SELECT problem FROM jit_columns.lint() WHERE object LIKE '%linted%' "
                            + "OR detail LIKE '%linted%'").toString());
                    su.exec("ALTER TABLE public.linted DISABLE ROW LEVEL SECURITY");
                    su.exec("ALTER TABLE public.linted OWNER TO linted_owner");
                    su.exec("GRANT linted_owner TO careless_three"); // NOINHERIT: no privilege of it, but SET ROLE to it
                    su.exec("CREATE VIEW app.linted_copy AS SELECT id, secret FROM public.linted");
                    su.exec("GRANT SELECT ON app.linted_copy TO careless_three");
                    List<String> found = su.column("SELECT problem || ' ' || object FROM jit_columns.lint() ORDER BY 1");
                    assertTrue(found.contains("row_policy_off public.linted"), found.toString());
                    assertTrue(found.contains("owner_membership careless_three"), found.toString());
                    assertTrue(found.contains("other_view app.linted_copy"), found.toString());
                } finally {
                    su.exec("DROP TABLE public.linted CASCADE");
                    su.exec("REVOKE jit_columns_client FROM careless_three");
                    su.exec("REVOKE linted_owner FROM careless_three");
                }
            }
        }

        @Test
        void lint_finds_per_row_calls_and_readable_base_tables() throws SQLException {
            try (Session su = Session.superuser()) {
                assertEquals("[]", su.column("SELECT problem || ' ' || object FROM jit_columns.lint() "
                        + "WHERE object LIKE '%customers%'").toString());
                su.exec("CREATE OR REPLACE VIEW app.slow_customers AS SELECT id, "
                        + "CASE WHEN jit_columns.column_granted('public', 'customers', 'ssn') THEN ssn END AS ssn FROM public.customers");
                su.exec("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'careless_app') THEN "
                        + "CREATE ROLE careless_app LOGIN; END IF; END $$");
                su.exec("GRANT jit_columns_client TO careless_app");
                su.exec("GRANT SELECT ON public.customers TO careless_app");
                try {
                    List<String> found = su.column("SELECT problem || ' ' || object FROM jit_columns.lint() ORDER BY 1");
                    assertTrue(found.contains("per_row_call app.slow_customers"), found.toString());
                    assertTrue(found.contains("base_readable public.customers"), found.toString());
                    assertFalse(found.stream().anyMatch(f -> f.contains("app.customers")), found.toString());
                } finally {
                    su.exec("DROP VIEW app.slow_customers");
                    su.exec("REVOKE SELECT ON public.customers FROM careless_app");
                    su.exec("REVOKE jit_columns_client FROM careless_app");
                }
            }
        }
    }

    @Nested
    class Installation {
        @Test
        void install_script_is_idempotent_and_refuses_downgrade() throws SQLException {
            try (Connection c = PostgresServer.superuser("postgres")) {
                DemoDatabase.createDatabase(c, "reinstall");
            }
            try (Connection c = PostgresServer.superuser("reinstall")) {
                SqlPackage.install(c);
                DemoDatabase.create(c, 50);
                SqlPackage.install(c);
                DemoDatabase.create(c, 60);
                try (var st = c.createStatement()) {
                    var rs = st.executeQuery("SELECT string_agg(version || '/' || method, ',') FROM jit_columns.installed_version");
                    rs.next();
                    assertEquals(SqlPackage.version() + "/script", rs.getString(1));
                    rs = st.executeQuery("SELECT count(*) FROM public.customers");
                    rs.next();
                    assertEquals(60, rs.getInt(1));
                    st.execute("INSERT INTO jit_columns.installed_version VALUES ('99.0.0', now(), 'test')");
                }
                SQLException e = assertThrows(SQLException.class, () -> SqlPackage.install(c));
                assertTrue(e.getMessage().contains("refusing to downgrade"), e.getMessage());
            }
        }

        /**
         * Re-installing over a token cache of an earlier shape drops it, which waits for every session reading it. A
         * transaction that holds it open makes the install fail after 5 s, whole: nothing of it is left, and the
         * installed package works as before. Once the lock is gone, the same install goes through.
         */
        @Test
        void a_reinstall_behind_a_lock_on_the_token_cache_fails_whole_and_goes_through_later() throws SQLException {
            try (Connection c = PostgresServer.superuser("postgres")) {
                DemoDatabase.createDatabase(c, "locked");
            }
            String shaped = "SELECT count(*) FROM pg_attribute WHERE attrelid = 'jit_columns.token_cache'::regclass"
                    + " AND attname = 'session_key'";
            try (Session su = Session.superuser("locked"); Session holder = Session.superuser("locked")) {
                SqlPackage.install(su.conn);
                DemoDatabase.create(su.conn, 10);
                su.exec("ALTER TABLE jit_columns.token_cache DROP COLUMN session_key"); // as an earlier build left it
                su.exec("COMMENT ON SCHEMA jit_columns IS 'before'"); // the install sets it before it reaches the cache
                String before = su.one("SELECT string_agg(version || installed_at, ',') FROM jit_columns.installed_version");
                holder.conn.setAutoCommit(false);
                holder.exec("LOCK TABLE jit_columns.token_cache IN ACCESS SHARE MODE");

                SQLException e = assertThrows(SQLException.class, () -> SqlPackage.install(su.conn));
                assertEquals("55P03", e.getSQLState(), e.getMessage()); // lock_not_available
                assertEquals("0", su.one(shaped), "the old cache is still there, untouched");
                assertEquals("before", su.one("SELECT obj_description('jit_columns'::regnamespace)"), "nothing of the install is left");
                assertEquals(before, su.one("SELECT string_agg(version || installed_at, ',') FROM jit_columns.installed_version"));
                try (Session app = Session.app("locked")) {
                    assertNull(app.ssn(), "masked as before, without a token");
                }

                holder.conn.rollback();
                SqlPackage.install(su.conn);
                assertEquals("1", su.one(shaped));
                assertTrue(su.one("SELECT obj_description('jit_columns'::regnamespace)").startsWith("jit-columns:"));
            }
        }

        /**
         * A client that may create in public (PostgreSQL 14's default, kept by pg_upgrade) plants operators with the
         * exact argument types the install and demo scripts use, which would win over pg_catalog's polymorphic ones and
         * run as the superuser who re-installs.
         */
        @Test
        void a_client_planting_operators_in_public_gains_nothing_when_a_superuser_reinstalls() throws SQLException {
            try (Connection c = PostgresServer.superuser("postgres")) {
                DemoDatabase.createDatabase(c, "planted");
            }
            try (Connection c = PostgresServer.superuser("planted")) {
                DemoDatabase.create(c, 10);
                c.createStatement().execute("GRANT CREATE ON SCHEMA public TO PUBLIC");
            }
            String escalate = "LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN EXECUTE 'ALTER ROLE app_user SUPERUSER'; END IF;"
                    + " RETURN %s; END $$";
            try (Session app = Session.app("planted")) {
                app.exec("CREATE FUNCTION public.gt(int[], int[]) RETURNS boolean " + String.format(escalate, "false"));
                app.exec("CREATE OPERATOR public.> (LEFTARG = int[], RIGHTARG = int[], FUNCTION = public.gt)");
                app.exec("CREATE FUNCTION public.cat(text, bigint) RETURNS text " + String.format(escalate, "$1 OPERATOR(pg_catalog.||) $2::text"));
                app.exec("CREATE OPERATOR public.|| (LEFTARG = text, RIGHTARG = bigint, FUNCTION = public.cat)");
            }
            try (Connection c = PostgresServer.superuser("planted")) {
                SqlPackage.install(c);
                DemoDatabase.create(c, 20);
                try (var st = c.createStatement()) {
                    var rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = 'app_user'");
                    rs.next();
                    boolean escalated = rs.getBoolean(1);
                    st.execute("ALTER ROLE app_user NOSUPERUSER");
                    assertFalse(escalated, "the client became a superuser");
                    rs = st.executeQuery("SELECT name FROM public.customers WHERE id = 20");
                    rs.next();
                    assertEquals("Customer 20", rs.getString(1));
                }
            }
        }

        @Test
        void create_extension() throws Exception {
            Path ext;
            try (Session su = Session.superuser()) {
                ext = Path.of(su.one("SELECT setting FROM pg_config WHERE name = 'SHAREDIR'"), "extension");
            }
            Files.writeString(ext.resolve("jit_columns.control"), SqlPackage.controlFile());
            Files.writeString(ext.resolve(SqlPackage.extensionScriptName()), SqlPackage.extensionScript());
            try (Connection c = PostgresServer.superuser("postgres")) {
                DemoDatabase.createDatabase(c, "ext");
            }
            try (Connection c = PostgresServer.superuser("ext"); var st = c.createStatement()) {
                st.execute("DROP EXTENSION IF EXISTS jit_columns CASCADE");
                st.execute("CREATE EXTENSION jit_columns");
                st.execute("SELECT jit_columns.configure('" + Tokens.ISSUER + "', 'analytics', '30 s', '1 h')");
                st.execute("SELECT jit_columns.load_jwks('" + Tokens.KEYS.jwks() + "')");
                var rs = st.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'jit_columns'");
                rs.next();
                assertEquals(SqlPackage.version(), rs.getString(1));
                rs = st.executeQuery("SELECT jit_columns.set_token('" + Tokens.KEYS.token("public.customers.ssn") + "') ->> 'columns'");
                rs.next();
                assertEquals("[\"public.customers.ssn\"]", rs.getString(1));
                rs = st.executeQuery("SELECT string_agg(p.proname, ',') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                        + "WHERE n.nspname = 'jit_columns' AND p.prosecdef AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)");
                rs.next();
                assertNull(rs.getString(1), "every SECURITY DEFINER function pins search_path");
                rs = st.executeQuery("SELECT string_agg(p.proname, ',') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                        + "WHERE n.nspname = 'jit_columns' AND (p.proowner <> 'jit_columns_owner'::regrole "
                        + "OR has_function_privilege('public', p.oid, 'EXECUTE'))");
                rs.next();
                assertNull(rs.getString(1), "owned by jit_columns_owner, no EXECUTE for PUBLIC");
                st.execute("DROP EXTENSION jit_columns");
            }
        }
    }

    @Nested
    class AdminRole {
        @Test
        void the_agent_role_manages_keys_and_revocations_but_cannot_forge() throws Exception {
            try (Session su = Session.superuser()) {
                su.exec("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'agent') THEN "
                        + "CREATE ROLE agent LOGIN PASSWORD 'agent'; END IF; END $$");
                su.exec("GRANT jit_columns_admin TO agent");
            }
            try (Connection c = PostgresServer.login("analytics", "agent"); var st = c.createStatement()) {
                String loaded = SqlPackage.loadJwks(c, Tokens.KEYS.jwks());
                assertTrue(loaded.contains(Tokens.KEYS.kid), loaded);
                st.execute("SELECT jit_columns.revoke_grant('grant-never-issued')");
                st.execute("SELECT jit_columns.purge()");
                st.execute("SELECT count(*) FROM jit_columns.lint()");
                var rs = st.executeQuery("SELECT count(*) >= 0 FROM jit_columns.usage_audit");
                rs.next();
                assertTrue(rs.getBoolean(1));
                for (String sql : new String[] {"DELETE FROM jit_columns.usage_audit",
                        "INSERT INTO jit_columns.keys (kid, n, k, d, mu, em_base, jwk) VALUES ('x', 3, 256, 1, 1, 1, '{}')",
                        "UPDATE jit_columns.token_cache SET columns = '{}'", "SET ROLE jit_columns_owner",
                        "SELECT jit_columns.verify_token('x')"}) {
                    SQLException e = assertThrows(SQLException.class, () -> st.execute(sql));
                    assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
                }
            }
        }
    }

    @Nested
    class Keys {
        @Test
        void key_rotation_with_grace_then_retirement() throws SQLException {
            Tokens next = new Tokens("test-key-2");
            String both = "{\"keys\": [" + Tokens.KEYS.jwk() + ", " + next.jwk() + "]}";
            String onlyMain = "{\"keys\": [" + Tokens.KEYS.jwk() + "]}";
            try (Session su = Session.superuser()) {
                su.exec("SELECT jit_columns.load_jwks('" + both + "')");
                String token = next.token(AttacksIT.SSN);
                try (Session s = Session.app()) {
                    s.setToken(token);
                    assertEquals("t", s.one("SELECT jit_columns.column_granted('public', 'customers', 'ssn')"));
                    // test-key-2 leaves the JWKS: it keeps verifying during the grace period
                    JsonNode r = Tokens.JSON.readTree(su.one("SELECT jit_columns.load_jwks('" + onlyMain + "')"));
                    // (another test of this database may have left keys of its own to retire)
                    assertTrue(r.get("retiring").findValuesAsText("kid").contains("test-key-2"), r.toString());
                    try (Session s2 = Session.app()) {
                        s2.setToken(token);
                    }
                    // grace over: retired, also for the session that already holds a verified token
                    su.exec("UPDATE jit_columns.keys SET retire_at = now() - interval '1 s' WHERE kid = 'test-key-2'");
                    su.exec("SELECT jit_columns.load_jwks('" + onlyMain + "')");
                    assertEquals("f", s.one("SELECT jit_columns.column_granted('public', 'customers', 'ssn')"));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                AttacksIT.rejected(token, "unknown kid");
                su.exec("SELECT jit_columns.purge()");
                assertEquals("0", su.one("SELECT count(*) FROM jit_columns.keys WHERE kid = 'test-key-2'"));
            }
        }

        /** A compromised key: gone from the JWKS, then a zero grace and one more load retire it at once. */
        @Test
        void a_zero_grace_retires_a_key_already_retiring() throws Exception {
            Tokens leaked = new Tokens("leaked-key");
            try (Session su = Session.superuser()) {
                su.exec("SELECT jit_columns.load_jwks('{\"keys\": [" + Tokens.KEYS.jwk() + ", " + leaked.jwk() + "]}')");
                su.exec("SELECT jit_columns.load_jwks('{\"keys\": [" + Tokens.KEYS.jwk() + "]}')"); // retiring, a day's grace
                try {
                    su.exec("SELECT jit_columns.configure('" + Tokens.ISSUER + "', 'analytics', '30 s', '1 h', '0')");
                    su.exec("SELECT jit_columns.load_jwks('{\"keys\": [" + Tokens.KEYS.jwk() + "]}')");
                    AttacksIT.rejected(leaked.token(AttacksIT.SSN), "unknown kid");
                } finally {
                    su.exec("SELECT jit_columns.configure('" + Tokens.ISSUER + "', 'analytics', '30 s', '1 h')");
                }
            }
        }

        @Test
        void one_bad_member_of_a_jwks_does_not_keep_the_others_from_loading() throws Exception {
            Tokens next = new Tokens("next-key");
            ObjectNode noE = (ObjectNode) Tokens.KEYS.jwk().put("kid", "no-e").without("e");
            ObjectNode nullN = Tokens.KEYS.jwk().put("kid", "null-n").putNull("n");
            try (Session su = Session.superuser()) {
                JsonNode r = Tokens.JSON.readTree(su.one("SELECT jit_columns.load_jwks('{\"keys\": [" + noE + ", " + nullN + ", "
                        + Tokens.KEYS.jwk() + ", " + next.jwk() + "]}')"));
                assertEquals(2, r.get("refused").size(), r.toString());
                assertTrue(r.get("active").toString().contains("next-key"), r.toString());
                try (Session s = Session.app()) {
                    s.setToken(next.token(AttacksIT.SSN));
                    assertEquals("t", s.one("SELECT jit_columns.column_granted('public', 'customers', 'ssn')"));
                }
            }
        }

        @Test
        void small_exponent_and_short_keys_refused_at_load() throws Exception {
            java.math.BigInteger n = ((java.security.interfaces.RSAPublicKey) Tokens.KEYS.pair.getPublic()).getModulus();
            ObjectNode e3 = Tokens.KEYS.jwk().put("kid", "e3").put("e", Tokens.b64(new byte[] {3}));
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            java.security.interfaces.RSAPublicKey small = (java.security.interfaces.RSAPublicKey) g.generateKeyPair().getPublic();
            ObjectNode k1024 = Tokens.KEYS.jwk().put("kid", "k1024").put("n", Tokens.b64(Tokens.unsigned(small.getModulus())));
            try (Session su = Session.superuser()) {
                JsonNode r = Tokens.JSON.readTree(su.one("SELECT jit_columns.load_jwks('{\"keys\": [" + Tokens.KEYS.jwk() + ", "
                        + e3 + ", " + k1024 + "]}')"));
                assertEquals(2, r.get("refused").size(), r.toString());
                assertTrue(r.get("refused").toString().contains("exponent 3 refused"), r.toString());
                assertTrue(r.get("refused").toString().contains("1024 bits refused"), r.toString());
                assertEquals("0", su.one("SELECT count(*) FROM jit_columns.keys WHERE kid IN ('e3', 'k1024')"));
                assertTrue(n.bitLength() >= 2048);
            }
        }
    }
}
