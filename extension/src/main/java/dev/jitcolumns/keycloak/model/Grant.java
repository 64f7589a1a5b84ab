package dev.jitcolumns.keycloak.model;

import java.time.Instant;
import java.util.List;

/** Access to columns of one datasource for one user, from {@code startsAt} to {@code expiresAt}. */
public record Grant(String id, String requestId, String userId, String username, String datasource,
                    List<String> columns, Instant startsAt, Instant expiresAt, Instant revokedAt, String revokedBy,
                    String revokeReason, boolean breakGlass, boolean reviewRequired) {

    public Grant {
        columns = List.copyOf(columns);
    }

    /** Active = started, not expired, not revoked; computed at query time, so expiry needs no scheduler. */
    public boolean isActive(Instant now) {
        return revokedAt == null && !now.isBefore(startsAt) && now.isBefore(expiresAt);
    }
}
