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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void the_feed_comes_in_pages_linked_in_revocation_order(TestEnvironment env) throws Exception {
        List<String> revoked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String grantId = Jit.grant(env, 30).grantId();
            assertEquals(200, revoke(env, grantId).status());
            revoked.add(grantId);
        }
        String token = agentToken(env);

        List<JsonNode> entries = new ArrayList<>();
        String page = feedUrl(env) + "?max=2";
        int pages = 0;
        while (page != null) {
            Http.Reply reply = Http.get(page, token);
            assertEquals(200, reply.status(), reply.toString());
            assertTrue(reply.json().size() <= 2, reply.toString());
            reply.json().forEach(entries::add);
            page = nextLink(reply);
            assertTrue(page == null || reply.json().size() == 2, "only a full page links to a next one: " + reply);
            pages++;
        }

        assertTrue(pages >= 2, "3 revocations in pages of 2");
        List<String> ids = entries.stream().map(e -> e.get("grantId").asText()).toList();
        assertEquals(ids.size(), Set.copyOf(ids).size(), "no entry twice: " + ids);
        assertEquals(revoked, ids.stream().filter(revoked::contains).toList(), "all three, in the order of revocation");
        for (int i = 1; i < entries.size(); i++) {
            assertTrue(!Instant.parse(entries.get(i).get("revokedAt").asText())
                    .isBefore(Instant.parse(entries.get(i - 1).get("revokedAt").asText())), ids.toString());
        }
    }

    @Test
    void a_cursor_that_the_feed_did_not_give_is_refused(TestEnvironment env) throws Exception {
        String token = agentToken(env);
        for (String after : List.of("yesterday", "1.x'; drop table jit_grant; --", "-1.abc", "1." + "a".repeat(37))) {
            Http.Reply refused = Http.get(feedUrl(env) + "?after=" + URLEncoder.encode(after, StandardCharsets.UTF_8), token);
            assertEquals(400, refused.status(), after + ": " + refused);
            assertEquals("after", refused.json().get("field").asText(), refused.toString());
        }
    }

    @Test
    void the_agent_applies_every_page_of_a_mass_revocation(TestEnvironment env) throws Exception {
        String prefix = Jit.unique("mass") + "-";
        int count = 2_500;
        try (Connection keycloak = env.keycloakDatabase()) {
            seedRevokedGrants(keycloak, prefix, count);
            try {
                List<Agent.Outcome> outcomes = env.agent().syncOnce();

                assertNull(outcomes.get(0).error());
                assertTrue(outcomes.get(0).revoked() >= count, outcomes.toString());
                assertEquals(count, revokedInTheDatabase(env, prefix), "every grant of the feed's pages (1,000 a page) is revoked in PostgreSQL");
            } finally {
                try (PreparedStatement delete = keycloak.prepareStatement("delete from JIT_GRANT where id like ?")) {
                    delete.setString(1, prefix + "%");
                    delete.executeUpdate();
                }
            }
        }
    }

    /** Revoked grants of an hour that is not over, written straight into Keycloak's tables: REST would take minutes. */
    private static void seedRevokedGrants(Connection keycloak, String prefix, int count) throws SQLException {
        long now = System.currentTimeMillis();
        try (PreparedStatement insert = keycloak.prepareStatement("""
                insert into JIT_GRANT (id, realm_id, request_id, user_id, username, datasource_id, columns, starts_at,
                  expires_at, revoked_at, revoked_by, revoke_reason, break_glass, review_required, closed)
                select ? || i, r.id, ? || i, 'mass-user', 'mass-user', 'analytics', 'public.customers.ssn', ?, ? + 3600000,
                  ? + i, 'admin', 'mass revocation', false, false, true
                from REALM r, generate_series(1, ?) i where r.name = ?""")) {
            insert.setString(1, prefix);
            insert.setString(2, prefix);
            insert.setLong(3, now);
            insert.setLong(4, now);
            insert.setLong(5, now);
            insert.setInt(6, count);
            insert.setString(7, TestEnvironment.REALM);
            assertEquals(count, insert.executeUpdate());
        }
    }

    private static int revokedInTheDatabase(TestEnvironment env, String prefix) throws SQLException {
        try (Connection c = env.postgres().connect(AnalyticsDatabase.NAME);
             PreparedStatement q = c.prepareStatement("select count(*) from jit_columns.revoked_grants where grant_id like ?")) {
            q.setString(1, prefix + "%");
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String nextLink(Http.Reply reply) {
        String link = reply.header("Link");
        if (link == null) {
            return null;
        }
        Matcher m = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(link);
        assertTrue(m.find(), link);
        return m.group(1);
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

    /** A session that holds the revocation epoch's row (left open by a client, say) delays a run; it never stops it. */
    @Test
    void a_lock_held_in_the_database_fails_the_run_in_bounded_time_and_the_next_run_applies_it(TestEnvironment env)
            throws Exception {
        Jit.Granted granted = Jit.grant(env, 30);
        assertEquals(200, revoke(env, granted.grantId()).status());
        try (Connection holder = env.postgres().connect(AnalyticsDatabase.NAME)) {
            holder.createStatement().execute("select jit_columns.bump_epoch()"); // the row exists (a revocation writes it)
            holder.setAutoCommit(false);
            holder.createStatement().executeUpdate(
                    "update jit_columns.token_cache set revocation_epoch = revocation_epoch where backend_pid = 0");

            java.util.concurrent.ExecutorService run = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                List<Agent.Outcome> held = run.submit(() -> env.agent().syncOnce()).get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(held.get(0).error() != null && held.get(0).error().contains("lock"), held.toString());
            } finally {
                run.shutdownNow();
            }
            holder.rollback();
        }
        List<Agent.Outcome> next = env.agent().syncOnce();
        assertNull(next.get(0).error(), next.toString());
        assertTrue(next.get(0).revoked() >= 1, next.toString());
        try (Connection c = env.postgres().connect(AnalyticsDatabase.NAME);
             ResultSet rs = c.createStatement().executeQuery(
                     "select count(*) from jit_columns.revoked_grants where grant_id = '" + granted.grantId() + "'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }
}
