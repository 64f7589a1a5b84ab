package dev.jitcolumns.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded PostgreSQL per test run, shared by every test class that uses this extension and
 * stopped when the run ends. The database "analytics" holds the package and the demo, configured
 * for {@link Tokens#ISSUER} and datasource "analytics", with {@link Tokens#KEYS} loaded.
 */
public final class PostgresServer implements BeforeAllCallback {

    private static volatile Holder holder;

    @Override
    public void beforeAll(ExtensionContext context) {
        holder = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Holder.class, k -> new Holder(), Holder.class);
    }

    static Holder server() {
        if (holder == null) {
            throw new IllegalStateException("annotate the test with @ExtendWith(PostgresServer.class)");
        }
        return holder;
    }

    /** Superuser connection to the given database. */
    static Connection superuser(String db) throws SQLException {
        return DriverManager.getConnection(server().pg.getJdbcUrl("postgres", db));
    }

    /** Login connection as {@code user} (password = user name) to the given database. */
    static Connection login(String db, String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", user);
        p.setProperty("ApplicationName", "jit-columns-test");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server().pg.getPort() + "/" + db, p);
    }

    static int port() {
        return server().pg.getPort();
    }

    static final class Holder implements AutoCloseable {
        final EmbeddedPostgres pg;

        Holder() {
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "60")
                        .setServerConfig("fsync", "off");
                String binaries = System.getProperty("jit.pg.binaries", "");
                if (!binaries.isBlank()) {
                    builder.setPgBinaryResolver(binariesIn(Path.of(binaries)));
                }
                pg = builder.start();
                try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"))) {
                    DemoDatabase.createDatabase(c, "analytics");
                    try (Statement st = c.createStatement(); var rs = st.executeQuery("SELECT version()")) {
                        rs.next();
                        System.out.println("embedded " + rs.getString(1));
                    }
                }
                try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "analytics"))) {
                    DemoDatabase.create(c, 1000);
                    SqlPackage.configure(c, Tokens.ISSUER, "analytics", java.time.Duration.ofSeconds(30),
                            java.time.Duration.ofHours(1));
                    String loaded = SqlPackage.loadJwks(c, Tokens.KEYS.jwks());
                    if (!loaded.contains(Tokens.KEYS.kid)) {
                        throw new IllegalStateException("JWKS not loaded: " + loaded);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL", e);
            }
        }

        /** Another major version's binaries, from its zonky jar (one archive per platform inside). */
        private static PgBinaryResolver binariesIn(Path jar) {
            return (system, hardware) -> {
                String archive = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + hardware + ".txz";
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    ZipEntry entry = zip.getEntry(archive);
                    if (entry == null) {
                        throw new IOException(jar + " has no " + archive);
                    }
                    try (InputStream in = zip.getInputStream(entry)) {
                        return new ByteArrayInputStream(in.readAllBytes());
                    }
                }
            };
        }

        @Override
        public void close() throws Exception {
            pg.close();
        }
    }
}
