package dev.jitcolumns.dev;

import dev.jitcolumns.agent.Agent;
import dev.jitcolumns.launcher.Directories;
import dev.jitcolumns.launcher.AnalyticsDatabase;
import dev.jitcolumns.launcher.EmbeddedPostgresServer;
import dev.jitcolumns.launcher.ExternalPostgres;
import dev.jitcolumns.launcher.KeycloakServer;
import dev.jitcolumns.launcher.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The demo in one process: PostgreSQL (embedded, data kept in the data directory), Keycloak 26.7.3 with
 * the extension and the acme realm, and the analytics database. Ctrl-C stops everything.
 */
public final class DevServer {

    private static final int DEMO_CUSTOMERS = 5_000;

    private DevServer() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println(DevServerOptions.USAGE);
            return;
        }
        DevServerOptions options;
        try {
            options = DevServerOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path build = Path.of(System.getProperty("jit.dev.build", "dev-server/target"));
        Path realmConfig = Path.of(System.getProperty("jit.realm-config", "realm-config"));

        if (options.fresh()) {
            Directories.delete(options.dataDir());
            System.out.println("Deleted " + options.dataDir() + ": starting from scratch.");
        }
        Postgres postgres = startPostgres(options);
        AnalyticsDatabase.install(postgres, DEMO_CUSTOMERS);

        KeycloakServer.Builder keycloak = KeycloakServer.builder(build.resolve("keycloak-" + keycloakVersion(build)))
                .database(postgres, "keycloak")
                .httpPort(options.httpPort())
                .importRealm(realmConfig.resolve("acme-realm.json"));
        try (Stream<Path> jars = Files.list(build.resolve("providers"))) {
            jars.forEach(keycloak::provider);
        }
        System.out.println("Starting Keycloak (the first start builds it: about a minute)...");
        KeycloakServer server;
        try {
            server = keycloak.start();
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        AtomicReference<Agent> agent = new AtomicReference<>();
        // One hook, so that the agent and Keycloak stop before the database they write to.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Keycloak and PostgreSQL...");
            if (agent.get() != null) {
                agent.get().close();
            }
            server.close();
            postgres.close();
        }, "stop-jit-columns"));
        agent.set(AnalyticsDatabase.trustRealm(postgres, server, "acme").start());

        System.out.println(banner(server.baseUrl(), postgres, server.log()));
        Thread.currentThread().join(); // until Ctrl-C: the JVM then runs the hook above
    }

    private static Postgres startPostgres(DevServerOptions options) throws IOException {
        if (options.externalJdbcUrl() != null) {
            return new ExternalPostgres(options.externalJdbcUrl(), options.dbUser(), options.dbPassword());
        }
        Files.createDirectories(options.dataDir());
        return EmbeddedPostgresServer.startPersistent(options.dataDir().resolve("postgres"), options.postgresPort());
    }

    /** The unpacked distribution's directory name carries the version the build unpacked. */
    private static String keycloakVersion(Path build) throws IOException {
        try (Stream<Path> dirs = Files.list(build)) {
            return dirs.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("keycloak-") && Files.isDirectory(build.resolve(n)))
                    .map(n -> n.substring("keycloak-".length()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No Keycloak in " + build + ": run ./dev.sh, which builds it"));
        }
    }

    private static String banner(String keycloak, Postgres postgres, Path log) {
        return """

                jit-columns is running.
                  Account console (request access):  %1$s/realms/acme/account/
                  Admin console (approve, catalog):   %1$s/admin/acme/console/
                  Keycloak administration (master):   %1$s/admin/   login admin / admin
                  Demo logins in realm acme (password = user name):
                    analyst   requests access
                    owner     data owner, approves the first stage
                    security  security officer, approves the second stage
                    admin     manages the catalog
                  PostgreSQL (Keycloak's database):   %2$s
                  Demo database analytics:            %3$s
                    user app_user / app_user; SELECT * FROM app.customers shows ssn, email, card_number
                    and date_of_birth masked until: SELECT jit_columns.set_token('<token>');
                  Keycloak log:                       %4$s
                Press Ctrl-C to stop.
                """.formatted(keycloak, postgres.jdbcUrl("keycloak"), postgres.jdbcUrl("analytics"), log);
    }
}
