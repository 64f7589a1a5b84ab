package dev.jitcolumns.keycloak.model.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The changelog's step that moves webhooks set before {@code JIT_WEBHOOK} existed out of the realm attributes, where
 * anyone who may view the realm read them.
 */
public final class WebhookSettingsMove extends ChangelogTask {

    static final String URL_ATTRIBUTE = "jit-columns.webhook.url";
    static final String SECRET_ATTRIBUTE = "jit-columns.webhook.secret";

    @Override
    int run(Connection connection, Tables tables) throws SQLException {
        return move(connection, tables.table("REALM_ATTRIBUTE"), tables.table("JIT_WEBHOOK"));
    }

    @Override
    String done(int rows) {
        return rows + " webhooks moved out of the realm attributes";
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
}
