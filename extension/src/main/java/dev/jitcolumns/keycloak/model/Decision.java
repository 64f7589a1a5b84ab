package dev.jitcolumns.keycloak.model;

public enum Decision {
    APPROVED, DENIED
}
