package dev.jitcolumns.keycloak.model.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * The changelog's step that moves webhooks set before {@code JIT_WEBHOOK} existed out of the realm attributes, where
 * anyone who may view the realm read them. Runs inside the changeset's transaction.
 */
public final class WebhookSettingsMove implements CustomTaskChange {

    static final String URL_ATTRIBUTE = "jit-columns.webhook.url";
    static final String SECRET_ATTRIBUTE = "jit-columns.webhook.secret";

    private int moved;

    @Override
    public void execute(Database database) throws CustomChangeException {
        Connection connection = ((JdbcConnection) database.getConnection()).getWrappedConnection();
        String schema = database.escapeObjectName(database.getDefaultSchemaName(), Schema.class);
        try {
            moved = move(connection, LiquibaseJpaUpdaterProvider.getTable("REALM_ATTRIBUTE", schema),
                    LiquibaseJpaUpdaterProvider.getTable("JIT_WEBHOOK", schema));
        } catch (SQLException e) {
            throw new CustomChangeException("jit-columns: moving the webhook settings failed", e);
        }
    }

    /** Realms with both attributes get a row; both attributes go, in every realm (half a webhook never sent anything). */
    static int move(Connection c, String realmAttributes, String webhooks) throws SQLException {
        int rows;
        try (PreparedStatement insert = c.prepareStatement("insert into " + webhooks + " (REALM_ID, URL, SECRET)"
                + " select u.REALM_ID, u.VALUE, s.VALUE from " + realmAttributes + " u join " + realmAttributes + " s"
                + " on s.REALM_ID = u.REALM_ID and s.NAME = ? where u.NAME = ?"
                + " and not exists (select 1 from " + webhooks + " w where w.REALM_ID = u.REALM_ID)")) {
            insert.setString(1, SECRET_ATTRIBUTE);
            insert.setString(2, URL_ATTRIBUTE);
            rows = insert.executeUpdate();
        }
        try (PreparedStatement delete = c.prepareStatement("delete from " + realmAttributes + " where NAME in (?, ?)")) {
            delete.setString(1, URL_ATTRIBUTE);
            delete.setString(2, SECRET_ATTRIBUTE);
            delete.executeUpdate();
        }
        return rows;
    }

    @Override
    public String getConfirmationMessage() {
        return "jit-columns: " + moved + " webhooks moved out of the realm attributes";
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
