package dev.jitcolumns.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.agent.Agent;
import dev.jitcolumns.it.harness.AnalyticsSession;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import dev.jitcolumns.launcher.AnalyticsDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A revocation in Keycloak reaches the database through the agent: the revocation feed of the admin API, read with
 * the agent's service account, applied by {@code jit_columns.revoke_grant}.
 */
@ExtendWith(KeycloakHarness.class)
class AgentIT {

    static String feedUrl(TestEnvironment env) {
        return env.adminApi() + "/revocations";
    }

    /** A token of the agent's service account (client credentials, with the secret Keycloak generated). */
    static String agentToken(TestEnvironment env) throws Exception {
        Http.Reply r = Http.postForm(env.realmUrl() + "/protocol/openid-connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", AnalyticsDatabase.AGENT_CLIENT,
                "client_secret", env.keycloak().clientSecret(TestEnvironment.REALM, AnalyticsDatabase.AGENT_CLIENT)));
        assertEquals(200, r.status(), r.toString());
        return r.json().get("access_token").asText();
    }

    static String realBirthDate(TestEnvironment env) throws SQLException {
        try (Connection c = env.postgres().connect(AnalyticsDatabase.NAME);
             ResultSet rs = c.createStatement().executeQuery("select date_of_birth::text from public.customers where id = 1")) {
            rs.next();
            assertTrue(!rs.getString(1).endsWith("-01-01"), "customer 1's birth date must differ from its mask");
            return rs.getString(1);
        }
    }

    static Http.Reply revoke(TestEnvironment env, String grantId) {
        return Http.post(env.adminApi() + "/grants/" + grantId + "/revoke", env.tokenOf("admin"),
                Map.of("reason", "left the project"));
    }

    static JsonNode entryOf(JsonNode feed, String grantId) {
        for (JsonNode e : feed) {
            if (e.get("grantId").asText().equals(grantId)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void the_feed_lists_revoked_grants_that_a_token_may_still_carry(TestEnvironment env) throws Exception {
        Jit.Granted revoked = Jit.grant(env, 30);
        Jit.Granted active = Jit.grant(env, 30);
        assertEquals(200, revoke(env, revoked.grantId()).status());

        Http.Reply feed = Http.get(feedUrl(env), agentToken(env));

        assertEquals(200, feed.status(), feed.toString());
        JsonNode entry = entryOf(feed.json(), revoked.grantId());
        assertNotNull(entry, feed.toString());
        assertEquals("analytics", entry.get("datasource").asText());
        assertTrue(!Instant.parse(entry.get("revokedAt").asText()).isAfter(Instant.now()));
        assertEquals(revoked.expiresAt(), Instant.parse(entry.get("expiresAt").asText()));
        assertNull(entryOf(feed.json(), active.grantId()), "an active grant is not in the feed");
    }

    @Test
    void only_the_sync_role_and_catalog_managers_read_the_feed(TestEnvironment env) {
        assertEquals(401, Http.get(feedUrl(env), null).status());
        for (String user : List.of("analyst", "owner", "security")) {
            Http.Reply refused = Http.get(feedUrl(env), env.tokenOf(user));
            assertEquals(403, refused.status(), user + ": " + refused);
            assertTrue(refused.body().contains("jit-columns-sync"), refused.body());
        }
        assertEquals(200, Http.get(feedUrl(env), env.tokenOf("admin")).status());
    }

    @Test
    void a_grant_revoked_in_keycloak_reads_masked_in_the_database_from_the_agents_next_run(TestEnvironment env) throws Exception {
        Jit.Granted granted = Jit.grant(env, 30);
        String token = Jit.databaseToken(env, granted.username());

        String realBirthDate = realBirthDate(env);
        try (AnalyticsSession session = new AnalyticsSession(env)) {
            session.setToken(token);
            assertEquals(realBirthDate, session.customerColumn("date_of_birth"));

            assertEquals(200, revoke(env, granted.grantId()).status());
            // The database hears of it only from the agent: until its next run, the token still unmasks.
            assertEquals(realBirthDate, session.customerColumn("date_of_birth"));

            List<Agent.Outcome> outcomes = env.agent().syncOnce();

            assertEquals(1, outcomes.size());
            assertNull(outcomes.get(0).error());
            assertTrue(outcomes.get(0).revoked() >= 1, outcomes.toString());
            assertEquals(realBirthDate.substring(0, 4) + "-01-01", session.customerColumn("date_of_birth"),
                    "the next statement of the same session reads the year only (the column's mask)");
            SQLException refused = assertThrows(SQLException.class, () -> session.setToken(token));
            assertTrue(refused.getMessage().contains("grant revoked"), refused.getMessage());
        }
        // The next run applies nothing twice.
        assertEquals(0, env.agent().syncOnce().get(0).revoked());
    }
}
