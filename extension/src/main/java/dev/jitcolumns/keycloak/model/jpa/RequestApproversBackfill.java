package dev.jitcolumns.keycloak.model.jpa;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The changelog's step that fills {@code JIT_REQUEST_APPROVER} for requests created before it existed: their stages
 * are JSON, which no portable SQL reads.
 */
public final class RequestApproversBackfill extends ChangelogTask {

    @Override
    int run(Connection connection, Tables tables) throws SQLException {
        return RequestRows.fillMissingApprovers(connection, tables.table("JIT_REQUEST"), tables.table("JIT_REQUEST_APPROVER"));
    }

    @Override
    String done(int rows) {
        return rows + " approver rows of existing requests";
    }
}
