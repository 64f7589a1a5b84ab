package dev.jitcolumns.it.realm;

import static dev.jitcolumns.it.support.Jit.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deleting a realm deletes its catalog, requests, decisions, grants, audit trail and pending webhook deliveries; a realm
 * of the same name starts empty.
 */
@ExtendWith(KeycloakHarness.class)
class RealmRemovalIT {

    static final List<String> TABLES = List.of("JIT_DATASOURCE", "JIT_POLICY", "JIT_COLUMN", "JIT_REQUEST", "JIT_GRANT",
            "JIT_AUDIT", "JIT_AUDIT_HEAD", "JIT_WEBHOOK_OUTBOX", "JIT_WEBHOOK");

    @Test
    void deleting_a_realm_leaves_no_row_of_it_and_a_new_realm_of_that_name_starts_clean(TestEnvironment env) throws Exception {
        String name = Jit.unique("gone");
        String master = env.masterAdminToken();
        String admin = env.keycloakUrl() + "/admin/realms/" + name;
        createRealmWithCatalogAndDecidedRequest(env, name, master);
        String realmId = Http.get(admin, master).json().get("id").asText();
        Map<String, Long> before = rowsOf(env, realmId);
        assertTrue(before.values().stream().allMatch(n -> n > 0), "every table has rows of the realm: " + before);
        assertTrue(decisionsOf(env, realmId) > 0, "the request was decided");

        assertEquals(204, Http.delete(admin, master).status());

        Map<String, Long> after = rowsOf(env, realmId);
        assertTrue(after.values().stream().allMatch(n -> n == 0), "nothing of the realm is left: " + after);
        assertEquals(201, Http.post(env.keycloakUrl() + "/admin/realms", master, Map.of("realm", name, "enabled", true)).status());
        assertEquals("[]", Http.get(admin + "/jit-columns/datasources", master).json().toString());
        JsonNode chain = Http.get(admin + "/jit-columns/audit/verify", master).json();
        assertTrue(chain.get("ok").asBoolean() && chain.get("entries").asInt() == 0, chain.toString());
        assertEquals(201, Http.post(admin + "/jit-columns/datasources", master, Map.of("id", "again", "name", "again")).status());
        assertEquals(204, Http.delete(admin, master).status());
    }

    /** Its webhook's receiver never answers: the deliveries of the request stay in the outbox. */
    private static void createRealmWithCatalogAndDecidedRequest(TestEnvironment env, String name, String master) throws IOException {
        Map<String, Object> realm = body("realm", name, "enabled", true,
                "attributes", Map.of("jit-columns.api-clients", "cli"),
                "groups", List.of(Map.of("name", "owners")),
                "roles", Map.of("realm", List.of(Map.of("name", "dpo"))),
                "clients", List.of(body("clientId", "cli", "publicClient", true, "directAccessGrantsEnabled", true)),
                "users", List.of(Jit.user("requester"), Jit.user("approver", "/owners")));
        Http.Reply created = Http.post(env.keycloakUrl() + "/admin/realms", master, realm);
        assertEquals(201, created.status(), created.toString());
        String api = env.keycloakUrl() + "/admin/realms/" + name + "/jit-columns";
        assertEquals(200, Http.put(api + "/client-scope", master, "").status()); // and with it, cli may call the APIs
        assertEquals(200, Http.put(api + "/webhook", master, Map.of("url", Jit.unreachableUrl("/hook"),
                "secret", "a webhook secret of the test")).status());
        created(Http.post(api + "/datasources", master, Map.of("id", "dwh", "name", "Warehouse")));
        created(Http.post(api + "/policies", master, body("id", "pii", "name", "PII",
                "stages", List.of(body("name", "owners", "approverGroup", "/owners", "minApprovals", 1)),
                "maxDurationMinutes", 60)));
        // a role stage too: the realm's roles are removed one by one, each telling the policies
        created(Http.post(api + "/policies", master, body("id", "by-role", "name", "By role",
                "stages", List.of(body("name", "dpo", "approverRole", "dpo")), "maxDurationMinutes", 60)));
        created(Http.post(api + "/columns", master, body("datasource", "dwh", "schema", "public", "table", "t",
                "column", "secret", "label", "SECRET", "policy", "pii")));

        String realmUrl = env.keycloakUrl() + "/realms/" + name;
        String requester = TestEnvironment.passwordGrant(realmUrl, "cli", "requester", "requester", List.of());
        Http.Reply request = created(Http.post(realmUrl + "/jit-columns/requests", requester, body("datasource", "dwh",
                "columns", List.of("public.t.secret"), "reason", "Quarterly audit", "durationMinutes", 30)));
        String approver = TestEnvironment.passwordGrant(realmUrl, "cli", "approver", "approver", List.of());
        Http.Reply approved = Http.post(api + "/requests/" + request.json().get("id").asText() + "/approve", approver, Map.of());
        assertEquals(200, approved.status(), approved.toString());
    }

    private static Http.Reply created(Http.Reply reply) {
        assertEquals(201, reply.status(), reply.toString());
        return reply;
    }

    private static Map<String, Long> rowsOf(TestEnvironment env, String realmId) throws Exception {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = env.keycloakDatabase()) {
            for (String table : TABLES) {
                rows.put(table, count(c, "select count(*) from " + table + " where realm_id = ?", realmId));
            }
        }
        return rows;
    }

    /** Decisions carry no realm id (their foreign key to the request keeps them from outliving it). */
    private static long decisionsOf(TestEnvironment env, String realmId) throws Exception {
        try (Connection c = env.keycloakDatabase()) {
            return count(c, "select count(*) from JIT_DECISION d where d.request_id in (select id from JIT_REQUEST where realm_id = ?)", realmId);
        }
    }

    private static long count(Connection c, String sql, String realmId) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, realmId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
