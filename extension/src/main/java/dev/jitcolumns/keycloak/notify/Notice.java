package dev.jitcolumns.keycloak.notify;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.DecisionRecord;
import dev.jitcolumns.keycloak.model.Grant;
import dev.jitcolumns.keycloak.model.Stage;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What happened and who is told: pure, so the rules are unit-tested without a server. {@code request} is null for a
 * revocation (a grant may serve several requests); {@code grant} is null while a request is pending.
 */
public record Notice(Mail mail, Audience audience, AccessRequest request, Grant grant) {

    /** A new request or extension request goes to its first stage; a break glass to the approvers of every stage. */
    public static Optional<Notice> requestCreated(AccessRequest created) {
        if (created.breakGlass()) {
            return Optional.of(new Notice(Mail.BREAK_GLASS,
                    Audience.approversOf(created.stages(), Set.of(created.requesterId())), created, created.grant()));
        }
        return toDecide(created);
    }

    /**
     * After a decision: the next stage's approvers when the request moved on, the requester when it is approved or
     * denied. A stage that still needs approvals tells nobody again: its approvers were told when it started.
     */
    public static Optional<Notice> decided(AccessRequest before, AccessRequest after) {
        return switch (after.status()) {
            case PENDING -> after.currentStage() != before.currentStage() ? toDecide(after) : Optional.empty();
            case APPROVED -> Optional.of(new Notice(Mail.APPROVED, Audience.user(after.requesterId()), after, after.grant()));
            case DENIED -> Optional.of(new Notice(Mail.DENIED, Audience.user(after.requesterId()), after, after.grant()));
            default -> Optional.empty();
        };
    }

    /** The policy's escalation group, if it has one; the requester is never told about their own request. */
    public static Optional<Notice> escalated(AccessRequest request, Stage escalation) {
        if (escalation == null) {
            return Optional.empty();
        }
        return Optional.of(new Notice(Mail.ESCALATED, Audience.approversOf(List.of(escalation), Set.of(request.requesterId())),
                request, null));
    }

    /** The grant holder, unless they ended it themselves. */
    public static Optional<Notice> revoked(Grant revoked, String revokedById) {
        return revoked.userId().equals(revokedById) ? Optional.empty()
                : Optional.of(new Notice(Mail.REVOKED, Audience.user(revoked.userId()), null, revoked));
    }

    /** The last decision, the one that denied a request; null before any. */
    public DecisionRecord lastDecision() {
        return request == null || request.decisions().isEmpty() ? null
                : request.decisions().get(request.decisions().size() - 1);
    }

    /**
     * The approvers of the stage now waiting, without the requester (nobody approves their own request) and without
     * those who decided an earlier stage (one person approves at most one stage of a request).
     */
    private static Optional<Notice> toDecide(AccessRequest request) {
        Stage stage = request.pendingStage();
        if (stage == null) {
            return Optional.empty();
        }
        Set<String> excluded = new HashSet<>();
        excluded.add(request.requesterId());
        request.decisions().forEach(d -> excluded.add(d.approverId()));
        return Optional.of(new Notice(Mail.TO_DECIDE, Audience.approversOf(List.of(stage), excluded), request, null));
    }
}
