package dev.jitcolumns.it.requests;

import static dev.jitcolumns.it.support.Jit.EMAIL;
import static dev.jitcolumns.it.support.Jit.SSN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The story: analyst asks, owner and security approve, the grant runs from final approval for the duration. */
@ExtendWith(KeycloakHarness.class)
class RequestLifecycleIT {

    @Nested
    class TwoStageApproval {

        @Test
        void request_then_two_stages_give_one_grant(TestEnvironment env) {
            Http.Reply createdReply = Jit.create(env, "analyst", Jit.ssnRequest());
            assertEquals(201, createdReply.status(), createdReply.toString());
            JsonNode created = createdReply.json();
            String id = created.get("id").asText();
            assertTrue(createdReply.header("Location").endsWith("/realms/acme/jit-columns/requests/" + id), createdReply.header("Location"));
            assertEquals("PENDING", created.get("status").asText());
            assertEquals("data-owner", created.get("currentStage").asText());
            assertEquals(List.of(SSN), List.of(created.get("columns").get(0).asText()));
            assertEquals("analyst", created.at("/requester/username").asText());
            assertEquals(2, created.get("stages").size());
            assertEquals("/security-officers", created.at("/stages/1/approverGroup").asText());
            assertEquals("INC-1234", created.get("ticket").asText());
            assertFalse(created.has("grant"));

            String owner = env.tokenOf("owner");
            Http.Reply first = Jit.approve(env, owner, id);
            assertEquals(200, first.status(), first.toString());
            assertEquals("PENDING", first.json().get("status").asText());
            assertEquals("security", first.json().get("currentStage").asText());
            assertEquals("owner", first.json().at("/decisions/0/approver/username").asText());
            assertEquals("APPROVED", first.json().at("/decisions/0/decision").asText());

            JsonNode inInbox = null;
            for (JsonNode r : Http.get(env.adminApi() + "/requests?decidable=true&max=500", env.tokenOf("security")).json()) {
                inInbox = r.get("id").asText().equals(id) ? r : inInbox;
            }
            assertNotNull(inInbox, "the security officers' inbox has it");
            assertEquals("owner", inInbox.at("/decisions/0/approver/username").asText(), "a page shows earlier decisions");

            Http.Reply again = Jit.approve(env, owner, id);
            assertEquals(403, again.status(), again.toString());
            assertEquals("forbidden", again.json().get("error").asText());

            Instant before = Instant.now().minusSeconds(2);
            Http.Reply second = Jit.approve(env, env.tokenOf("security"), id);
            assertEquals(200, second.status(), second.toString());
            JsonNode approved = second.json();
            assertEquals("APPROVED", approved.get("status").asText());
            assertTrue(approved.path("currentStage").asText("").isEmpty(), "no current stage once approved");
            assertEquals(2, approved.get("decisions").size());
            assertEquals(approved, Http.get(env.adminApi() + "/requests/" + id, env.tokenOf("security")).json(),
                    "the approval answers what a later read gives");
            assertNotNull(approved.get("decidedAt").asText());
            JsonNode grant = approved.get("grant");
            Instant startsAt = Instant.parse(grant.get("startsAt").asText());
            Instant expiresAt = Instant.parse(grant.get("expiresAt").asText());
            assertTrue(startsAt.isAfter(before), "the clock starts at final approval");
            assertEquals(Duration.ofMinutes(60), Duration.between(startsAt, expiresAt));
            assertEquals(id, grant.get("requestId").asText());

            Http.Reply grants = Http.get(env.userApi() + "/grants", env.tokenOf("analyst"));
            assertEquals(200, grants.status(), grants.toString());
            assertTrue(Jit.texts(grants.json(), "/id").contains(grant.get("id").asText()), grants.toString());

            Http.Reply mine = Http.get(env.userApi() + "/requests/" + id, env.tokenOf("analyst"));
            assertEquals(200, mine.status());
            assertEquals("APPROVED", mine.json().get("status").asText());

            Http.Reply afterFinal = Jit.approve(env, env.tokenOf("security"), id);
            assertEquals(409, afterFinal.status(), afterFinal.toString());
        }

        @Test
        void the_second_stage_is_not_decided_by_the_first_stages_group(TestEnvironment env) {
            String id = Jit.created(env, "analyst", Jit.ssnRequest()).get("id").asText();

            Http.Reply early = Jit.approve(env, env.tokenOf("security"), id);

            assertEquals(403, early.status(), early.toString());
            assertTrue(early.json().get("message").asText().contains("data-owner"), early.toString());
        }

        @Test
        void two_stages_of_one_group_need_two_of_its_members(TestEnvironment env) {
            String group = Jit.unique("pair");
            Jit.createGroup(env, null, group);
            String first = Jit.unique("first");
            String second = Jit.unique("second");
            Jit.createUser(env, first, "/" + group);
            Jit.createUser(env, second, "/" + group);
            String column = Jit.columnWithPolicy(env, "/" + group, 1, Map.of("stages", List.of(
                    Jit.body("name", "first look", "approverGroup", "/" + group),
                    Jit.body("name", "second look", "approverGroup", "/" + group))));
            String id = Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                    "reason", "Four eyes on this", "durationMinutes", 30)).get("id").asText();

            Http.Reply once = Jit.approve(env, env.tokenOf(first), id);
            assertEquals(200, once.status(), once.toString());
            assertEquals("PENDING", once.json().get("status").asText(), "one approval does not pass both stages");
            assertEquals(2, once.json().get("stages").size());
            assertEquals(403, Jit.approve(env, env.tokenOf(first), id).status(), "nor does the same person twice");
            Http.Reply twice = Jit.approve(env, env.tokenOf(second), id);
            assertEquals(200, twice.status(), twice.toString());
            assertEquals("APPROVED", twice.json().get("status").asText());
        }
    }

    @Nested
    class Refusals {

        @Test
        void nobody_approves_their_own_request(TestEnvironment env) {
            String id = Jit.created(env, "owner", Jit.emailRequest()).get("id").asText();

            Http.Reply own = Jit.approve(env, env.tokenOf("owner"), id);

            assertEquals(403, own.status(), own.toString());
            assertTrue(own.json().get("message").asText().contains("own request"), own.toString());
        }

        @Test
        void a_user_outside_the_stage_group_is_refused(TestEnvironment env) {
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

            Http.Reply reply = Jit.approve(env, env.tokenOf("admin"), id);

            assertEquals(403, reply.status(), reply.toString());
        }

        @Test
        void an_unknown_request_is_404(TestEnvironment env) {
            assertEquals(404, Jit.approve(env, env.tokenOf("owner"), "00000000-0000-0000-0000-000000000000").status());
            assertEquals(404, Http.get(env.userApi() + "/requests/nope", env.tokenOf("analyst")).status());
        }

        @Test
        void another_users_request_is_404_to_the_user_api(TestEnvironment env) {
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

            Http.Reply reply = Http.get(env.userApi() + "/requests/" + id, env.tokenOf("owner"));

            assertEquals(404, reply.status(), reply.toString());
            assertEquals("not_found", reply.json().get("error").asText());
        }
    }

    @Nested
    class Deny {

        @Test
        void a_denial_needs_a_comment_and_ends_the_request(TestEnvironment env) {
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            String owner = env.tokenOf("owner");

            Http.Reply noComment = Jit.deny(env, owner, id, null);
            assertEquals(400, noComment.status(), noComment.toString());
            assertEquals("comment", noComment.json().get("field").asText());

            Http.Reply denied = Jit.deny(env, owner, id, "Not needed for that ticket");
            assertEquals(200, denied.status(), denied.toString());
            assertEquals("DENIED", denied.json().get("status").asText());
            assertEquals("Not needed for that ticket", denied.json().at("/decisions/0/comment").asText());
            assertFalse(denied.json().has("grant"));

            assertEquals(409, Http.post(env.userApi() + "/requests/" + id + "/cancel", env.tokenOf("analyst"), "").status());
        }
    }

    @Nested
    class Cancel {

        @Test
        void the_requester_cancels_a_pending_request_once(TestEnvironment env) {
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            String analyst = env.tokenOf("analyst");

            Http.Reply other = Http.post(env.userApi() + "/requests/" + id + "/cancel", env.tokenOf("owner"), "");
            assertEquals(404, other.status(), other.toString());

            Http.Reply cancelled = Http.post(env.userApi() + "/requests/" + id + "/cancel", analyst, "");
            assertEquals(200, cancelled.status(), cancelled.toString());
            assertEquals("CANCELLED", cancelled.json().get("status").asText());

            Http.Reply twice = Http.post(env.userApi() + "/requests/" + id + "/cancel", analyst, "");
            assertEquals(409, twice.status(), twice.toString());
            assertEquals("conflict", twice.json().get("error").asText());
            assertEquals(409, Jit.approve(env, env.tokenOf("owner"), id).status());
        }
    }

    @Nested
    class Listing {

        @Test
        void the_user_lists_only_their_own_requests(TestEnvironment env) {
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

            Http.Reply mine = Http.get(env.userApi() + "/requests", env.tokenOf("analyst"));
            Http.Reply theirs = Http.get(env.userApi() + "/requests", env.tokenOf("security"));

            assertEquals(200, mine.status());
            assertTrue(Jit.texts(mine.json(), "/id").contains(id));
            assertFalse(Jit.texts(theirs.json(), "/id").contains(id));
        }

        @Test
        void decidable_lists_what_the_caller_may_decide_now(TestEnvironment env) {
            String id = Jit.created(env, "analyst", Jit.ssnRequest()).get("id").asText();

            Http.Reply owner = Http.get(env.adminApi() + "/requests?decidable=true&max=500", env.tokenOf("owner"));
            Http.Reply security = Http.get(env.adminApi() + "/requests?decidable=true&max=500", env.tokenOf("security"));

            assertEquals(200, owner.status(), owner.toString());
            assertTrue(Jit.texts(owner.json(), "/id").contains(id), "owner decides stage 1");
            assertFalse(Jit.texts(security.json(), "/id").contains(id), "security is stage 2");

            Jit.approve(env, env.tokenOf("owner"), id);
            assertFalse(Jit.texts(Http.get(env.adminApi() + "/requests?decidable=true&max=500", env.tokenOf("owner")).json(), "/id").contains(id));
            assertTrue(Jit.texts(Http.get(env.adminApi() + "/requests?decidable=true&max=500", env.tokenOf("security")).json(), "/id").contains(id));
        }

        @Test
        void a_manager_lists_by_status(TestEnvironment env) {
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

            Http.Reply pending = Http.get(env.adminApi() + "/requests?status=PENDING&max=500", env.tokenOf("admin"));
            Http.Reply bad = Http.get(env.adminApi() + "/requests?status=MAYBE", env.tokenOf("admin"));

            assertEquals(200, pending.status(), pending.toString());
            assertTrue(Jit.texts(pending.json(), "/id").contains(id));
            pending.json().forEach(r -> assertEquals("PENDING", r.get("status").asText()));
            assertEquals(400, bad.status());
            assertEquals("status", bad.json().get("field").asText());
        }

        @Test
        void a_plain_user_is_refused_the_admin_list(TestEnvironment env) {
            assertEquals(403, Http.get(env.adminApi() + "/requests", env.tokenOf("analyst")).status());
        }
    }

    static Map<String, Object> unused() {
        return Map.of("x", EMAIL);
    }
}
