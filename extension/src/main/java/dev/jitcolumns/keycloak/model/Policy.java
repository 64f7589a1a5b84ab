package dev.jitcolumns.keycloak.model;

import java.util.List;

/** An approval policy. {@code breakGlassMaxMinutes == 0} means no break glass; 0 timeouts mean "never". */
public record Policy(String id, String name, List<Stage> stages, int maxDurationMinutes, int defaultDurationMinutes,
                     int pendingTimeoutMinutes, int escalateAfterMinutes, String escalationGroup,
                     int reasonMinLength, String ticketPattern, int breakGlassMaxMinutes) {

    public Policy {
        stages = List.copyOf(stages);
    }
}
