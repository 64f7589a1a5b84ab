package dev.jitcolumns.it.harness;

import dev.jitcolumns.launcher.Directories;
import dev.jitcolumns.launcher.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code -Dit.keycloak.database=mariadb}: a throwaway MariaDB server (Debian's {@code mariadb-server} binaries) on a
 * free loopback port, with a fresh data directory that is deleted when it stops. Keycloak keeps its data there.
 */
final class MariaDbServer implements AutoCloseable {

    static final String DATABASE = "keycloak";
    static final String USER = "keycloak";
    static final String PASSWORD = "keycloak";

    private final Path dir;
    private final int port;
    private final Process process;

    private MariaDbServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    static MariaDbServer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jit-columns-mariadb");
        Path data = dir.resolve("data");
        run(dir.resolve("install.log"), "mariadb-install-db", "--no-defaults", "--datadir=" + data, "--user=root",
                "--auth-root-authentication-method=normal", "--skip-test-db");
        int port = FreePort.onLoopback();
        Process server = new ProcessBuilder(binary("mariadbd"), "--no-defaults", "--datadir=" + data, "--user=root",
                "--bind-address=127.0.0.1", "--port=" + port, "--socket=" + dir.resolve("socket"), "--pid-file=" + dir.resolve("pid"),
                "--skip-log-bin", "--innodb-flush-log-at-trx-commit=2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        MariaDbServer mariaDb = new MariaDbServer(dir, port, server);
        try {
            mariaDb.createKeycloakDatabase();
            return mariaDb;
        } catch (RuntimeException | SQLException e) {
            mariaDb.close();
            throw new IllegalStateException("MariaDB did not start; see " + dir.resolve("server.log"), e);
        }
    }

    String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Root may connect once the server listens; Keycloak's database and user are then made as its docs say. */
    private void createKeycloakDatabase() throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try (Connection root = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "");
                 Statement st = root.createStatement()) {
                st.execute("create database " + DATABASE + " character set utf8mb4 collate utf8mb4_unicode_ci");
                st.execute("create user '" + USER + "'@'%' identified by '" + PASSWORD + "'");
                st.execute("grant all privileges on " + DATABASE + ".* to '" + USER + "'@'%'");
                return;
            } catch (SQLException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw notYet;
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Directories.delete(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path log, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, binary(command[0]));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed; see " + log);
        }
    }

    /** Debian puts the server in /usr/sbin, which a non-login PATH may lack. */
    private static String binary(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new IllegalStateException(name + " not found: install MariaDB's server (apt-get install mariadb-server), "
                + "or leave Keycloak on MariaDB out with -Dit.mariadb.skip");
    }
}
