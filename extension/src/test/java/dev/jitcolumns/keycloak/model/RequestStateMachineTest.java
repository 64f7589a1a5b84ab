package dev.jitcolumns.keycloak.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestStateMachineTest {

    static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    static final Stage OWNERS = new Stage("data-owner", "/data-owners", null, "id-data-owners", 1);
    static final Stage SECURITY = new Stage("security", "/security-officers", null, "id-security-officers", 1);
    static final Policy STANDARD = new Policy("standard", "Standard", List.of(OWNERS, SECURITY), 480, 60, 1440, 240,
            "/data-governance", "id-data-governance", 10, "[A-Z]+-[0-9]+", 0);
    static final Policy PERSONAL = new Policy("personal-data", "Personal", List.of(new Stage("owners", "/data-owners", null, "id-data-owners", 2)),
            240, 60, 0, 0, null, null, 5, null, 30);

    static AccessRequest pending(List<Stage> stages, int current, List<DecisionRecord> decisions) {
        return new AccessRequest("r1", RequestStatus.PENDING, "analytics", List.of("public.customers.ssn"), "reason long enough",
                "INC-1", 60, false, "analyst", "analyst", current, stages, decisions, NOW, null, null, null,
                NOW.plus(Duration.ofDays(1)), null, false);
    }

    static AccessRequest with(AccessRequest r, RequestStatus status) {
        return new AccessRequest(r.id(), status, r.datasource(), r.columns(), r.reason(), r.ticket(), r.durationMinutes(),
                r.breakGlass(), r.requesterId(), r.requesterUsername(), r.currentStage(), r.stages(), r.decisions(),
                r.createdAt(), r.decidedAt(), r.extendsGrantId(), r.grant(), r.timeoutAt(), r.escalateAt(), r.escalated());
    }

    @Nested
    class Decide {

        @Test
        void approving_the_last_stage_approves_and_grants() {
            AccessRequest r = pending(List.of(OWNERS, SECURITY), 0, List.of());
            var first = RequestStateMachine.decide(r, "owner", "owner", true, Decision.APPROVED, null, NOW);
            assertEquals(RequestStatus.PENDING, first.status());
            assertEquals(1, first.currentStage());
            assertFalse(first.grantNow());

            var second = RequestStateMachine.decide(pending(List.of(OWNERS, SECURITY), 1, List.of(first.decision())),
                    "security", "security", true, Decision.APPROVED, "fine", NOW);
            assertEquals(RequestStatus.APPROVED, second.status());
            assertTrue(second.grantNow());
        }

        @Test
        void min_approvals_wait_for_enough_distinct_approvers() {
            Stage two = new Stage("two", "/g", null, "id-g", 2);
            var first = RequestStateMachine.decide(pending(List.of(two), 0, List.of()), "a", "a", true, Decision.APPROVED, null, NOW);
            assertEquals(RequestStatus.PENDING, first.status());
            assertEquals(0, first.currentStage());
            var second = RequestStateMachine.decide(pending(List.of(two), 0, List.of(first.decision())), "b", "b", true, Decision.APPROVED, null, NOW);
            assertEquals(RequestStatus.APPROVED, second.status());
        }

        @Test
        void a_denial_ends_the_request_and_needs_a_comment() {
            AccessRequest r = pending(List.of(OWNERS, SECURITY), 0, List.of());
            DomainException noComment = assertThrows(DomainException.class,
                    () -> RequestStateMachine.decide(r, "owner", "owner", true, Decision.DENIED, " ", NOW));
            assertEquals("comment", noComment.field());
            assertEquals(RequestStatus.DENIED, RequestStateMachine.decide(r, "owner", "owner", true, Decision.DENIED, "no", NOW).status());
        }

        @Test
        void self_approval_is_forbidden_even_for_an_eligible_approver() {
            DomainException e = assertThrows(DomainException.class, () -> RequestStateMachine.decide(
                    pending(List.of(OWNERS), 0, List.of()), "analyst", "analyst", true, Decision.APPROVED, null, NOW));
            assertEquals(DomainException.Kind.FORBIDDEN, e.kind());
        }

        @Test
        void one_person_decides_at_most_one_stage() {
            DecisionRecord d = new DecisionRecord(0, "data-owner", "both", "both", Decision.APPROVED, null, NOW);
            DomainException e = assertThrows(DomainException.class, () -> RequestStateMachine.decide(
                    pending(List.of(OWNERS, SECURITY), 1, List.of(d)), "both", "both", true, Decision.APPROVED, null, NOW));
            assertEquals(DomainException.Kind.FORBIDDEN, e.kind());
        }

        @Test
        void a_non_approver_is_forbidden() {
            DomainException e = assertThrows(DomainException.class, () -> RequestStateMachine.decide(
                    pending(List.of(OWNERS), 0, List.of()), "x", "x", false, Decision.APPROVED, null, NOW));
            assertEquals(DomainException.Kind.FORBIDDEN, e.kind());
        }

        @ParameterizedTest
        @MethodSource("dev.jitcolumns.keycloak.model.RequestStateMachineTest#notPending")
        void only_pending_requests_are_decided_or_cancelled(RequestStatus status) {
            AccessRequest r = with(pending(List.of(OWNERS), 0, List.of()), status);
            assertEquals(DomainException.Kind.CONFLICT, assertThrows(DomainException.class,
                    () -> RequestStateMachine.decide(r, "owner", "owner", true, Decision.APPROVED, null, NOW)).kind());
            assertEquals(DomainException.Kind.CONFLICT, assertThrows(DomainException.class,
                    () -> RequestStateMachine.cancel(r, "analyst")).kind());
        }
    }

    static Stream<RequestStatus> notPending() {
        return Stream.of(RequestStatus.values()).filter(s -> s != RequestStatus.PENDING);
    }

    @Nested
    class Lifecycle {

        @Test
        void cancel_by_the_requester_only() {
            AccessRequest r = pending(List.of(OWNERS), 0, List.of());
            assertEquals(RequestStatus.CANCELLED, RequestStateMachine.cancel(r, "analyst"));
            assertEquals(DomainException.Kind.NOT_FOUND, assertThrows(DomainException.class, () -> RequestStateMachine.cancel(r, "owner")).kind());
        }

        @Test
        void a_request_past_its_timeout_is_not_decided_even_before_the_scheduler_marks_it() {
            AccessRequest r = pending(List.of(OWNERS), 0, List.of());
            Instant deadline = r.timeoutAt();
            assertEquals(RequestStatus.APPROVED,
                    RequestStateMachine.decide(r, "owner", "owner", true, Decision.APPROVED, null, deadline.minusMillis(1)).status());
            for (Decision d : Decision.values()) {
                var e = assertThrows(DomainException.class,
                        () -> RequestStateMachine.decide(r, "owner", "owner", true, d, "late", deadline));
                assertEquals(DomainException.Kind.CONFLICT, e.kind());
                assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            }
        }

        @Test
        void timeout_only_after_the_deadline() {
            AccessRequest r = pending(List.of(OWNERS), 0, List.of());
            assertThrows(DomainException.class, () -> RequestStateMachine.timeOut(r, NOW));
            assertEquals(RequestStatus.TIMED_OUT, RequestStateMachine.timeOut(r, NOW.plus(Duration.ofDays(2))));
        }

        @Test
        void a_grant_expires_at_its_end_and_is_active_only_before() {
            Grant g = new Grant("g", "r1", "analyst", "analyst", "analytics", List.of("a.b.c"), NOW,
                    RequestStateMachine.expiresAt(NOW, 60), null, null, null, false, false);
            assertTrue(g.isActive(NOW.plusSeconds(3599)));
            assertFalse(g.isActive(NOW.plusSeconds(3600)));
            AccessRequest approved = with(pending(List.of(OWNERS), 1, List.of()), RequestStatus.APPROVED);
            assertThrows(DomainException.class, () -> RequestStateMachine.expire(approved, g, NOW));
            assertEquals(RequestStatus.EXPIRED, RequestStateMachine.expire(approved, g, NOW.plusSeconds(3600)));
        }

        @Test
        void revocation_needs_an_active_grant_and_a_reason() {
            Grant g = new Grant("g", "r1", "analyst", "analyst", "analytics", List.of("a.b.c"), NOW,
                    NOW.plusSeconds(60), null, null, null, false, false);
            assertEquals("reason", assertThrows(DomainException.class, () -> RequestStateMachine.revoke(g, "", NOW)).field());
            assertEquals(RequestStatus.REVOKED, RequestStateMachine.revoke(g, "done", NOW));
            assertEquals(DomainException.Kind.CONFLICT, assertThrows(DomainException.class,
                    () -> RequestStateMachine.revoke(g, "late", NOW.plusSeconds(61))).kind());
        }

        @Test
        void an_extension_continues_from_the_current_end_without_a_gap() {
            Grant g = new Grant("g", "r1", "analyst", "analyst", "analytics", List.of("a.b.c"), NOW,
                    NOW.plusSeconds(600), null, null, null, false, false);
            assertEquals(NOW.plusSeconds(600).plus(Duration.ofMinutes(30)), RequestStateMachine.extendedExpiry(g, 30, NOW.plusSeconds(60)));
        }

        @Test
        void break_glass_starts_approved() {
            assertEquals(RequestStatus.APPROVED, RequestStateMachine.initialStatus(true));
            assertEquals(RequestStatus.PENDING, RequestStateMachine.initialStatus(false));
        }
    }

    @Nested
    class StrictestUnion {

        @Test
        void every_stage_of_each_policy_with_merged_duplicates_and_strictest_limits() {
            var rules = RequestStateMachine.merge(List.of(STANDARD, PERSONAL));
            assertEquals(List.of("owners", "data-owner", "security").size(), rules.stages().size() + 1,
                    "the /data-owners stages merge into one");
            assertEquals(2, rules.stages().get(0).minApprovals(), "the higher minApprovals wins");
            assertEquals(240, rules.maxDurationMinutes());
            assertEquals(10, rules.reasonMinLength());
            assertEquals(List.of("[A-Z]+-[0-9]+"), rules.ticketPatterns());
            assertEquals(0, rules.breakGlassMaxMinutes(), "break glass only where every policy allows it");
            assertEquals(1440, rules.pendingTimeoutMinutes());
            assertEquals("id-data-governance", rules.escalation().approverId());
        }
    }

    @Nested
    class StagesOfOnePolicy {

        static final Policy TWO_OWNER_STAGES = new Policy("four-eyes", "Four eyes", List.of(
                new Stage("first owner", "/data-owners", null, "id-data-owners", 1), new Stage("second owner", "/data-owners", null, "id-data-owners", 1)),
                60, 30, 0, 0, null, null, 5, null, 0);

        @Test
        void two_stages_of_one_group_stay_two_stages_and_need_two_people() {
            var rules = RequestStateMachine.merge(List.of(TWO_OWNER_STAGES));
            assertEquals(List.of("first owner", "second owner"), rules.stages().stream().map(Stage::name).toList());

            AccessRequest r = pending(rules.stages(), 0, List.of());
            var first = RequestStateMachine.decide(r, "owner", "owner", true, Decision.APPROVED, null, NOW);
            assertEquals(RequestStatus.PENDING, first.status());
            AccessRequest afterFirst = pending(rules.stages(), first.currentStage(), List.of(first.decision()));
            assertEquals(DomainException.Kind.FORBIDDEN, assertThrows(DomainException.class,
                    () -> RequestStateMachine.decide(afterFirst, "owner", "owner", true, Decision.APPROVED, null, NOW)).kind());
            assertEquals(RequestStatus.APPROVED,
                    RequestStateMachine.decide(afterFirst, "owner2", "owner2", true, Decision.APPROVED, null, NOW).status());
        }

        @Test
        void another_policy_with_the_same_group_merges_into_one_of_them_only() {
            var rules = RequestStateMachine.merge(List.of(TWO_OWNER_STAGES, PERSONAL));
            assertEquals(2, rules.stages().size(), "PERSONAL's /data-owners stage joins one of the two, not both");
            assertEquals(List.of(2, 1), rules.stages().stream().map(Stage::minApprovals).toList());
        }
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(0, "a long enough reason", "INC-1", false, "durationMinutes"),
                Arguments.of(481, "a long enough reason", "INC-1", false, "durationMinutes"),
                Arguments.of(60, "short", "INC-1", false, "reason"),
                Arguments.of(60, "a long enough reason", "inc 1", false, "ticket"),
                Arguments.of(60, "a long enough reason", null, false, "ticket"),
                Arguments.of(10, "a long enough reason", "INC-1", true, "breakGlass"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void new_requests_are_validated_against_the_policy(int duration, String reason, String ticket, boolean breakGlass, String field) {
        var rules = RequestStateMachine.merge(List.of(STANDARD));
        DomainException e = assertThrows(DomainException.class, () -> RequestStateMachine.validateNew(rules, duration, reason, ticket, breakGlass));
        assertEquals(DomainException.Kind.INVALID, e.kind());
        assertEquals(field, e.field());
    }

    @Test
    void break_glass_is_bounded_by_its_own_maximum() {
        var rules = RequestStateMachine.merge(List.of(PERSONAL));
        RequestStateMachine.validateNew(rules, 30, "incident", null, true);
        assertEquals("durationMinutes", assertThrows(DomainException.class,
                () -> RequestStateMachine.validateNew(rules, 31, "incident", null, true)).field());
        new ArrayList<>();
    }
}
