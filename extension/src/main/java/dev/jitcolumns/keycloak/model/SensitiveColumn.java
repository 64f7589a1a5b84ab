package dev.jitcolumns.keycloak.model;

/** A requestable column of a datasource; {@link #fqn()} is {@code schema.table.column}. */
public record SensitiveColumn(String id, String datasource, String schema, String table, String column,
                              String label, String description, String policy) {

    public String fqn() {
        return schema + "." + table + "." + column;
    }
}
