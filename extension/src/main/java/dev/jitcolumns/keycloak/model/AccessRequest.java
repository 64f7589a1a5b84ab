package dev.jitcolumns.keycloak.model;

import java.time.Instant;
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

    /** The stage being decided, or null when the request is no longer pending. */
    public Stage pendingStage() {
        return status == RequestStatus.PENDING && currentStage < stages.size() ? stages.get(currentStage) : null;
    }
}
