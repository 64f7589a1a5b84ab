package dev.jitcolumns.launcher;

import dev.jitcolumns.agent.Agent;
import dev.jitcolumns.agent.AgentSettings;
import dev.jitcolumns.postgres.DemoDatabase;
import dev.jitcolumns.postgres.SqlPackage;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The demo database {@value DemoDatabase#DATABASE}: the SQL package, {@code public.customers} masked
 * behind {@code app.customers}, and trust in one Keycloak realm (its issuer), with the agent keeping the realm's
 * JWKS and revoked grants in step.
 */
public final class AnalyticsDatabase {

    public static final String NAME = DemoDatabase.DATABASE;
    /** The demo realm's client whose service account reads the revocation feed. */
    public static final String AGENT_CLIENT = "jit-columns-agent";
    /** How often the demo agent runs: how long a revocation takes to reach the database. */
    public static final Duration AGENT_INTERVAL = Duration.ofSeconds(2);

    private AnalyticsDatabase() {
    }

    /** Idempotent: an existing demo database is kept as it is. */
    public static void install(Postgres postgres, int rows) throws SQLException {
        postgres.createDatabase(NAME);
        try (Connection c = postgres.connect(NAME)) {
            DemoDatabase.create(c, rows);
        }
    }

    /**
     * Trusts the tokens of this Keycloak's {@code realm} whose audience is {@value #NAME},
     * through an agent that keeps the realm's keys and revoked grants in step: its first run is done when this returns;
     * {@link Agent#start()} runs it at every {@link #AGENT_INTERVAL}.
     */
    public static Agent trustRealm(Postgres postgres, KeycloakServer keycloak, String realm)
            throws SQLException, IOException, InterruptedException {
        String realmUrl = keycloak.baseUrl() + "/realms/" + realm;
        try (Connection c = postgres.connect(NAME)) {
            SqlPackage.configure(c, realmUrl, NAME, Duration.ofSeconds(30), Duration.ofMinutes(10));
        }
        Agent agent = new Agent(new AgentSettings(URI.create(realmUrl), AGENT_CLIENT, keycloak.clientSecret(realm, AGENT_CLIENT),
                List.of(new AgentSettings.Database(postgres.jdbcUrl(NAME), DemoDatabase.AGENT_USER, DemoDatabase.AGENT_PASSWORD)),
                AGENT_INTERVAL, Duration.ofMinutes(5)));
        for (Agent.Outcome o : agent.syncOnce()) {
            if (o.error() != null) {
                throw new SQLException("the agent's first run failed on " + o.jdbcUrl() + ": " + o.error());
            }
        }
        return agent;
    }
}
