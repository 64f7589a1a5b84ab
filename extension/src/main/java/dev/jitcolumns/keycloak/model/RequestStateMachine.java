package dev.jitcolumns.keycloak.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Every transition of a request and its grant, checked in one place. Pure: no Keycloak, no database, the
 * clock and the facts about the actor come in as arguments, so each rule is a unit test.
 */
public final class RequestStateMachine {

    private RequestStateMachine() {
    }

    /** The rules that apply to a request spanning columns of several policies: the strictest union. */
    public record Effective(List<Stage> stages, int maxDurationMinutes, int defaultDurationMinutes,
                            int reasonMinLength, List<String> ticketPatterns, int breakGlassMaxMinutes,
                            int pendingTimeoutMinutes, int escalateAfterMinutes, Stage escalation) {}

    /** What a decision does to a request. */
    public record Step(RequestStatus status, int currentStage, DecisionRecord decision, boolean grantNow) {}

    /**
     * Every stage of each policy; stages of different policies with the same approvers are merged (the higher
     * minApprovals wins), while the stages of one policy always stay apart (two stages of one group need two
     * people). Durations take the minimum, the reason the longest minimum, every ticket pattern must match, break
     * glass only where every policy allows it (for the shortest of their durations).
     */
    public static Effective merge(Collection<Policy> policies) {
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("no policy");
        }
        List<Policy> sorted = policies.stream().sorted(Comparator.comparing(Policy::id)).toList();
        List<Stage> stages = new ArrayList<>();
        List<Set<String>> stagePolicies = new ArrayList<>(); // the policies each merged stage stands for
        int max = Integer.MAX_VALUE;
        int def = Integer.MAX_VALUE;
        int reason = 0;
        int breakGlass = Integer.MAX_VALUE;
        int timeout = 0;
        int escalate = 0;
        Stage escalation = null;
        List<String> patterns = new ArrayList<>();
        for (Policy p : sorted) {
            for (Stage s : p.stages()) {
                int same = sameApproversOfAnotherPolicy(stages, stagePolicies, s, p.id());
                if (same < 0) {
                    stages.add(s);
                    stagePolicies.add(new HashSet<>(Set.of(p.id())));
                } else {
                    Stage a = stages.get(same);
                    if (s.minApprovals() > a.minApprovals()) {
                        stages.set(same, a.withMinApprovals(s.minApprovals()));
                    }
                    stagePolicies.get(same).add(p.id());
                }
            }
            max = Math.min(max, p.maxDurationMinutes());
            def = Math.min(def, p.defaultDurationMinutes());
            reason = Math.max(reason, p.reasonMinLength());
            breakGlass = Math.min(breakGlass, p.breakGlassMaxMinutes());
            timeout = minPositive(timeout, p.pendingTimeoutMinutes());
            if (p.escalateAfterMinutes() > 0 && (escalate == 0 || p.escalateAfterMinutes() < escalate)) {
                escalate = p.escalateAfterMinutes();
                escalation = p.escalation();
            }
            if (p.ticketPattern() != null && !p.ticketPattern().isBlank() && !patterns.contains(p.ticketPattern())) {
                patterns.add(p.ticketPattern());
            }
        }
        return new Effective(List.copyOf(stages), max, Math.min(def, max), reason, List.copyOf(patterns),
                Math.max(0, breakGlass), timeout, escalate, escalation);
    }

    /** The first merged stage with the approvers of {@code s} that no stage of {@code policyId} went into, or -1. */
    private static int sameApproversOfAnotherPolicy(List<Stage> stages, List<Set<String>> stagePolicies, Stage s, String policyId) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).approverKey().equals(s.approverKey()) && !stagePolicies.get(i).contains(policyId)) {
                return i;
            }
        }
        return -1;
    }

    private static int minPositive(int a, int b) {
        if (a <= 0) {
            return Math.max(0, b);
        }
        return b <= 0 ? a : Math.min(a, b);
    }

    /** Checks a new request (or an extension) against the effective policy; throws INVALID naming the field. */
    public static void validateNew(Effective rules, int durationMinutes, String reason, String ticket, boolean breakGlass) {
        if (durationMinutes <= 0) {
            throw DomainException.invalid("durationMinutes", "durationMinutes must be greater than 0.");
        }
        if (breakGlass) {
            if (rules.breakGlassMaxMinutes() <= 0) {
                throw DomainException.invalid("breakGlass", "The policy of these columns does not allow break glass.");
            }
            if (durationMinutes > rules.breakGlassMaxMinutes()) {
                throw DomainException.invalid("durationMinutes",
                        "durationMinutes is above the break-glass maximum of " + rules.breakGlassMaxMinutes() + " minutes.");
            }
        }
        if (durationMinutes > rules.maxDurationMinutes()) {
            throw DomainException.invalid("durationMinutes",
                    "durationMinutes is above the policy maximum of " + rules.maxDurationMinutes() + " minutes.");
        }
        String trimmed = reason == null ? "" : reason.strip();
        if (trimmed.isEmpty() || trimmed.length() < rules.reasonMinLength()) {
            throw DomainException.invalid("reason",
                    "reason must have at least " + Math.max(1, rules.reasonMinLength()) + " characters.");
        }
        if (trimmed.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r')) {
            throw DomainException.invalid("reason", "reason must not contain control characters other than line breaks and tabs.");
        }
        for (String pattern : rules.ticketPatterns()) {
            if (ticket == null || !matches(pattern, ticket)) {
                throw DomainException.invalid("ticket", "ticket must match the pattern " + pattern + ".");
            }
        }
        if (!breakGlass) {
            rules.stages().stream().filter(Stage::approverRemoved).findFirst().ifPresent(s -> {
                throw DomainException.conflict("Stage '" + s.name() + "' is decided by "
                        + (s.byGroup() ? s.approverGroup() + ", a group" : s.approverRole() + ", a role")
                        + " that was removed: a manager of the catalog has to name another.");
            });
        }
    }

    private static boolean matches(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(value).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** The initial status: break glass is approved at once (and flagged for review), anything else waits. */
    public static RequestStatus initialStatus(boolean breakGlass) {
        return breakGlass ? RequestStatus.APPROVED : RequestStatus.PENDING;
    }

    /**
     * A decision on the current stage. Checks, in order: the request is pending and its timeout has not passed
     * (else CONFLICT); the actor is
     * not the requester; the actor has decided no stage of it yet; the actor is an approver of the current
     * stage (else FORBIDDEN); a denial has a comment (else INVALID).
     */
    public static Step decide(AccessRequest r, String actorId, String actorUsername, boolean eligibleForCurrentStage,
                              Decision decision, String comment, Instant now) {
        requirePending(r);
        if (r.timeoutAt() != null && !now.isBefore(r.timeoutAt())) {
            // the scheduler has not marked it yet: its deadline, not the scheduler's next run, ends the request
            throw DomainException.conflict("The request timed out at " + r.timeoutAt() + "; it can no longer be decided.");
        }
        if (r.requesterId().equals(actorId)) {
            throw DomainException.forbidden("Nobody decides their own request.");
        }
        if (r.decisions().stream().anyMatch(d -> d.approverId().equals(actorId))) {
            throw DomainException.forbidden("One person decides at most one stage of a request.");
        }
        Stage stage = r.pendingStage();
        if (stage == null) {
            throw DomainException.conflict("The request has no stage left to decide.");
        }
        if (!eligibleForCurrentStage) {
            throw DomainException.forbidden("You are not an approver of the stage '" + stage.name() + "'.");
        }
        String trimmed = comment == null || comment.isBlank() ? null : comment.strip();
        if (decision == Decision.DENIED && trimmed == null) {
            throw DomainException.invalid("comment", "comment is required to deny a request.");
        }
        DecisionRecord record = new DecisionRecord(r.currentStage(), stage.name(), actorId, actorUsername, decision, trimmed, now);
        if (decision == Decision.DENIED) {
            return new Step(RequestStatus.DENIED, r.currentStage(), record, false);
        }
        long approvals = 1 + r.decisions().stream()
                .filter(d -> d.stageIndex() == r.currentStage() && d.decision() == Decision.APPROVED).count();
        if (approvals < stage.minApprovals()) {
            return new Step(RequestStatus.PENDING, r.currentStage(), record, false);
        }
        int next = r.currentStage() + 1;
        return next < r.stages().size()
                ? new Step(RequestStatus.PENDING, next, record, false)
                : new Step(RequestStatus.APPROVED, next, record, true);
    }

    /** Only the requester cancels, only while pending. */
    public static RequestStatus cancel(AccessRequest r, String actorId) {
        if (!r.requesterId().equals(actorId)) {
            throw DomainException.notFound("No such request.");
        }
        requirePending(r);
        return RequestStatus.CANCELLED;
    }

    /** A pending request whose timeout has passed. */
    public static RequestStatus timeOut(AccessRequest r, Instant now) {
        requirePending(r);
        if (r.timeoutAt() == null || now.isBefore(r.timeoutAt())) {
            throw DomainException.conflict("The request has not timed out.");
        }
        return RequestStatus.TIMED_OUT;
    }

    /** The status of an approved request whose grant has ended. */
    public static RequestStatus expire(AccessRequest r, Grant g, Instant now) {
        if (r.status() != RequestStatus.APPROVED || g.revokedAt() != null || now.isBefore(g.expiresAt())) {
            throw DomainException.conflict("The grant is not expired.");
        }
        return RequestStatus.EXPIRED;
    }

    /** Revocation ends an active grant at once. */
    public static RequestStatus revoke(Grant g, String reason, Instant now) {
        if (!g.isActive(now)) {
            throw DomainException.conflict("The grant is not active.");
        }
        if (reason == null || reason.isBlank()) {
            throw DomainException.invalid("reason", "reason is required to revoke a grant.");
        }
        return RequestStatus.REVOKED;
    }

    /** An extension may be asked for while the grant is active, by its holder. */
    public static void checkExtendable(AccessRequest r, Grant g, String actorId, Instant now) {
        if (!r.requesterId().equals(actorId)) {
            throw DomainException.notFound("No such request.");
        }
        if (r.status() != RequestStatus.APPROVED || g == null || !g.isActive(now)) {
            throw DomainException.conflict("Only an approved request with an active grant can be extended.");
        }
    }

    /** A grant starts at final approval and lasts {@code durationMinutes}. */
    public static Instant expiresAt(Instant startsAt, int durationMinutes) {
        return startsAt.plus(Duration.ofMinutes(durationMinutes));
    }

    /**
     * The new end of an extended grant: still active, it moves from its current end (no gap, no overlap);
     * ended meanwhile, a new period starts now.
     */
    public static Instant extendedExpiry(Grant g, int durationMinutes, Instant now) {
        Instant base = g.isActive(now) ? g.expiresAt() : now;
        return expiresAt(base, durationMinutes);
    }

    private static void requirePending(AccessRequest r) {
        if (r.status() != RequestStatus.PENDING) {
            throw DomainException.conflict("The request is " + r.status() + ", not PENDING.");
        }
    }
}
