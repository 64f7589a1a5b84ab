package dev.jitcolumns.keycloak.model.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.ValidationErrors;
import liquibase.resource.ResourceAccessor;
import liquibase.structure.core.Schema;
import org.keycloak.connections.jpa.updater.liquibase.LiquibaseJpaUpdaterProvider;

/**
 * The changelog's step that fills {@code JIT_REQUEST_APPROVER} for requests created before it existed: their stages
 * are JSON, which no portable SQL reads. Runs inside the changeset's transaction.
 */
public final class RequestApproversBackfill implements CustomTaskChange {

    private int added;

    @Override
    public void execute(Database database) throws CustomChangeException {
        Connection connection = ((JdbcConnection) database.getConnection()).getWrappedConnection();
        String schema = database.escapeObjectName(database.getDefaultSchemaName(), Schema.class);
        try {
            added = RequestRows.fillMissingApprovers(connection, LiquibaseJpaUpdaterProvider.getTable("JIT_REQUEST", schema),
                    LiquibaseJpaUpdaterProvider.getTable("JIT_REQUEST_APPROVER", schema));
        } catch (SQLException e) {
            throw new CustomChangeException("jit-columns: filling JIT_REQUEST_APPROVER failed", e);
        }
    }

    @Override
    public String getConfirmationMessage() {
        return "jit-columns: " + added + " approver rows of existing requests";
    }

    @Override
    public void setUp() {
    }

    @Override
    public void setFileOpener(ResourceAccessor resourceAccessor) {
    }

    @Override
    public ValidationErrors validate(Database database) {
        return null;
    }
}
