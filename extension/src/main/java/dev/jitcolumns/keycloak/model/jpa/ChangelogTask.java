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
 * A changelog step in Java, on the changeset's connection and inside its transaction, with table names in Keycloak's
 * schema ({@code db-schema}).
 */
abstract class ChangelogTask implements CustomTaskChange {

    /** Table names as {@link #table} gives them. */
    @FunctionalInterface
    interface Tables {
        String table(String name);
    }

    private int rows;

    /** Does the step; answers the rows it changed, for the confirmation message. */
    abstract int run(Connection connection, Tables tables) throws SQLException;

    /** What the step did, given the rows it changed. */
    abstract String done(int rows);

    @Override
    public final void execute(Database database) throws CustomChangeException {
        Connection connection = ((JdbcConnection) database.getConnection()).getWrappedConnection();
        String schema = database.escapeObjectName(database.getDefaultSchemaName(), Schema.class);
        try {
            rows = run(connection, name -> LiquibaseJpaUpdaterProvider.getTable(name, schema));
        } catch (SQLException e) {
            throw new CustomChangeException("jit-columns: " + getClass().getSimpleName() + " failed", e);
        }
    }

    @Override
    public final String getConfirmationMessage() {
        return "jit-columns: " + done(rows);
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
