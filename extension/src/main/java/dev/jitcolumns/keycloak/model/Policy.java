package dev.jitcolumns.keycloak.model;

import java.util.List;

/**
 * An approval policy. {@code breakGlassMaxMinutes == 0} means no break glass; 0 timeouts mean "never". The escalation
 * group is held like a stage's group: by id ({@code escalationGroupId}, empty once removed), with its path to read.
 */
public record Policy(String id, String name, List<Stage> stages, int maxDurationMinutes, int defaultDurationMinutes,
                     int pendingTimeoutMinutes, int escalateAfterMinutes, String escalationGroup, String escalationGroupId,
                     int reasonMinLength, String ticketPattern, int breakGlassMaxMinutes) {

    public Policy {
        stages = List.copyOf(stages);
    }

    /** Who is told when a request waits too long, as a one-person stage; null without an escalation group. */
    public Stage escalation() {
        return escalationGroup == null ? null : new Stage("escalation", escalationGroup, null, escalationGroupId, 1);
    }

    Policy withApprovers(List<Stage> newStages, String newEscalationGroup, String newEscalationGroupId) {
        return new Policy(id, name, newStages, maxDurationMinutes, defaultDurationMinutes, pendingTimeoutMinutes,
                escalateAfterMinutes, newEscalationGroup, newEscalationGroupId, reasonMinLength, ticketPattern,
                breakGlassMaxMinutes);
    }
}
