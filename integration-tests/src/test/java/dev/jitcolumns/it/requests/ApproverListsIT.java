package dev.jitcolumns.it.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An approver's lists are pages of what they may see: requests (and their grants) of other approvers, newer or
 * sooner to end, never take the places of theirs. A fresh approver group decides one request; requests decided by
 * the data owners follow it.
 */
@ExtendWith(KeycloakHarness.class)
class ApproverListsIT {

    private static final int OTHERS = 3;

    /** The fresh approver's one request, and newer ones decided by the data owners. */
    record Scene(String approverToken, String mine, List<String> others) {
    }

    private static Scene scene(TestEnvironment env) {
        String group = Jit.unique("list-approvers");
        Jit.createGroup(env, null, group);
        String approver = Jit.unique("lister");
        Jit.createUser(env, approver, "/" + group);
        String mine = request(env, Jit.columnWithPolicy(env, "/" + group, 1, Map.of()), 120);
        List<String> others = new ArrayList<>();
        for (int i = 0; i < OTHERS; i++) {
            others.add(request(env, Jit.columnWithPolicy(env, "/data-owners", 1, Map.of()), 5));
        }
        return new Scene(env.tokenOf(approver), mine, others);
    }

    private static String request(TestEnvironment env, String column, int minutes) {
        return Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                "reason", "Checking the approver lists", "durationMinutes", minutes)).get("id").asText();
    }

    private static List<String> ids(TestEnvironment env, String token, String path) {
        Http.Reply page = Http.get(env.adminApi() + path, token);
        assertEquals(200, page.status(), page.toString());
        return Jit.texts(page.json(), "/id");
    }

    @Test
    void a_page_of_requests_holds_the_approvers_own_however_many_newer_ones_others_decide(TestEnvironment env) {
        Scene s = scene(env);

        assertEquals(List.of(s.mine()), ids(env, s.approverToken(), "/requests?status=PENDING&max=1"));
        assertEquals(List.of(s.mine()), ids(env, s.approverToken(), "/requests?max=1"));
        assertEquals(List.of(), ids(env, s.approverToken(), "/requests?max=1&first=1"));
        // The data owners see the others, newest first, and not the fresh group's request.
        List<String> owners = ids(env, env.tokenOf("owner"), "/requests?status=PENDING&max=" + OTHERS);
        assertEquals(newestFirst(s.others()), owners);
    }

    @Test
    void a_request_the_caller_may_not_see_answers_as_if_it_did_not_exist(TestEnvironment env) {
        Scene s = scene(env);

        Http.Reply hidden = Http.get(env.adminApi() + "/requests/" + s.others().get(0), s.approverToken());
        Http.Reply missing = Http.get(env.adminApi() + "/requests/" + UUID.randomUUID(), s.approverToken());

        assertEquals(404, hidden.status(), hidden.toString());
        assertEquals(missing.status(), hidden.status());
        assertEquals(missing.json(), hidden.json());
        Http.Reply own = Http.get(env.adminApi() + "/requests/" + s.mine(), s.approverToken());
        assertEquals(200, own.status(), own.toString());
        assertEquals(s.mine(), own.json().get("id").asText());
    }

    @Test
    void a_page_of_grants_holds_the_approvers_own_however_many_others_start_later_or_end_sooner(TestEnvironment env) {
        Scene s = scene(env);
        String mine = grantOf(Jit.approve(env, s.approverToken(), s.mine()));
        // Approved after it: newer (all grants, newest first) and ending sooner (active grants, soonest end first).
        List<String> others = new ArrayList<>();
        for (String id : s.others()) {
            others.add(grantOf(Jit.approve(env, env.tokenOf("owner"), id)));
        }

        assertEquals(List.of(mine), ids(env, s.approverToken(), "/grants?active=true&max=1"));
        assertEquals(List.of(mine), ids(env, s.approverToken(), "/grants?max=1"));
        assertEquals(List.of(), ids(env, s.approverToken(), "/grants?active=true&max=1&first=1"));
        List<String> owners = ids(env, env.tokenOf("owner"), "/grants?max=" + OTHERS);
        assertEquals(newestFirst(others), owners);
    }

    private static List<String> newestFirst(List<String> inOrderOfCreation) {
        List<String> reversed = new ArrayList<>(inOrderOfCreation);
        Collections.reverse(reversed);
        return reversed;
    }

    private static String grantOf(Http.Reply approved) {
        assertEquals(200, approved.status(), approved.toString());
        JsonNode grant = approved.json().get("grant");
        return grant.get("id").asText();
    }
}
