package dev.jitcolumns.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jit_columns SQL package as shipped in this jar (classpath resources under
 * {@code dev/jitcolumns/postgres/}).
 *
 * <p>The control file's {@code default_version} is the version's source of truth. The extension script
 * {@code jit_columns--<version>.sql} is the only hand-written copy of the SQL; the plain install script
 * ({@code install.sql}) wraps it in one transaction with a downgrade guard. The build writes
 * {@code install.sql} with {@link #main(String[])}, using the same code as {@link #installScript()}.
 */
public final class SqlPackage {

    /** Classpath folder of the SQL files. */
    public static final String RESOURCE_DIR = "dev/jitcolumns/postgres/";

    private static final Pattern DEFAULT_VERSION =
            Pattern.compile("(?m)^\\s*default_version\\s*=\\s*'([0-9]+(?:\\.[0-9]+)*)'\\s*$");

    private SqlPackage() {
    }

    /** The package version, from {@code jit_columns.control}. */
    public static String version() {
        Matcher m = DEFAULT_VERSION.matcher(resource("jit_columns.control"));
        if (!m.find()) {
            throw new IllegalStateException("jit_columns.control has no default_version");
        }
        return m.group(1);
    }

    /** The control file, for installing the extension into a server's {@code share/extension} folder. */
    public static String controlFile() {
        return resource("jit_columns.control");
    }

    /** The extension script {@code jit_columns--<version>.sql} (CREATE EXTENSION jit_columns). */
    public static String extensionScript() {
        return resource("jit_columns--" + version() + ".sql");
    }

    /** The name of the extension script of this version. */
    public static String extensionScriptName() {
        return "jit_columns--" + version() + ".sql";
    }

    /**
     * The plain install script: idempotent, one transaction, refuses to downgrade; runs with
     * {@code psql -f} or as a single JDBC statement.
     */
    public static String installScript() {
        String v = version();
        return resource("install-prelude.sql").replace("@VERSION@", v)
                + extensionScript()
                + resource("install-epilogue.sql");
    }

    /**
     * Installs (or upgrades, or re-applies) the package in the database of {@code conn}, which must be
     * a superuser connection or one holding CREATEROLE and membership of jit_columns_owner. Runs in
     * its own transaction; the connection's auto-commit mode is restored afterwards.
     */
    public static void install(Connection conn) throws SQLException {
        boolean autoCommit = conn.getAutoCommit();
        if (!autoCommit) {
            conn.commit();
            conn.setAutoCommit(true);
        }
        try (Statement st = conn.createStatement()) {
            st.execute(installScript());
        } catch (SQLException e) {
            rollBackScriptTransaction(conn, e);
            throw e;
        } finally {
            if (!autoCommit) {
                conn.setAutoCommit(false);
            }
        }
    }

    /** A failed script leaves its own transaction block open and aborted: ends it, so that the connection serves again. */
    private static void rollBackScriptTransaction(Connection conn, SQLException failure) {
        try (Statement st = conn.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * {@code jit_columns.configure}: the issuer (e.g. {@code http://127.0.0.1:8080/realms/acme}), the
     * datasource id (token audience, key of the {@code jit_columns} claim), the clock leeway and the
     * maximum token lifetime ({@code exp - iat}). Needs jit_columns_admin (or a superuser).
     */
    public static void configure(Connection conn, String issuer, String datasource, Duration leeway,
                                 Duration maxTokenLifetime) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT jit_columns.configure(?, ?, make_interval(secs => ?), make_interval(secs => ?))")) {
            ps.setString(1, issuer);
            ps.setString(2, datasource);
            ps.setDouble(3, leeway.toMillis() / 1000.0);
            ps.setDouble(4, maxTokenLifetime.toMillis() / 1000.0);
            ps.executeQuery().close();
        }
    }

    /**
     * {@code jit_columns.load_jwks}: loads a realm JWKS document (the JSON served at
     * {@code /realms/{realm}/protocol/openid-connect/certs}). Returns the function's JSON summary
     * ({@code active}, {@code retiring}, {@code refused}). Needs jit_columns_admin (or a superuser).
     */
    public static String loadJwks(Connection conn, String jwksJson) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT jit_columns.load_jwks(?::jsonb)::text")) {
            ps.setString(1, jwksJson);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    static String resource(String name) {
        try (InputStream in = SqlPackage.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE_DIR + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Build step: writes the plain install script to the given path. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SqlPackage <install.sql output path>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        Files.writeString(out, installScript(), StandardCharsets.UTF_8);
    }
}
