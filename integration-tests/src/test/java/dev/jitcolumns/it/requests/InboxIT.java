package dev.jitcolumns.it.requests;

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
 * Who finds a request in their inbox ({@code GET /requests?decidable=true}) and may decide it, for stages decided by a
 * group (members of its subgroups included, as Keycloak counts them members) and by a realm role (held directly or
 * through a group). Each test tries the near miss next to the rule, and the inbox and the decision must agree.
 */
@ExtendWith(KeycloakHarness.class)
class InboxIT {

    @Test
    void a_member_of_a_subgroup_decides_and_a_group_whose_path_only_starts_alike_does_not(TestEnvironment env) {
        String name = Jit.unique("owners");
        String group = Jit.createGroup(env, null, name);
        Jit.createGroup(env, group, "eu");
        Jit.createGroup(env, null, name + "-archive");
        String member = Jit.unique("eu-owner");
        Jit.createUser(env, member, "/" + name + "/eu");
        String lookalike = Jit.unique("archivist");
        Jit.createUser(env, lookalike, "/" + name + "-archive");
        String id = requestFor(env, Jit.columnWithPolicy(env, "/" + name, 1, Map.of()));

        assertFalse(Jit.inbox(env, lookalike).contains(id), "/" + name + "-archive is not /" + name);
        assertEquals(403, Jit.approve(env, token(env, lookalike), id).status());

        assertTrue(Jit.inbox(env, member).contains(id), "a member of /" + name + "/eu is a member of /" + name);
        Http.Reply approved = Jit.approve(env, token(env, member), id);
        assertEquals(200, approved.status(), approved.toString());
        assertEquals("APPROVED", approved.json().get("status").asText());
    }

    @Test
    void a_holder_of_the_stage_role_decides_directly_or_through_a_group_and_nobody_else(TestEnvironment env) {
        String role = Jit.unique("approver-role");
        Http.Reply created = Http.post(Jit.stockAdmin(env) + "/roles", env.masterAdminToken(), Map.of("name", role));
        assertEquals(201, created.status(), created.toString());
        JsonNode roleRep = Http.get(Jit.stockAdmin(env) + "/roles/" + role, env.masterAdminToken()).json();

        String holder = Jit.unique("role-holder");
        mapRole(env, "/users/" + Jit.createUser(env, holder), roleRep);
        String groupName = Jit.unique("role-group");
        String groupId = Jit.createGroup(env, null, groupName);
        mapRole(env, "/groups/" + groupId, roleRep);
        String viaGroup = Jit.unique("via-group");
        Jit.createUser(env, viaGroup, "/" + groupName);
        String without = Jit.unique("no-role");
        Jit.createUser(env, without);

        String column = Jit.columnWithPolicy(env, null, 1, Map.of("stages",
                List.of(Jit.body("name", "role stage", "approverRole", role, "minApprovals", 1))));
        String first = requestFor(env, column);
        String second = requestFor(env, column);

        assertFalse(Jit.inbox(env, without).contains(first));
        assertEquals(403, Jit.approve(env, token(env, without), first).status());

        assertTrue(Jit.inbox(env, holder).contains(first));
        assertTrue(Jit.inbox(env, viaGroup).contains(second));
        assertEquals(200, Jit.approve(env, token(env, holder), first).status());
        assertEquals(200, Jit.approve(env, token(env, viaGroup), second).status());
    }

    @Test
    void pages_of_the_inbox_follow_one_another_oldest_first(TestEnvironment env) {
        String name = Jit.unique("pagers");
        Jit.createGroup(env, null, name);
        String approver = Jit.unique("pager");
        Jit.createUser(env, approver, "/" + name);
        String column = Jit.columnWithPolicy(env, "/" + name, 1, Map.of());
        List<String> created = List.of(requestFor(env, column), requestFor(env, column), requestFor(env, column));

        List<String> all = Jit.inbox(env, approver);
        assertEquals(3, all.size(), "only the three requests of this approver's new group: " + all);
        assertTrue(all.containsAll(created));
        assertEquals(all.subList(0, 2), page(env, approver, 0, 2));
        assertEquals(all.subList(2, 3), page(env, approver, 2, 2));
        assertEquals(List.of(), page(env, approver, 3, 2));

        assertEquals(200, Jit.approve(env, token(env, approver), all.get(0)).status());
        assertEquals(all.subList(1, 3), page(env, approver, 0, 2), "a decided request leaves the inbox");
    }

    /** Each group and role of the approver is read apart, oldest first; a page must still be one slice of them all. */
    @Test
    void pages_interleave_the_requests_of_every_group_and_role_of_the_approver(TestEnvironment env) {
        String group = Jit.unique("interleaved");
        Jit.createGroup(env, null, group);
        String role = Jit.unique("interleaved-role");
        assertEquals(201, Http.post(Jit.stockAdmin(env) + "/roles", env.masterAdminToken(), Map.of("name", role)).status());
        String approver = Jit.unique("interleaver");
        mapRole(env, "/users/" + Jit.createUser(env, approver, "/" + group),
                Http.get(Jit.stockAdmin(env) + "/roles/" + role, env.masterAdminToken()).json());
        String byGroup = Jit.columnWithPolicy(env, "/" + group, 1, Map.of());
        String byRole = Jit.columnWithPolicy(env, null, 1, Map.of("stages",
                List.of(Jit.body("name", "role stage", "approverRole", role, "minApprovals", 1))));
        List<String> created = List.of(requestFor(env, byGroup), requestFor(env, byRole), requestFor(env, byGroup),
                requestFor(env, byRole), requestFor(env, byGroup));

        Http.Reply whole = Http.get(env.adminApi() + "/requests?decidable=true&max=500", token(env, approver));
        List<String> all = Jit.texts(whole.json(), "/id");
        assertEquals(5, all.size(), "the five requests of this approver's new group and role: " + all);
        assertTrue(all.containsAll(created));
        List<Instant> times = Jit.texts(whole.json(), "/createdAt").stream().map(Instant::parse).toList();
        assertEquals(times.stream().sorted().toList(), times, "oldest first across the group and the role");
        assertEquals(all.subList(0, 2), page(env, approver, 0, 2));
        assertEquals(all.subList(2, 4), page(env, approver, 2, 2));
        assertEquals(all.subList(4, 5), page(env, approver, 4, 2));
        assertEquals(all.subList(1, 4), page(env, approver, 1, 3));
    }

    @Test
    void whoever_decided_the_first_stage_never_finds_the_second_in_their_inbox(TestEnvironment env) {
        String first = Jit.unique("stage-one");
        Jit.createGroup(env, null, first);
        String second = Jit.unique("stage-two");
        Jit.createGroup(env, null, second);
        String both = Jit.unique("in-both");
        Jit.createUser(env, both, "/" + first, "/" + second);
        String other = Jit.unique("second-only");
        Jit.createUser(env, other, "/" + second);
        String column = Jit.columnWithPolicy(env, null, 1, Map.of("stages", List.of(
                Jit.body("name", "first", "approverGroup", "/" + first, "minApprovals", 1),
                Jit.body("name", "second", "approverGroup", "/" + second, "minApprovals", 1))));
        String id = requestFor(env, column);

        assertTrue(Jit.inbox(env, both).contains(id));
        assertEquals(200, Jit.approve(env, token(env, both), id).status());

        assertFalse(Jit.inbox(env, both).contains(id), "one person decides at most one stage of a request");
        Http.Reply again = Jit.approve(env, token(env, both), id);
        assertEquals(403, again.status(), again.toString());
        assertTrue(again.json().get("message").asText().contains("at most one stage"), again.toString());
        assertTrue(Jit.inbox(env, other).contains(id));
        assertEquals(200, Jit.approve(env, token(env, other), id).status());
    }

    private static List<String> page(TestEnvironment env, String username, int first, int max) {
        Http.Reply r = Http.get(env.adminApi() + "/requests?decidable=true&first=" + first + "&max=" + max, token(env, username));
        assertEquals(200, r.status(), r.toString());
        return Jit.texts(r.json(), "/id");
    }

    private static String requestFor(TestEnvironment env, String column) {
        return Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                "reason", "Inbox membership check", "durationMinutes", 30)).get("id").asText();
    }


    private static String token(TestEnvironment env, String username) {
        return env.tokenOf(username, username);
    }

    private static void mapRole(TestEnvironment env, String owner, JsonNode role) {
        Http.Reply r = Http.post(Jit.stockAdmin(env) + owner + "/role-mappings/realm", env.masterAdminToken(), List.of(role));
        assertEquals(204, r.status(), r.toString());
    }

    /** Requests keep the stages they were created with: a policy moved to another group leaves them to the old one. */
    @Test
    void a_request_stays_in_the_inbox_of_its_stage_after_the_policy_moved_to_another_group(TestEnvironment env) {
        String group = Jit.unique("before");
        Jit.createGroup(env, null, group);
        String member = Jit.unique("member");
        Jit.createUser(env, member, "/" + group);
        String column = Jit.columnWithPolicy(env, "/" + group, 1, Map.of());
        String id = requestFor(env, column);
        String policyUrl = Jit.policyUrlOf(env, column);
        Map<String, Object> policy = Http.JSON.convertValue(Http.get(policyUrl, env.tokenOf("admin")).json(), Map.class);
        policy.put("stages", List.of(Jit.body("name", "approvers", "approverGroup", "/security-officers")));
        assertEquals(200, Http.put(policyUrl, env.tokenOf("admin"), policy).status());

        assertTrue(Jit.texts(Http.get(env.adminApi() + "/requests?decidable=true&max=500", env.tokenOf(member)).json(), "/id")
                .contains(id), "still in the inbox of its stage's group");
        // and the console shows them their pages, with the request in their list: they approve a request, no policy
        assertTrue(Http.get(env.adminApi() + "/me", env.tokenOf(member)).json().get("requests").asBoolean());
        Http.Reply list = Http.get(env.adminApi() + "/requests?max=500", env.tokenOf(member));
        assertEquals(200, list.status(), list.toString());
        assertTrue(Jit.texts(list.json(), "/id").contains(id));
        assertEquals(200, Jit.approve(env, env.tokenOf(member), id).status());
    }
}
