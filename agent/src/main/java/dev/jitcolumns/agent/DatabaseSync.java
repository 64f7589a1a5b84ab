package dev.jitcolumns.agent;

import dev.jitcolumns.postgres.SqlPackage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Brings one protected database in step with what Keycloak says, in one transaction: the JWKS when it changed, the
 * revocations it has not applied yet, and now and then {@code purge()}. What it applied is remembered only to skip
 * work; after a restart it applies the whole feed again, which the database takes as a no-op.
 */
final class DatabaseSync {

    /** What one run changed. */
    record Applied(boolean jwksLoaded, int revoked, boolean purged) {
    }

    private final AgentSettings.Database database;
    private final Duration purgeEvery;
    private String loadedJwks;
    private Set<String> revoked = Set.of();
    private Instant nextPurge = Instant.MIN;

    DatabaseSync(AgentSettings.Database database, Duration purgeEvery) {
        this.database = database;
        this.purgeEvery = purgeEvery;
    }

    String jdbcUrl() {
        return database.jdbcUrl();
    }

    /**
     * One database that hangs (a lock held by a session left open, a network that stops answering) must not hold
     * back the others, which the agent serves one after the other: every wait is bounded, and the next run retries.
     */
    private Properties connectionProperties() {
        Properties p = new Properties();
        p.setProperty("user", database.user());
        p.setProperty("password", database.password());
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "120"); // above the statement timeout below: the server ends a slow statement first
        return p;
    }

    /** SET LOCAL: the transaction's own, so that nothing stays on a connection that a pooler hands on. */
    private static void boundTheWait(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '10s'");
            st.execute("SET LOCAL statement_timeout = '60s'");
        }
    }

    Applied apply(String jwks, List<String> revokedGrants) throws SQLException {
        boolean loadJwks = !jwks.equals(loadedJwks);
        List<String> toRevoke = revokedGrants.stream().filter(id -> !revoked.contains(id)).toList();
        boolean purge = !Instant.now().isBefore(nextPurge);
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), connectionProperties())) {
            c.setAutoCommit(false);
            try {
                boundTheWait(c);
                if (loadJwks) {
                    SqlPackage.loadJwks(c, jwks);
                }
                try (PreparedStatement revoke = c.prepareStatement("SELECT jit_columns.revoke_grant(?)")) {
                    for (String id : toRevoke) {
                        revoke.setString(1, id);
                        revoke.executeQuery().close();
                    }
                }
                if (purge) {
                    try (Statement st = c.createStatement()) {
                        st.executeQuery("SELECT jit_columns.purge()").close();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        loadedJwks = jwks;
        // Only the current feed: a grant that left it can no longer be in any token.
        revoked = new HashSet<>(revokedGrants);
        if (purge) {
            nextPurge = Instant.now().plus(purgeEvery);
        }
        return new Applied(loadJwks, toRevoke.size(), purge);
    }
}
