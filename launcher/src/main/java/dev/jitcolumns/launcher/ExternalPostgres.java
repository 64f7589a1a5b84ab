package dev.jitcolumns.launcher;

/** A server someone else runs, given by the JDBC URL of any of its databases; it is never stopped here. */
public final class ExternalPostgres implements Postgres {

    private final String serverUrl;
    private final String user;
    private final String password;

    /** @param jdbcUrl e.g. {@code jdbc:postgresql://db.example:5432/postgres?sslmode=require} */
    public ExternalPostgres(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        this.serverUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    @Override
    public String jdbcUrl(String database) {
        int hostStart = "jdbc:postgresql://".length();
        int pathStart = serverUrl.indexOf('/', hostStart);
        int queryStart = serverUrl.indexOf('?', hostStart);
        String hostPort = serverUrl.substring(hostStart,
                pathStart >= 0 ? pathStart : queryStart >= 0 ? queryStart : serverUrl.length());
        String query = queryStart >= 0 ? serverUrl.substring(queryStart) : "";
        return "jdbc:postgresql://" + hostPort + "/" + database + query;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public void close() {
    }
}
