package dev.jitcolumns.keycloak.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A request for columns of one datasource. {@code stages} is frozen at creation (the strictest union of the
 * policies of the columns); {@code currentStage} indexes it while PENDING.
 */
public record AccessRequest(String id, RequestStatus status, String datasource, List<String> columns, String reason,
                            String ticket, int durationMinutes, boolean breakGlass, String requesterId,
                            String requesterUsername, int currentStage, List<Stage> stages,
                            List<DecisionRecord> decisions, Instant createdAt, Instant decidedAt,
                            String extendsGrantId, Grant grant, Instant timeoutAt, Instant escalateAt,
                            boolean escalated) {

    public AccessRequest {
        columns = List.copyOf(columns);
        stages = List.copyOf(stages);
        decisions = List.copyOf(decisions);
    }

    /** This request with its decisions and grant, read apart from its row. */
    public AccessRequest withDetails(List<DecisionRecord> allDecisions, Grant itsGrant) {
        return new AccessRequest(id, status, datasource, columns, reason, ticket, durationMinutes, breakGlass, requesterId,
                requesterUsername, currentStage, stages, allDecisions, createdAt, decidedAt, extendsGrantId, itsGrant,
                timeoutAt, escalateAt, escalated);
    }

    /** This request after a decision (and the grant it created or extended, if any), as the store now holds it. */
    public AccessRequest decided(RequestStateMachine.Step step, Instant at, Grant newGrant) {
        List<DecisionRecord> all = new ArrayList<>(decisions);
        all.add(step.decision());
        return new AccessRequest(id, step.status(), datasource, columns, reason, ticket, durationMinutes, breakGlass,
                requesterId, requesterUsername, step.currentStage(), stages, all, createdAt,
                step.status() == RequestStatus.PENDING ? decidedAt : at, extendsGrantId, newGrant == null ? grant : newGrant,
                timeoutAt, escalateAt, escalated);
    }

    /** The stage being decided, or null when the request is no longer pending. */
    public Stage pendingStage() {
        return status == RequestStatus.PENDING && currentStage < stages.size() ? stages.get(currentStage) : null;
    }
}
