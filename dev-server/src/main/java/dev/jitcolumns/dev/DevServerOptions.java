package dev.jitcolumns.dev;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** The command line of the dev server; see {@link #USAGE}. */
record DevServerOptions(Path dataDir, boolean fresh, int httpPort, int postgresPort,
                        String externalJdbcUrl, String dbUser, String dbPassword) {

    static final String USAGE = """
            Usage: ./dev.sh [options]
              --fresh                 delete the data directory first: start from scratch
              --data-dir <dir>        where PostgreSQL keeps its data (default .jit-columns-dev)
              --port <port>           Keycloak's HTTP port on 127.0.0.1 (default 8080)
              --postgres-port <port>  the embedded PostgreSQL's port on 127.0.0.1 (default 15432)
              --jdbc-url <url>        use this PostgreSQL instead of the embedded one (any database URL
                                      of the server; the databases keycloak and analytics are created)
              --db-user <user>        role for --jdbc-url, allowed to create databases and roles (default postgres)
              --db-password <pw>      its password (default $JIT_DB_PASSWORD)
            """;

    static DevServerOptions parse(List<String> args) {
        Path dataDir = Path.of(".jit-columns-dev");
        boolean fresh = false;
        int httpPort = 8080;
        int postgresPort = 15432;
        String jdbcUrl = null;
        String user = "postgres";
        String password = System.getenv().getOrDefault("JIT_DB_PASSWORD", "");
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String arg = it.next();
            switch (arg) {
                case "--fresh" -> fresh = true;
                case "--data-dir" -> dataDir = Path.of(value(arg, it));
                case "--port" -> httpPort = port(arg, value(arg, it));
                case "--postgres-port" -> postgresPort = port(arg, value(arg, it));
                case "--jdbc-url" -> jdbcUrl = value(arg, it);
                case "--db-user" -> user = value(arg, it);
                case "--db-password" -> password = value(arg, it);
                default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
            }
        }
        return new DevServerOptions(dataDir.toAbsolutePath(), fresh, httpPort, postgresPort, jdbcUrl, user, password);
    }

    private static String value(String option, Iterator<String> it) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return it.next();
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a port number, not " + value);
    }
}
