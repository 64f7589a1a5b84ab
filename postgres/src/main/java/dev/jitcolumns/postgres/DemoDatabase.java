package dev.jitcolumns.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The demo database of the dev server: {@code public.customers} (10 columns, N generated rows),
 * protected into the masked view {@code app.customers} (ssn and email NULL, card_number last
 * four, date_of_birth year only), readable by the login role {@code app_user} (password {@code app_user})
 * through {@code jit_columns_client}. No row policy: the demo tokens carry no row claim, and a row
 * policy is fail-closed (no claim, no rows).
 */
public final class DemoDatabase {

    public static final String DATABASE = "analytics";
    public static final String BASE_TABLE = "public.customers";
    public static final String VIEW = "app.customers";
    public static final String APP_USER = "app_user";
    public static final String APP_PASSWORD = "app_user";
    /** The demo agent's login role, holding jit_columns_admin. */
    public static final String AGENT_USER = "jit_agent";
    public static final String AGENT_PASSWORD = "jit_agent";
    /** The protected columns, as the Keycloak catalog names them (schema.table.column of the base table). */
    public static final String[] SENSITIVE_COLUMNS = {
        "public.customers.ssn", "public.customers.card_number", "public.customers.date_of_birth",
        "public.customers.email"};

    private static final Pattern SIMPLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private DemoDatabase() {
    }

    /**
     * Creates database {@code name} if it does not exist. {@code conn}: a superuser connection to any
     * other database of the cluster (e.g. {@code postgres}).
     */
    public static void createDatabase(Connection conn, String name) throws SQLException {
        if (!SIMPLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + SIMPLE_NAME);
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(true);
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }

    /**
     * Installs the package and the demo into the database of {@code superuserConn} (normally
     * {@value #DATABASE}): {@code public.customers} with {@code rows} rows, the view {@value #VIEW}, the
     * login role {@value #APP_USER}. Idempotent. Does not call {@code jit_columns.configure} or
     * {@code load_jwks}: the issuer and the JWKS belong to the caller (dev server, agent).
     */
    public static void create(Connection superuserConn, int rows) throws SQLException {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0");
        }
        SqlPackage.install(superuserConn);
        String demo = SqlPackage.resource("demo.sql").replace(":rows", Integer.toString(rows));
        boolean autoCommit = superuserConn.getAutoCommit();
        superuserConn.setAutoCommit(false);
        try (Statement st = superuserConn.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext('jit_columns demo'))");
            st.execute(demo);
            superuserConn.commit();
        } catch (SQLException e) {
            superuserConn.rollback();
            throw e;
        } finally {
            superuserConn.setAutoCommit(autoCommit);
        }
        try (Statement st = superuserConn.createStatement()) {
            st.execute("ANALYZE public.customers");
        }
    }
}
