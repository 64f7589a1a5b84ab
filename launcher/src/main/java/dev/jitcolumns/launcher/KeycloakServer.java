package dev.jitcolumns.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak from the unpacked {@code keycloak-quarkus-dist} zip, run as a child process on loopback
 * against PostgreSQL (or its own H2 file), with our provider jars and the realms to import.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String BOOTSTRAP_ADMIN = "admin";
    /** The bootstrap administrator's password unless {@link Builder#adminPassword} sets another. */
    public static final String DEFAULT_ADMIN_PASSWORD = "admin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String baseUrl;
    private final Path log;
    private final String adminPassword;

    private KeycloakServer(Process process, String baseUrl, Path log, String adminPassword) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
        this.adminPassword = adminPassword;
    }

    public static Builder builder(Path home) {
        return new Builder(home);
    }

    /** A fresh copy of a Keycloak distribution at {@code to}, without its data and log: a server of its own. */
    public static Path copyDistribution(Path from, Path to) throws IOException {
        return Directories.copy(from, to, p -> p.equals(from.resolve("data")) || p.equals(from.resolve("keycloak.log")));
    }

    /** e.g. {@code http://127.0.0.1:8080} */
    public String baseUrl() {
        return baseUrl;
    }

    public Path log() {
        return log;
    }

    /**
     * The secret Keycloak generated for a confidential client when it imported the realm (realm files in git hold
     * none), read with the master administrator's token.
     */
    public String clientSecret(String realm, String clientId) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String form = "grant_type=password&client_id=admin-cli&username=" + BOOTSTRAP_ADMIN + "&password="
                + URLEncoder.encode(adminPassword, StandardCharsets.UTF_8);
        String token = JSON.readTree(send(http, HttpRequest.newBuilder(URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))))
                .path("access_token").asText();
        String clients = baseUrl + "/admin/realms/" + realm + "/clients";
        JsonNode found = JSON.readTree(send(http, HttpRequest.newBuilder(
                URI.create(clients + "?clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + token)));
        if (found.isEmpty()) {
            throw new IllegalStateException("realm " + realm + " has no client " + clientId);
        }
        return JSON.readTree(send(http, HttpRequest.newBuilder(URI.create(clients + "/" + found.get(0).path("id").asText() + "/client-secret"))
                .header("Authorization", "Bearer " + token))).path("value").asText();
    }

    private static String send(HttpClient http, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IOException(reply.request().uri() + ": " + reply.statusCode() + " " + reply.body());
        }
        return reply.body();
    }

    /** The {@code kc.sh} process; Keycloak's JVM is among its descendants. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Stops Keycloak and the JVM that {@code kc.sh} started. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                child.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    public static final class Builder {
        private final Path home;
        private final List<Path> providers = new ArrayList<>();
        private final List<Path> realmImports = new ArrayList<>();
        private final List<String> options = new ArrayList<>();
        private Postgres postgres;
        private String database = "keycloak";
        private boolean h2File;
        /** Another database of Keycloak's: {@code --db} vendor, URL, user, password. */
        private List<String> otherDatabase;
        private int httpPort;
        private String adminPassword = DEFAULT_ADMIN_PASSWORD;
        private Duration startTimeout = Duration.ofMinutes(5);
        private boolean production;
        private int clusterPort;

        private Builder(Path home) {
            this.home = home.toAbsolutePath();
        }

        public Builder provider(Path jar) {
            providers.add(jar);
            return this;
        }

        public Builder importRealm(Path realmJson) {
            realmImports.add(realmJson);
            return this;
        }

        public Builder database(Postgres postgres, String database) {
            this.postgres = postgres;
            this.database = database;
            this.h2File = false;
            this.otherDatabase = null;
            return this;
        }

        /**
         * A database of another vendor that Keycloak supports ({@code --db}, e.g. {@code mariadb}), which exists and
         * which the user may change.
         */
        public Builder database(String vendor, String jdbcUrl, String user, String password) {
            this.otherDatabase = List.of(vendor, jdbcUrl, user, password);
            this.postgres = null;
            this.h2File = false;
            return this;
        }

        /**
         * Keycloak's own H2 database in a file under the distribution's {@code data/h2} ({@code --db=dev-file}, what
         * {@code start-dev} uses when given no database), instead of PostgreSQL. Other processes may open it while
         * Keycloak runs: {@link #h2JdbcUrl}.
         */
        public Builder h2FileDatabase() {
            this.h2File = true;
            this.postgres = null;
            this.otherDatabase = null;
            return this;
        }

        public boolean usesH2() {
            return h2File;
        }

        /** The JDBC URL of the H2 database of {@link #h2FileDatabase()} (user {@code sa}, password {@code password}). */
        public String h2JdbcUrl() {
            // AUTO_SERVER: the first process to open the file serves it to the others over loopback TCP
            return "jdbc:h2:file:" + home.resolve("data/h2/keycloakdb") + ";NON_KEYWORDS=VALUE;AUTO_SERVER=TRUE";
        }

        /** A Keycloak option on the command line, e.g. {@code option("spi-foo--bar--baz", "1")} for {@code --spi-foo--bar--baz=1}. */
        public Builder option(String name, String value) {
            options.add("--" + name + "=" + value);
            return this;
        }

        /** 0 (the default) picks a free loopback port. */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** The password of the master realm's bootstrap administrator {@value #BOOTSTRAP_ADMIN}. */
        public Builder adminPassword(String password) {
            this.adminPassword = password;
            return this;
        }

        /**
         * {@code kc.sh start} (production mode: caches on, production heap sizing; the first start builds the server
         * with the providers) instead of {@code start-dev}. What a benchmark must measure.
         */
        public Builder production() {
            this.production = true;
            return this;
        }

        /**
         * A node of a Keycloak cluster (embedded Infinispan, nodes found through the database: {@code jdbc-ping}) whose
         * cluster transport listens on 127.0.0.1:{@code port}; every node on the same database joins it. Production mode.
         */
        public Builder clusterNode(int port) {
            this.clusterPort = port;
            return production();
        }

        public KeycloakServer start() {
            if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
                throw new IllegalStateException("No Keycloak distribution at " + home + " (bin/kc.sh missing)");
            }
            if (postgres == null && !h2File && otherDatabase == null) {
                throw new IllegalStateException("No database: give the builder a PostgreSQL, another database or h2FileDatabase()");
            }
            try {
                if (postgres != null) {
                    postgres.createDatabase(database);
                }
                installProviders();
                stageRealmImports();
                int port = httpPort == 0 ? FreePort.onLoopback() : httpPort;
                Path log = home.resolve("keycloak.log");
                ProcessBuilder pb = new ProcessBuilder(command(port))
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", BOOTSTRAP_ADMIN);
                pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
                KeycloakServer server = new KeycloakServer(pb.start(), "http://127.0.0.1:" + port, log, adminPassword);
                awaitReady(server);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("Cannot create Keycloak's database " + database, e);
            }
        }

        private List<String> command(int port) {
            List<String> command = new ArrayList<>(production
                    ? List.of(home.resolve("bin/kc.sh").toString(), "start", "--http-enabled=true", "--hostname-strict=false")
                    : List.of(home.resolve("bin/kc.sh").toString(), "start-dev"));
            List<String> db = h2File ? List.of("dev-file", h2JdbcUrl(), "sa", "password")
                    : otherDatabase != null ? otherDatabase
                    : List.of("postgres", postgres.jdbcUrl(database), postgres.user(), postgres.password());
            command.addAll(List.of("--db=" + db.get(0), "--db-url=" + db.get(1), "--db-username=" + db.get(2), "--db-password=" + db.get(3)));
            command.addAll(List.of(
                    "--http-host=127.0.0.1",
                    "--http-port=" + port,
                    "--http-management-port=" + FreePort.onLoopback(),
                    "--import-realm"));
            command.addAll(clusterPort == 0 ? List.of("--cache=local")
                    : List.of("--cache=ispn", "--cache-stack=jdbc-ping", "--cache-embedded-network-bind-address=127.0.0.1",
                            "--cache-embedded-network-bind-port=" + clusterPort));
            command.addAll(options);
            return command;
        }

        /** Replaces our jars in providers/ so that a rebuilt extension is what runs. */
        private void installProviders() throws IOException {
            Path dir = Files.createDirectories(home.resolve("providers"));
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith("jit-columns-")).toList()) {
                    Files.delete(p);
                }
            }
            for (Path jar : providers) {
                Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** Keycloak imports each file in data/import at start and skips realms that already exist. */
        private void stageRealmImports() throws IOException {
            Path dir = Files.createDirectories(home.resolve("data/import"));
            for (Path realm : realmImports) {
                Files.copy(realm, dir.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }

        private void awaitReady(KeycloakServer server) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest probe = HttpRequest.newBuilder(URI.create(server.baseUrl + "/realms/master"))
                    .timeout(Duration.ofSeconds(5)).build();
            Instant deadline = Instant.now().plus(startTimeout);
            while (Instant.now().isBefore(deadline)) {
                if (!server.process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with " + server.process.exitValue()
                            + " during start; see " + server.log + ":\n" + tail(server.log));
                }
                try {
                    if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                sleep();
            }
            server.close();
            throw new IllegalStateException("Keycloak did not answer within " + startTimeout + "; see " + server.log
                    + ":\n" + tail(server.log));
        }

        private static void sleep() {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }
}
