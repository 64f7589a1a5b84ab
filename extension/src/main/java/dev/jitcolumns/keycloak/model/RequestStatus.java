package dev.jitcolumns.keycloak.model;

/** {@code PENDING -> APPROVED -> EXPIRED | REVOKED}; {@code PENDING -> DENIED | CANCELLED | TIMED_OUT}. */
public enum RequestStatus {
    PENDING, APPROVED, EXPIRED, REVOKED, DENIED, CANCELLED, TIMED_OUT;

    public boolean isFinal() {
        return this != PENDING && this != APPROVED;
    }
}
