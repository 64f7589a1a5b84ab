package dev.jitcolumns.keycloak.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.Decision;
import dev.jitcolumns.keycloak.model.DecisionRecord;
import dev.jitcolumns.keycloak.model.Grant;
import dev.jitcolumns.keycloak.model.RequestStatus;
import dev.jitcolumns.keycloak.model.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Who is told what: the rules that need no server. */
class NoticeTest {

    static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    static final Stage OWNERS = new Stage("data-owner", "/data-owners", null, "id-data-owners", 1);
    static final Stage SECURITY = new Stage("security", "/security-officers", null, "id-security-officers", 1);
    static final Stage TWO_OWNERS = new Stage("data-owner", "/data-owners", null, "id-data-owners", 2);
    static final Grant GRANT = new Grant("g1", "r1", "analyst-id", "analyst", "analytics", List.of("public.customers.ssn"),
            NOW, NOW.plusSeconds(3600), null, null, null, false, false);

    static AccessRequest request(RequestStatus status, List<Stage> stages, int current, List<DecisionRecord> decisions,
                                 boolean breakGlass, Grant grant) {
        return new AccessRequest("r1", status, "analytics", List.of("public.customers.ssn"), "Investigating fraud",
                "INC-1", 60, breakGlass, "analyst-id", "analyst", current, stages, decisions, NOW, null, null, grant,
                null, null, false);
    }

    static AccessRequest pending(List<Stage> stages, int current, List<DecisionRecord> decisions) {
        return request(RequestStatus.PENDING, stages, current, decisions, false, null);
    }

    static DecisionRecord approvedBy(String approverId, int stage) {
        return new DecisionRecord(stage, "s" + stage, approverId, approverId, Decision.APPROVED, "ok", NOW);
    }

    @Nested
    class NewRequest {

        @Test
        void the_first_stage_decides_and_the_requester_is_not_told() {
            Notice n = Notice.requestCreated(pending(List.of(OWNERS, SECURITY), 0, List.of())).orElseThrow();

            assertEquals(Mail.TO_DECIDE, n.mail());
            assertEquals(List.of(OWNERS), n.audience().stages());
            assertEquals(List.of(), n.audience().userIds());
            assertEquals(Set.of("analyst-id"), n.audience().excludedUserIds());
        }

        @Test
        void break_glass_tells_the_approvers_of_every_stage() {
            AccessRequest r = request(RequestStatus.APPROVED, List.of(OWNERS, SECURITY), 0, List.of(), true, GRANT);

            Notice n = Notice.requestCreated(r).orElseThrow();

            assertEquals(Mail.BREAK_GLASS, n.mail());
            assertEquals(List.of(OWNERS, SECURITY), n.audience().stages());
            assertEquals(Set.of("analyst-id"), n.audience().excludedUserIds());
            assertEquals(GRANT, n.grant());
        }
    }

    @Nested
    class Decisions {

        @Test
        void a_stage_approved_tells_the_next_stage_but_not_who_approved_before() {
            AccessRequest before = pending(List.of(OWNERS, SECURITY), 0, List.of());
            AccessRequest after = pending(List.of(OWNERS, SECURITY), 1, List.of(approvedBy("owner-id", 0)));

            Notice n = Notice.decided(before, after).orElseThrow();

            assertEquals(Mail.TO_DECIDE, n.mail());
            assertEquals(List.of(SECURITY), n.audience().stages());
            assertEquals(Set.of("analyst-id", "owner-id"), n.audience().excludedUserIds());
        }

        @Test
        void a_stage_still_short_of_approvals_tells_nobody_again() {
            AccessRequest before = pending(List.of(TWO_OWNERS), 0, List.of());
            AccessRequest after = pending(List.of(TWO_OWNERS), 0, List.of(approvedBy("owner-id", 0)));

            assertTrue(Notice.decided(before, after).isEmpty());
        }

        @Test
        void final_approval_tells_the_requester_with_the_grant() {
            AccessRequest before = pending(List.of(OWNERS), 0, List.of());
            AccessRequest after = request(RequestStatus.APPROVED, List.of(OWNERS), 1, List.of(approvedBy("owner-id", 0)),
                    false, GRANT);

            Notice n = Notice.decided(before, after).orElseThrow();

            assertEquals(Mail.APPROVED, n.mail());
            assertEquals(List.of("analyst-id"), n.audience().userIds());
            assertEquals(List.of(), n.audience().stages());
            assertEquals(GRANT, n.grant());
        }

        @Test
        void a_denial_tells_the_requester_who_denied_and_why() {
            DecisionRecord denial = new DecisionRecord(0, "data-owner", "owner-id", "owner", Decision.DENIED, "Not needed", NOW);
            AccessRequest after = request(RequestStatus.DENIED, List.of(OWNERS), 0, List.of(denial), false, null);

            Notice n = Notice.decided(pending(List.of(OWNERS), 0, List.of()), after).orElseThrow();

            assertEquals(Mail.DENIED, n.mail());
            assertEquals(List.of("analyst-id"), n.audience().userIds());
            assertEquals(denial, n.lastDecision());
        }
    }

    @Nested
    class Escalation {

        @Test
        void the_escalation_group_is_told() {
            Stage governance = new Stage("escalation", "/data-governance", null, "id-data-governance", 1);
            Notice n = Notice.escalated(pending(List.of(OWNERS), 0, List.of()), governance).orElseThrow();

            assertEquals(Mail.ESCALATED, n.mail());
            assertEquals(List.of(governance), n.audience().stages());
            assertEquals(Set.of("analyst-id"), n.audience().excludedUserIds());
        }

        @Test
        void a_policy_without_escalation_group_tells_nobody() {
            assertTrue(Notice.escalated(pending(List.of(OWNERS), 0, List.of()), null).isEmpty());
        }
    }

    @Nested
    class Revocation {

        @Test
        void the_holder_is_told_unless_they_revoked_it_themselves() {
            assertEquals(List.of("analyst-id"), Notice.revoked(GRANT, "owner-id").orElseThrow().audience().userIds());
            assertTrue(Notice.revoked(GRANT, "analyst-id").isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(value = RequestStatus.class, names = {"CANCELLED", "TIMED_OUT", "EXPIRED", "REVOKED"})
    void other_outcomes_of_a_decision_tell_nobody(RequestStatus status) {
        AccessRequest after = request(status, List.of(OWNERS), 0, List.of(), false, null);
        assertTrue(Notice.decided(pending(List.of(OWNERS), 0, List.of()), after).isEmpty());
    }
}
