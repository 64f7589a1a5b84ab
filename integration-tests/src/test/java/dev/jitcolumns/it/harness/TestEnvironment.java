package dev.jitcolumns.it.harness;

import dev.jitcolumns.agent.Agent;
import dev.jitcolumns.launcher.AnalyticsDatabase;
import dev.jitcolumns.launcher.EmbeddedPostgresServer;
import dev.jitcolumns.launcher.ExternalPostgres;
import dev.jitcolumns.launcher.KeycloakServer;
import dev.jitcolumns.launcher.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * What one test run shares: a PostgreSQL with the analytics demo database (trusting the acme realm) and a
 * Keycloak 26.7.3 with the extension and the realm from realm-config/. Started once by {@link KeycloakHarness}, stopped when the run ends.
 * Keycloak keeps its own data in that PostgreSQL, or with {@code -Dit.keycloak.database=h2} in its H2 file
 * ({@code start-dev}'s database), or with {@code -Dit.keycloak.database=mariadb} in a MariaDB server of the run: there
 * the extension's SQL takes the paths of databases other than PostgreSQL.
 */
public final class TestEnvironment implements AutoCloseable {

    public static final String REALM = "acme";
    public static final String CLI_CLIENT = "jit-columns-cli";
    /**
     * {@code token-max-lifetime} of the test Keycloak: below the demo realm's access token lifespan (300 s), so a test
     * can tell which of the two limits a token's lifetime followed.
     */
    public static final long TOKEN_MAX_LIFETIME_SECONDS = 240;
    /** Rows of {@code public.customers} in the analytics demo database. */
    public static final int ANALYTICS_ROWS = 1_000;

    /** How the tests reach Keycloak's database where it is not in {@link #postgres}. */
    private record OtherDatabase(String jdbcUrl, String user, String password) {
    }

    private final Postgres postgres;
    private final KeycloakServer keycloak;
    private final OtherDatabase keycloakDatabase;
    private final MariaDbServer mariaDb;
    private Agent agent;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TestEnvironment(Postgres postgres, KeycloakServer keycloak, OtherDatabase keycloakDatabase, MariaDbServer mariaDb) {
        this.postgres = postgres;
        this.keycloak = keycloak;
        this.keycloakDatabase = keycloakDatabase;
        this.mariaDb = mariaDb;
    }

    static TestEnvironment start() throws Exception {
        Postgres postgres = startPostgres(System.getProperty("it.postgres", "embedded"));
        String database = System.getProperty("it.keycloak.database", "postgres");
        KeycloakServer server = null;
        MariaDbServer mariaDb = null;
        try {
            AnalyticsDatabase.install(postgres, ANALYTICS_ROWS);
            mariaDb = database.equals("mariadb") ? MariaDbServer.start() : null;
            KeycloakServer.Builder keycloak = withOurProvidersAndRealm(keycloakOn(database, postgres, mariaDb))
                    .option("spi-realm-restapi-extension--jit-columns--token-max-lifetime", Long.toString(TOKEN_MAX_LIFETIME_SECONDS))
                    // Expiry, timeouts and escalations by the scheduler, and webhook retries, observable in seconds.
                    .option("spi-jit-columns-store--jpa--scheduler-interval-seconds", "2")
                    .option("spi-jit-columns-store--jpa--webhook-retry-seconds", "1,2,3")
                    // the tests' webhook receivers listen on this host
                    .option("spi-jit-columns-store--jpa--webhook-allowed-private-addresses", "127.0.0.1");
            server = keycloak.start();
            OtherDatabase other = keycloak.usesH2() ? new OtherDatabase(keycloak.h2JdbcUrl(), "sa", "password")
                    : mariaDb != null ? new OtherDatabase(mariaDb.jdbcUrl(), MariaDbServer.USER, MariaDbServer.PASSWORD) : null;
            TestEnvironment env = new TestEnvironment(postgres, server, other, mariaDb);
            env.agent = AnalyticsDatabase.trustRealm(postgres, server, REALM);
            return env;
        } catch (Exception e) {
            if (server != null) {
                server.close();
            }
            if (mariaDb != null) {
                mariaDb.close();
            }
            postgres.close();
            throw e;
        }
    }

    private static KeycloakServer.Builder keycloakOn(String database, Postgres postgres, MariaDbServer mariaDb) throws IOException {
        Path dist = Path.of(required("keycloak.home"));
        return switch (database) {
            case "postgres" -> KeycloakServer.builder(dist).database(postgres, "keycloak");
            // a copy of its own, so that this run leaves the other's distribution as it was
            case "h2" -> KeycloakServer.builder(copyOf(dist, "h2")).h2FileDatabase();
            case "mariadb" -> KeycloakServer.builder(copyOf(dist, "mariadb"))
                    .database("mariadb", mariaDb.jdbcUrl(), MariaDbServer.USER, MariaDbServer.PASSWORD);
            default -> throw new IllegalArgumentException("it.keycloak.database must be postgres, h2 or mariadb, not " + database);
        };
    }

    /** The jars this build made (extension, themes, test user storage) and the demo realm, for any Keycloak of the tests. */
    public static KeycloakServer.Builder withOurProvidersAndRealm(KeycloakServer.Builder keycloak) throws IOException {
        try (Stream<Path> jars = Files.list(Path.of(required("jit.providers")))) {
            jars.filter(p -> p.toString().endsWith(".jar")).forEach(keycloak::provider);
        }
        return keycloak.importRealm(Path.of(required("jit.realm-config"), "acme-realm.json"));
    }

    private static Path copyOf(Path dist, String database) throws IOException {
        return KeycloakServer.copyDistribution(dist, dist.resolveSibling(dist.getFileName() + "-" + database));
    }

    private static Postgres startPostgres(String kind) {
        if (kind.startsWith("jdbc:")) {
            return new ExternalPostgres(kind, System.getProperty("it.postgres.user", "postgres"),
                    System.getProperty("it.postgres.password", "postgres"));
        }
        return switch (kind) {
            case "embedded" -> EmbeddedPostgresServer.startTemporary();
            case "container" -> new ContainerPostgres();
            default -> throw new IllegalArgumentException(
                    "it.postgres must be embedded, container or a jdbc:postgresql:// URL, not " + kind);
        };
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the ITs through Maven (mvn verify)");
        }
        return value;
    }

    /**
     * The agent of the analytics database, after its first run. It runs only when a test calls
     * {@link Agent#syncOnce()}, so that a test knows what the database has been told.
     */
    public Agent agent() {
        return agent;
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    public Postgres postgres() {
        return postgres;
    }

    /** A connection to Keycloak's own database, wherever it is, to do what no API does (a deadline moved back...). */
    public Connection keycloakDatabase() throws SQLException {
        return keycloakDatabase == null ? postgres.connect("keycloak")
                : DriverManager.getConnection(keycloakDatabase.jdbcUrl(), keycloakDatabase.user(), keycloakDatabase.password());
    }

    /** e.g. {@code http://127.0.0.1:41234} */
    public String keycloakUrl() {
        return keycloak.baseUrl();
    }

    public String realmUrl() {
        return keycloakUrl() + "/realms/" + REALM;
    }

    /** {@code /realms/acme/jit-columns} */
    public String userApi() {
        return realmUrl() + "/jit-columns";
    }

    /** {@code /admin/realms/acme/jit-columns} */
    public String adminApi() {
        return keycloakUrl() + "/admin/realms/" + REALM + "/jit-columns";
    }

    /** A real access token of a demo user of the acme realm (password grant on the demo CLI client). */
    public String tokenOf(String username) {
        return tokenOf(username, username);
    }

    public String tokenOf(String username, String password) {
        return passwordGrant(realmUrl(), CLI_CLIENT, username, password, List.of());
    }

    /** A token of the master realm's bootstrap administrator, for the stock admin REST API. */
    public String masterAdminToken() {
        return passwordGrant(keycloakUrl() + "/realms/master", "admin-cli", KeycloakServer.BOOTSTRAP_ADMIN,
                KeycloakServer.DEFAULT_ADMIN_PASSWORD, List.of());
    }

    public static String passwordGrant(String realmUrl, String client, String username, String password, List<String> scopes) {
        Http.Reply reply = Http.postForm(realmUrl + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", client,
                "username", username, "password", password,
                "scope", String.join(" ", Stream.concat(Stream.of("openid"), scopes.stream()).toList())));
        if (reply.status() != 200) {
            throw new AssertionError("Password grant for " + username + " failed: " + reply);
        }
        return reply.json().get("access_token").asText();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (agent != null) {
                agent.close();
            }
            keycloak.close();
        } finally {
            if (mariaDb != null) {
                mariaDb.close();
            }
            postgres.close();
        }
    }
}
