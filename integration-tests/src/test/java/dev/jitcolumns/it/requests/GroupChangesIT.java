package dev.jitcolumns.it.requests;

import static dev.jitcolumns.it.requests.GrantsIT.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Groups and realm roles changed in Keycloak's own console: stages hold a group or role, not a name. A renamed or moved
 * one keeps its approvers; a removed one's stages decide nothing, and a new one under the old name inherits none of
 * its rights.
 */
@ExtendWith(KeycloakHarness.class)
class GroupChangesIT {

    @Test
    void a_renamed_and_moved_group_keeps_its_approvers_and_the_policy_shows_its_new_path(TestEnvironment env) {
        String name = Jit.unique("owners");
        String groupId = Jit.createGroup(env, null, name);
        String member = Jit.unique("member");
        Jit.createUser(env, member, "/" + name);
        String column = Jit.columnWithPolicy(env, "/" + name, 1,
                Map.of("escalateAfterMinutes", 60, "escalationGroup", "/" + name));
        String id = requestFor(env, column);
        Instant renamedAt = Instant.now().minusSeconds(1);

        Http.Reply renamed = Http.put(Jit.stockAdmin(env) + "/groups/" + groupId, env.masterAdminToken(), Map.of("name", name + "-renamed"));
        assertEquals(204, renamed.status(), renamed.toString());
        String parent = Jit.unique("department");
        String parentId = Jit.createGroup(env, null, parent);
        Http.Reply moved = Http.post(Jit.stockAdmin(env) + "/groups/" + parentId + "/children", env.masterAdminToken(),
                Map.of("id", groupId, "name", name + "-renamed"));
        assertTrue(moved.status() == 201 || moved.status() == 204, moved.toString());

        JsonNode policy = Http.get(Jit.policyUrlOf(env, column), env.tokenOf("admin")).json();
        String newPath = "/" + parent + "/" + name + "-renamed";
        assertEquals(newPath, policy.at("/stages/0/approverGroup").asText());
        assertEquals(newPath, policy.get("escalationGroup").asText());
        assertTrue(Jit.inbox(env, member).contains(id));
        Http.Reply approved = Jit.approve(env, token(env, member), id);
        assertEquals(200, approved.status(), approved.toString());
        assertTrue(audited(env, renamedAt, "POLICY_GROUP_PATH_CHANGED").contains(Jit.policyUrlOf(env, column).replaceAll(".*/policies/", "policies/")));
    }

    @Test
    void a_new_group_under_a_removed_groups_name_decides_nothing_until_a_manager_names_it(TestEnvironment env) throws Exception {
        String name = Jit.unique("stewards");
        String groupId = Jit.createGroup(env, null, name);
        Jit.createGroup(env, groupId, "eu");
        String formerMember = Jit.unique("former");
        Jit.createUser(env, formerMember, "/" + name);
        String column = Jit.columnWithPolicy(env, null, 1, Map.of("stages", List.of(
                Jit.body("name", "stewards", "approverGroup", "/" + name),
                Jit.body("name", "eu stewards", "approverGroup", "/" + name + "/eu")),
                "escalateAfterMinutes", 60, "escalationGroup", "/" + name));
        String policyUrl = Jit.policyUrlOf(env, column);
        String pending = requestFor(env, column);
        Instant removedAt = Instant.now().minusSeconds(1);

        Http.Reply removed = Http.delete(Jit.stockAdmin(env) + "/groups/" + groupId, env.masterAdminToken());
        assertEquals(204, removed.status(), removed.toString());
        JsonNode policy = Http.get(policyUrl, env.tokenOf("admin")).json();
        assertEquals("/" + name, policy.at("/stages/0/approverGroup").asText(), "the path stays, for people to read");
        assertTrue(policy.at("/stages/0/approverRemoved").asBoolean(), policy.toString());
        assertTrue(policy.at("/stages/1/approverRemoved").asBoolean(), "its subgroup went with it: " + policy);
        assertTrue(policy.get("escalationGroupRemoved").asBoolean(), "its escalation group too: " + policy);
        assertTrue(audited(env, removedAt, "POLICY_GROUP_REMOVED").contains(groupId));

        Jit.createGroup(env, null, name);
        String newcomer = Jit.unique("newcomer");
        Jit.createUser(env, newcomer, "/" + name);
        assertFalse(Jit.inbox(env, newcomer).contains(pending));
        assertRefused(Jit.approve(env, token(env, newcomer), pending));
        // Nobody may decide it any more: the scheduler's next run cancels it, and says why.
        eventually(() -> "CANCELLED".equals(status(env, pending)), "the undecidable request cancelled");
        assertTrue(audited(env, removedAt, "REQUEST_CANCELLED").contains("nobody may decide the stage 'stewards': its approver group was removed"));
        Http.Reply refused = create(env, column);
        assertEquals(409, refused.status(), refused.toString());
        assertTrue(refused.json().get("message").asText().contains("/" + name + ", a group that was removed"), refused.toString());

        Http.Reply asRead = Http.put(policyUrl, env.tokenOf("admin"), Http.JSON.convertValue(policy, Map.class));
        assertEquals(200, asRead.status(), asRead.toString());
        assertTrue(asRead.json().at("/stages/0/approverRemoved").asBoolean(), "written back as read, it stays removed");
        assertEquals(409, create(env, column).status());

        Map<String, Object> named = Http.JSON.convertValue(policy, Map.class);
        named.put("stages", List.of(Jit.body("name", "stewards", "approverGroup", "/" + name)));
        Http.Reply updated = Http.put(policyUrl, env.tokenOf("admin"), named);
        assertEquals(200, updated.status(), updated.toString());
        assertTrue(updated.json().at("/stages/0/approverRemoved").isMissingNode(), updated.toString());
        Http.Reply created = create(env, column);
        assertEquals(201, created.status(), created.toString());
        assertEquals(200, Jit.approve(env, token(env, newcomer), created.json().get("id").asText()).status());
        assertEquals(409, Jit.approve(env, token(env, newcomer), pending).status(), "the old request stays cancelled");
    }

    @Test
    void a_renamed_role_keeps_its_holders_and_a_new_role_under_a_removed_ones_name_decides_nothing(TestEnvironment env) throws Exception {
        String name = Jit.unique("reviewer");
        assertEquals(201, Http.post(Jit.stockAdmin(env) + "/roles", env.masterAdminToken(), Map.of("name", name)).status());
        String roleId = Http.get(Jit.stockAdmin(env) + "/roles/" + name, env.masterAdminToken()).json().get("id").asText();
        String holder = Jit.unique("holder");
        Jit.addRealmRole(env, Jit.createUser(env, holder), name);
        String column = Jit.columnWithPolicy(env, null, 1, Map.of("stages",
                List.of(Jit.body("name", "reviewers", "approverRole", name))));
        String policyUrl = Jit.policyUrlOf(env, column);
        String first = requestFor(env, column);

        Http.Reply renamed = Http.put(Jit.stockAdmin(env) + "/roles-by-id/" + roleId, env.masterAdminToken(),
                Map.of("name", name + "-renamed"));
        assertEquals(204, renamed.status(), renamed.toString());
        assertEquals(name + "-renamed", Http.get(policyUrl, env.tokenOf("admin")).json().at("/stages/0/approverRole").asText());
        assertTrue(Jit.inbox(env, holder).contains(first));
        assertEquals(200, Jit.approve(env, token(env, holder), first).status());

        String pending = requestFor(env, column);
        Instant removedAt = Instant.now().minusSeconds(1);
        assertEquals(204, Http.delete(Jit.stockAdmin(env) + "/roles-by-id/" + roleId, env.masterAdminToken()).status());
        JsonNode policy = Http.get(policyUrl, env.tokenOf("admin")).json();
        assertTrue(policy.at("/stages/0/approverRemoved").asBoolean(), policy.toString());
        assertEquals(201, Http.post(Jit.stockAdmin(env) + "/roles", env.masterAdminToken(), Map.of("name", name + "-renamed")).status());
        String newcomer = Jit.unique("newcomer");
        Jit.addRealmRole(env, Jit.createUser(env, newcomer), name + "-renamed");
        assertFalse(Jit.inbox(env, newcomer).contains(pending));
        assertRefused(Jit.approve(env, token(env, newcomer), pending));
        Http.Reply refused = create(env, column);
        assertEquals(409, refused.status(), refused.toString());
        assertTrue(refused.json().get("message").asText().contains(name + "-renamed, a role that was removed"), refused.toString());
        eventually(() -> "CANCELLED".equals(status(env, pending)), "the undecidable request cancelled");
        assertTrue(audited(env, removedAt, "REQUEST_CANCELLED").contains("nobody may decide the stage 'reviewers': its approver role was removed"));
    }

    private static Http.Reply create(TestEnvironment env, String column) {
        return Jit.create(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                "reason", "Group change check", "durationMinutes", 30));
    }

    private static String requestFor(TestEnvironment env, String column) {
        Http.Reply r = create(env, column);
        assertEquals(201, r.status(), r.toString());
        return r.json().get("id").asText();
    }


    private static String token(TestEnvironment env, String username) {
        return env.tokenOf(username, username);
    }

    /** The details of the audit entries of {@code action} since {@code from}, joined. */
    /** Refused as no approver of the removed group's or role's stage (403), or as cancelled already by the scheduler (409). */
    private static void assertRefused(Http.Reply decided) {
        assertTrue(decided.status() == 403 || decided.status() == 409, decided.toString());
    }

    private static String status(TestEnvironment env, String requestId) {
        return Http.get(env.adminApi() + "/requests/" + requestId, env.tokenOf("admin")).json().get("status").asText();
    }

    private static String audited(TestEnvironment env, Instant from, String action) {
        Http.Reply r = Http.get(env.adminApi() + "/audit?from=" + from, env.tokenOf("admin"));
        assertEquals(200, r.status(), r.toString());
        StringBuilder details = new StringBuilder();
        r.json().forEach(e -> {
            if (action.equals(e.get("action").asText())) {
                details.append(e.get("details").asText()).append('\n');
            }
        });
        return details.toString();
    }
}
