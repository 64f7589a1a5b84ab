package dev.jitcolumns.keycloak.model.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upgrade step that moves webhooks out of the realm attributes, on a real PostgreSQL. */
class WebhookSettingsMoveTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("create table REALM_ATTRIBUTE (NAME varchar(255) not null, REALM_ID varchar(36) not null,"
                    + " VALUE text, primary key (NAME, REALM_ID))");
            c.createStatement().execute("create table JIT_WEBHOOK (REALM_ID varchar(36) primary key, URL varchar(2048) not null,"
                    + " SECRET varchar(1024) not null)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void realms_with_both_attributes_get_a_row_and_no_realm_keeps_either_attribute() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("insert into REALM_ATTRIBUTE values"
                    + " ('jit-columns.webhook.url', 'acme', 'https://hooks.example/acme'),"
                    + " ('jit-columns.webhook.secret', 'acme', 'acme secret of 16+ chars'),"
                    + " ('jit-columns.webhook.url', 'half', 'https://hooks.example/half'),"
                    + " ('jit-columns.catalog-version', 'acme', '7'),"
                    + " ('displayName', 'half', 'Half')");

            assertEquals(1, WebhookSettingsMove.move(c, "REALM_ATTRIBUTE", "JIT_WEBHOOK"));
            assertEquals(0, WebhookSettingsMove.move(c, "REALM_ATTRIBUTE", "JIT_WEBHOOK"), "a second run moves nothing");

            assertEquals(List.of("acme https://hooks.example/acme acme secret of 16+ chars"),
                    rows(c, "select REALM_ID || ' ' || URL || ' ' || SECRET from JIT_WEBHOOK"));
            assertEquals(List.of("displayName half", "jit-columns.catalog-version acme"),
                    rows(c, "select NAME || ' ' || REALM_ID from REALM_ATTRIBUTE order by NAME"));
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
