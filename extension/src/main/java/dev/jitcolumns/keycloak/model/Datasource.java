package dev.jitcolumns.keycloak.model;

/** A protected database. Its id is the audience of the tokens issued for it and the key of the claim. */
public record Datasource(String id, String name, String description) {}
