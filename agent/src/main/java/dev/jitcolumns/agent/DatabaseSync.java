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

    Applied apply(String jwks, List<String> revokedGrants) throws SQLException {
        boolean loadJwks = !jwks.equals(loadedJwks);
        List<String> toRevoke = revokedGrants.stream().filter(id -> !revoked.contains(id)).toList();
        boolean purge = !Instant.now().isBefore(nextPurge);
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {
            c.setAutoCommit(false);
            try {
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
