package dev.jitcolumns.it.requests;

import static dev.jitcolumns.it.support.Jit.EMAIL;
import static dev.jitcolumns.it.support.Jit.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Grants: break glass, extension without a gap, revocation, expiry and timeouts (scheduler every 2 s in the ITs). */
@ExtendWith(KeycloakHarness.class)
class GrantsIT {

    static JsonNode approvedEmail(TestEnvironment env) {
        String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
        Http.Reply approved = Jit.approve(env, env.tokenOf("owner"), id);
        assertEquals(200, approved.status(), approved.toString());
        return approved.json();
    }

    static void eventually(Supplier<Boolean> condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Not within 20 s: " + what);
    }

    static List<String> myGrantIds(TestEnvironment env) {
        return Jit.texts(Http.get(env.userApi() + "/grants", env.tokenOf("analyst")).json(), "/id");
    }

    @Nested
    class TheUsersGrants {

        @Test
        void list_an_approved_grant_ending_duration_after_the_approval_as_an_iso_instant(TestEnvironment env) {
            Instant before = Instant.now();
            JsonNode approved = approvedEmail(env);
            Instant after = Instant.now();
            String grantId = approved.at("/grant/id").asText();

            JsonNode grant = null;
            for (JsonNode g : Http.get(env.userApi() + "/grants", env.tokenOf("analyst")).json()) {
                grant = g.get("id").asText().equals(grantId) ? g : grant;
            }

            assertNotNull(grant, "the approved grant is among the user's grants");
            assertEquals(approved.get("id").asText(), grant.get("requestId").asText());
            assertEquals("analytics", grant.get("datasource").asText());
            assertEquals(List.of(EMAIL), Jit.texts(grant.get("columns"), ""));
            String expiresAt = grant.get("expiresAt").asText();
            assertTrue(expiresAt.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z"), "ISO-8601 UTC instant: " + expiresAt);
            Instant startsAt = Instant.parse(grant.get("startsAt").asText());
            assertEquals(Instant.parse(approved.get("decidedAt").asText()), startsAt, "the grant starts at the final approval");
            assertFalse(startsAt.isBefore(before.minusSeconds(2)) || startsAt.isAfter(after.plusSeconds(2)),
                    startsAt + " not within the approval call " + before + " - " + after);
            assertEquals(startsAt.plus(Duration.ofMinutes(approved.get("durationMinutes").asLong())), Instant.parse(expiresAt),
                    "startsAt + durationMinutes");
        }
    }

    @Nested
    class BreakGlass {

        static Map<String, Object> breakGlassOnEmail() {
            return Jit.body("datasource", "analytics", "columns", List.of(EMAIL),
                    "reason", "Production incident 4711", "durationMinutes", 15, "breakGlass", true);
        }

        @Test
        void the_requester_self_activates_a_short_grant_flagged_for_review(TestEnvironment env) {
            String oncall = Jit.unique("oncall"); // break glass lasts: each test activates it for a user of its own
            Jit.createUser(env, oncall);
            Http.Reply reply = Jit.create(env, oncall, breakGlassOnEmail());

            assertEquals(201, reply.status(), reply.toString());
            JsonNode r = reply.json();
            assertEquals("APPROVED", r.get("status").asText());
            assertTrue(r.get("breakGlass").asBoolean());
            assertEquals(0, r.get("decisions").size());
            assertTrue(r.at("/grant/reviewRequired").asBoolean());
            assertTrue(r.at("/grant/breakGlass").asBoolean());
            assertEquals(Duration.ofMinutes(15), Duration.between(Instant.parse(r.at("/grant/startsAt").asText()),
                    Instant.parse(r.at("/grant/expiresAt").asText())));
            assertTrue(Jit.texts(Http.get(env.userApi() + "/grants", env.tokenOf(oncall)).json(), "/id")
                    .contains(r.at("/grant/id").asText()));

            JsonNode audit = Http.get(env.adminApi() + "/audit", env.tokenOf("admin")).json();
            boolean audited = false;
            for (JsonNode e : audit) {
                audited |= e.get("action").asText().equals("BREAK_GLASS_ACTIVATED") && e.path("requestId").asText().equals(r.get("id").asText());
            }
            assertTrue(audited, "break glass is in the audit trail");
        }

        @Test
        void it_is_not_activated_again_while_it_lasts(TestEnvironment env) {
            String oncall = Jit.unique("oncall");
            Jit.createUser(env, oncall);
            String grantId = Jit.created(env, oncall, breakGlassOnEmail()).at("/grant/id").asText();

            Http.Reply again = Jit.create(env, oncall, breakGlassOnEmail());
            assertEquals(409, again.status(), again.toString());
            assertTrue(again.json().get("message").asText().contains("already active"), again.toString());
            assertEquals(List.of(grantId), Jit.texts(Http.get(env.userApi() + "/grants", env.tokenOf(oncall)).json(), "/id"),
                    "no second grant");

        }

        /** A revocation is an approver's word: break glass does not undo it, a new approval does. */
        @Test
        void it_does_not_undo_a_revocation_until_an_approver_grants_the_columns_again(TestEnvironment env) {
            String oncall = Jit.unique("oncall");
            Jit.createUser(env, oncall);
            String grantId = Jit.created(env, oncall, breakGlassOnEmail()).at("/grant/id").asText();
            assertEquals(200, Http.post(env.adminApi() + "/grants/" + grantId + "/revoke", env.tokenOf("owner"),
                    Map.of("reason", "Not an incident")).status());

            Http.Reply again = Jit.create(env, oncall, breakGlassOnEmail());
            assertEquals(403, again.status(), again.toString());
            assertTrue(again.json().get("message").asText().contains("was revoked at"), again.toString());
            assertEquals(1, Http.get(env.userApi() + "/requests", env.tokenOf(oncall)).json().size(), "nothing written");
            assertEquals(List.of(), Jit.texts(Http.get(env.userApi() + "/grants", env.tokenOf(oncall)).json(), "/id"));

            String asked = Jit.created(env, oncall, Jit.emailRequest()).get("id").asText();
            assertEquals(200, Jit.approve(env, env.tokenOf("owner"), asked).status());
            assertEquals(201, Jit.create(env, oncall, breakGlassOnEmail()).status(), "granted again, break glass is open again");
        }

        @Test
        void it_does_not_undo_the_revocation_of_an_approved_grant_either(TestEnvironment env) {
            String user = Jit.unique("asked");
            Jit.createUser(env, user);
            JsonNode approved = Jit.approve(env, env.tokenOf("owner"), Jit.created(env, user, Jit.emailRequest()).get("id").asText()).json();
            assertEquals(200, Http.post(env.adminApi() + "/grants/" + approved.at("/grant/id").asText() + "/revoke",
                    env.tokenOf("owner"), Map.of("reason", "Export done")).status());

            Http.Reply breakGlass = Jit.create(env, user, breakGlassOnEmail());
            assertEquals(403, breakGlass.status(), breakGlass.toString());
        }
    }

    @Nested
    class Extension {

        @Test
        void an_approved_extension_moves_expiresAt_without_a_gap(TestEnvironment env) {
            JsonNode approved = approvedEmail(env);
            String id = approved.get("id").asText();
            Instant oldEnd = Instant.parse(approved.at("/grant/expiresAt").asText());
            String grantId = approved.at("/grant/id").asText();

            Http.Reply ext = Http.post(env.userApi() + "/requests/" + id + "/extend", env.tokenOf("analyst"),
                    Map.of("durationMinutes", 45, "reason", "Need more time for the export"));
            assertEquals(201, ext.status(), ext.toString());
            assertEquals("PENDING", ext.json().get("status").asText());
            assertEquals(grantId, ext.json().get("extendsGrant").asText());
            assertTrue(ext.header("Location").endsWith(ext.json().get("id").asText()));

            Http.Reply done = Jit.approve(env, env.tokenOf("owner"), ext.json().get("id").asText());
            assertEquals(200, done.status(), done.toString());
            assertEquals(grantId, done.json().at("/grant/id").asText(), "the same grant, extended");
            assertEquals(oldEnd.plus(Duration.ofMinutes(45)), Instant.parse(done.json().at("/grant/expiresAt").asText()));
        }

        @Test
        void an_extension_gives_a_new_ticket_where_the_policy_now_asks_for_another(TestEnvironment env) {
            String column = Jit.columnWithPolicy(env, "/data-owners", 1, Map.of("ticketPattern", "OLD-[0-9]+"));
            String policyUrl = Jit.policyUrlOf(env, column);
            String id = Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                    "reason", "Monthly reconciliation", "ticket", "OLD-1", "durationMinutes", 30)).get("id").asText();
            assertEquals(200, Jit.approve(env, env.tokenOf("owner"), id).status());
            Map<String, Object> policy = Http.JSON.convertValue(Http.get(policyUrl, env.tokenOf("admin")).json(), Map.class);
            policy.put("ticketPattern", "NEW-[0-9]+");
            assertEquals(200, Http.put(policyUrl, env.tokenOf("admin"), policy).status());

            Http.Reply keptOld = Http.post(env.userApi() + "/requests/" + id + "/extend", env.tokenOf("analyst"),
                    Map.of("durationMinutes", 30, "reason", "Need more time please"));
            assertEquals(400, keptOld.status(), keptOld.toString());
            assertEquals("ticket", keptOld.json().get("field").asText());
            Http.Reply newTicket = Http.post(env.userApi() + "/requests/" + id + "/extend", env.tokenOf("analyst"),
                    Map.of("durationMinutes", 30, "reason", "Need more time please", "ticket", "NEW-7"));
            assertEquals(201, newTicket.status(), newTicket.toString());
            assertEquals("NEW-7", newTicket.json().get("ticket").asText());
        }

        @Test
        void only_an_active_grant_is_extended(TestEnvironment env) {
            String pending = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            Http.Reply reply = Http.post(env.userApi() + "/requests/" + pending + "/extend", env.tokenOf("analyst"),
                    Map.of("durationMinutes", 30, "reason", "Need more time please"));
            assertEquals(409, reply.status(), reply.toString());

            JsonNode approved = approvedEmail(env);
            Http.Reply tooLong = Http.post(env.userApi() + "/requests/" + approved.get("id").asText() + "/extend",
                    env.tokenOf("analyst"), Map.of("durationMinutes", 241, "reason", "Need more time please"));
            assertEquals(400, tooLong.status(), tooLong.toString());
            assertEquals("durationMinutes", tooLong.json().get("field").asText());
        }
    }

    @Nested
    class Revocation {

        @Test
        void an_approver_revokes_at_once(TestEnvironment env) {
            JsonNode approved = approvedEmail(env);
            String grantId = approved.at("/grant/id").asText();
            assertTrue(myGrantIds(env).contains(grantId));

            Http.Reply noReason = Http.post(env.adminApi() + "/grants/" + grantId + "/revoke", env.tokenOf("owner"), Map.of());
            assertEquals(400, noReason.status());
            assertEquals("reason", noReason.json().get("field").asText());
            assertEquals(403, Http.post(env.adminApi() + "/grants/" + grantId + "/revoke", env.tokenOf("analyst"),
                    Map.of("reason", "mine")).status());

            Http.Reply revoked = Http.post(env.adminApi() + "/grants/" + grantId + "/revoke", env.tokenOf("owner"),
                    Map.of("reason", "Ticket closed"));
            assertEquals(200, revoked.status(), revoked.toString());
            assertEquals("owner", revoked.json().get("revokedBy").asText());
            assertEquals("Ticket closed", revoked.json().get("revokeReason").asText());
            assertFalse(myGrantIds(env).contains(grantId), "gone from the user's active grants");
            assertEquals("REVOKED", Http.get(env.userApi() + "/requests/" + approved.get("id").asText(), env.tokenOf("analyst"))
                    .json().get("status").asText());
            assertEquals(409, Http.post(env.adminApi() + "/grants/" + grantId + "/revoke", env.tokenOf("owner"),
                    Map.of("reason", "again")).status());
            assertEquals(404, Http.post(env.adminApi() + "/grants/nope/revoke", env.tokenOf("owner"), Map.of("reason", "x")).status());
        }

        @Test
        void a_pending_extension_does_not_bring_a_revoked_grant_back(TestEnvironment env) throws Exception {
            JsonNode approved = approvedEmail(env);
            String grantId = approved.at("/grant/id").asText();
            String extension = Http.post(env.userApi() + "/requests/" + approved.get("id").asText() + "/extend",
                    env.tokenOf("analyst"), Map.of("durationMinutes", 30, "reason", "Need more time please")).json().get("id").asText();

            assertEquals(200, Http.post(env.adminApi() + "/grants/" + grantId + "/revoke", env.tokenOf("owner"),
                    Map.of("reason", "Access no longer needed")).status());

            assertEquals("CANCELLED", Http.get(env.userApi() + "/requests/" + extension, env.tokenOf("analyst"))
                    .json().get("status").asText(), "the revocation ends the pending extension");
            assertEquals(409, Jit.approve(env, env.tokenOf("owner"), extension).status());
            // an extension asked for while the revocation was committing is refused when decided
            sql(env, "update JIT_REQUEST set status = 'PENDING', current_approver = (select concat('group:', id) from KEYCLOAK_GROUP"
                    + " where name = 'data-owners' and parent_group = ' ') where id = ?", extension);
            Http.Reply late = Jit.approve(env, env.tokenOf("owner"), extension);
            assertEquals(409, late.status(), late.toString());
            assertTrue(late.json().get("message").asText().contains("revoked"), late.toString());
            assertFalse(myGrantIds(env).contains(grantId));
            assertEquals(0, Http.get(env.userApi() + "/grants", env.tokenOf("analyst")).json().findValues("requestId").stream()
                    .filter(r -> r.asText().equals(extension)).count(), "no new grant either");
        }

        /** The databases hear of it through the revocation feed, rather than honour the user's token until it expires. */
        @Test
        void removing_a_user_revokes_their_grants_and_cancels_their_pending_requests(TestEnvironment env) {
            Jit.Granted granted = Jit.grant(env, 30);
            String pending = Jit.created(env, granted.username(), Jit.emailRequest()).get("id").asText();

            Jit.deleteUser(env, granted.userId());

            JsonNode feed = Http.get(env.adminApi() + "/revocations", env.tokenOf("admin")).json();
            assertTrue(Jit.texts(feed, "/grantId").contains(granted.grantId()), feed.toString());
            assertFalse(Jit.texts(Http.get(env.adminApi() + "/requests?decidable=true&max=500", env.tokenOf("owner")).json(), "/id")
                    .contains(pending), "gone from the inbox");
            String audit = Http.get(env.adminApi() + "/audit?from=" + Instant.now().minusSeconds(120), env.tokenOf("admin")).body();
            assertTrue(audit.contains("GRANT_REVOKED") && audit.contains("the user was removed"), audit);
            assertTrue(audit.contains("REQUEST_CANCELLED") && audit.contains(pending), audit);
        }

        /** Keycloak tells no provider that a user was disabled: the scheduler's next run finds it out. */
        @Test
        void disabling_a_user_revokes_their_grants_and_cancels_their_pending_requests(TestEnvironment env) throws Exception {
            Jit.Granted disabled = Jit.grant(env, 30);
            Jit.Granted stillEnabled = Jit.grant(env, 30);
            String pending = Jit.created(env, disabled.username(), Jit.emailRequest()).get("id").asText();

            Http.Reply update = Http.put(Jit.stockAdmin(env) + "/users/" + disabled.userId(), env.masterAdminToken(),
                    Map.of("enabled", false));
            assertEquals(204, update.status(), update.toString());

            eventually(() -> Jit.revokedGrantIds(env).contains(disabled.grantId()), "the disabled user's grant in the revocation feed");
            JsonNode grant = Jit.grantById(env, disabled.grantId());
            assertEquals("the user was disabled", grant.get("revokeReason").asText(), grant.toString());
            JsonNode request = Http.get(env.adminApi() + "/requests/" + pending, env.tokenOf("admin")).json();
            assertEquals("CANCELLED", request.get("status").asText(), request.toString());
            assertTrue(Jit.activeGrantIds(env).contains(stillEnabled.grantId()), "an enabled user's grant stays");
        }

        @Test
        void managers_list_grants_and_plain_users_cannot(TestEnvironment env) {
            String grantId = approvedEmail(env).at("/grant/id").asText();

            Http.Reply active = Http.get(env.adminApi() + "/grants?active=true&max=500", env.tokenOf("admin"));

            assertEquals(200, active.status(), active.toString());
            assertTrue(Jit.texts(active.json(), "/id").contains(grantId));
            assertEquals(403, Http.get(env.adminApi() + "/grants", env.tokenOf("analyst")).status());
        }
    }

    @Nested
    class Scheduler {

        @Test
        void a_grant_past_its_end_is_inactive_at_once_and_then_EXPIRED(TestEnvironment env) throws Exception {
            JsonNode approved = approvedEmail(env);
            String grantId = approved.at("/grant/id").asText();
            Jit.passDeadline(env, "JIT_GRANT", "expires_at", grantId);

            assertFalse(myGrantIds(env).contains(grantId), "expiry needs no scheduler");
            eventually(() -> "EXPIRED".equals(Http.get(env.userApi() + "/requests/" + approved.get("id").asText(),
                    env.tokenOf("analyst")).json().get("status").asText()), "request EXPIRED");
        }

        /**
         * Another node's run (a run can outlast the cluster's task lock) closes the grant while this node's run waits for
         * its row: this node then leaves it alone, rather than audit the expiry a second time.
         */
        @Test
        void a_grant_another_node_expired_meanwhile_is_not_expired_again(TestEnvironment env) throws Exception {
            for (int attempt = 1; ; attempt++) {
                JsonNode approved = approvedEmail(env);
                String grantId = approved.at("/grant/id").asText();
                Jit.passDeadline(env, "JIT_GRANT", "expires_at", grantId);
                try (Connection otherNode = env.keycloakDatabase()) {
                    otherNode.setAutoCommit(false);
                    try (PreparedStatement lock = otherNode.prepareStatement("select closed from JIT_GRANT where id = ? for update")) {
                        lock.setString(1, grantId);
                        ResultSet rs = lock.executeQuery();
                        rs.next();
                        if (rs.getBoolean(1)) { // this node's scheduler was quicker than the lock: try again
                            otherNode.rollback();
                            assertTrue(attempt < 5, "the scheduler always came first");
                            continue;
                        }
                    }
                    try (PreparedStatement close = otherNode.prepareStatement("update JIT_GRANT set closed = true where id = ?")) {
                        close.setString(1, grantId);
                        close.executeUpdate();
                    }
                    Thread.sleep(5000); // the scheduler (every 2 s in the ITs) finds the grant due and waits for its row
                    otherNode.commit();
                }
                Thread.sleep(3000);
                JsonNode audit = Http.get(env.adminApi() + "/audit", env.tokenOf("admin")).json();
                long expiries = 0;
                for (JsonNode e : audit) {
                    expiries += e.get("action").asText().equals("GRANT_EXPIRED") && e.path("grantId").asText().equals(grantId) ? 1 : 0;
                }
                assertEquals(0, expiries, "the other node's run did it: no second expiry here");
                assertEquals("APPROVED", Http.get(env.userApi() + "/requests/" + approved.get("id").asText(), env.tokenOf("analyst"))
                        .json().get("status").asText());
                return;
            }
        }

        @Test
        void a_pending_request_past_its_timeout_is_TIMED_OUT(TestEnvironment env) throws Exception {
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            Jit.passDeadline(env, "JIT_REQUEST", "timeout_at", id);

            eventually(() -> "TIMED_OUT".equals(Http.get(env.userApi() + "/requests/" + id, env.tokenOf("analyst"))
                    .json().get("status").asText()), "request TIMED_OUT");
            assertEquals(409, Jit.approve(env, env.tokenOf("owner"), id).status());
        }

        @Test
        void a_request_past_its_timeout_is_not_decided_before_the_scheduler_marks_it(TestEnvironment env) throws Exception {
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            Jit.passDeadline(env, "JIT_REQUEST", "timeout_at", id);

            assertFalse(Jit.texts(Http.get(env.adminApi() + "/requests?decidable=true&max=500", env.tokenOf("owner")).json(), "/id")
                    .contains(id), "not in the inbox");
            Http.Reply late = Jit.approve(env, env.tokenOf("owner"), id);
            assertEquals(409, late.status(), late.toString());
            assertTrue(late.json().get("message").asText().toLowerCase(java.util.Locale.ROOT).contains("timed"), late.toString());
        }

        @Test
        void scheduled_transitions_are_admin_events_and_user_events_of_the_requester(TestEnvironment env) throws Exception {
            String realm = Jit.stockAdmin(env);
            String master = env.masterAdminToken();
            assertEquals(204, Http.put(realm, master, Map.of("eventsEnabled", true, "adminEventsEnabled", true)).status());
            JsonNode approved = approvedEmail(env);
            String grantId = approved.at("/grant/id").asText();
            String pending = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            Jit.passDeadline(env, "JIT_GRANT", "expires_at", grantId);
            Jit.passDeadline(env, "JIT_REQUEST", "timeout_at", pending);

            eventually(() -> adminEventActions(env, "jit-columns/grants/" + grantId).contains("GRANT_EXPIRED")
                    && adminEventActions(env, "jit-columns/requests/" + pending).contains("REQUEST_TIMED_OUT"), "admin events");
            String analystId = approved.at("/requester/id").asText();
            List<String> userEvents = Jit.texts(Http.get(realm + "/events?type=CUSTOM_REQUIRED_ACTION&user=" + analystId + "&max=500",
                    master).json(), "/details/jit_action");
            assertTrue(userEvents.contains("GRANT_EXPIRED") && userEvents.contains("REQUEST_TIMED_OUT"), userEvents.toString());
        }

        private List<String> adminEventActions(TestEnvironment env, String path) {
            JsonNode events = Http.get(Jit.stockAdmin(env) + "/admin-events?resourceTypes=CUSTOM&operationTypes=ACTION&max=500"
                    + "&resourcePath=" + path, env.masterAdminToken()).json();
            List<String> actions = new ArrayList<>();
            events.forEach(e -> {
                assertTrue(e.at("/authDetails/userId").isMissingNode() || e.at("/authDetails/userId").isNull(),
                        "no user acted: " + e);
                actions.add(e.at("/details/action").asText());
            });
            return actions;
        }

        @Test
        void a_request_waiting_too_long_is_escalated_once(TestEnvironment env) throws Exception {
            String id = Jit.created(env, "analyst", Jit.ssnRequest()).get("id").asText();
            Jit.passDeadline(env, "JIT_REQUEST", "escalate_at", id);

            eventually(() -> {
                long n = 0;
                for (JsonNode e : Http.get(env.adminApi() + "/audit", env.tokenOf("admin")).json()) {
                    n += e.get("action").asText().equals("REQUEST_ESCALATED") && e.path("requestId").asText().equals(id) ? 1 : 0;
                }
                return n == 1;
            }, "escalation audited");
            assertEquals("PENDING", Http.get(env.userApi() + "/requests/" + id, env.tokenOf("analyst")).json().get("status").asText());
        }
    }
}
