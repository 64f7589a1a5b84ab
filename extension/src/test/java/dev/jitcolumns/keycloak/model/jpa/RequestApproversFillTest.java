package dev.jitcolumns.keycloak.model.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jitcolumns.keycloak.model.Stage;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upgrade step that gives requests created before JIT_REQUEST_APPROVER their rows, on a real PostgreSQL. */
class RequestApproversFillTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = connect()) {
            c.createStatement().execute("create table JIT_REQUEST (ID varchar(36) primary key, STAGES varchar(8192) not null)");
            c.createStatement().execute("create table JIT_REQUEST_APPROVER (REQUEST_ID varchar(36) not null references JIT_REQUEST,"
                    + " APPROVER_KEY varchar(255) not null, primary key (REQUEST_ID, APPROVER_KEY))");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static Connection connect() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    @Test
    void each_request_gets_one_row_per_distinct_approver_of_its_stages_and_a_second_run_adds_nothing() throws Exception {
        try (Connection c = connect()) {
            insertRequest(c, "two-stages", List.of(new Stage("owner", "/data-owners", null, "id-data-owners", 1),
                    new Stage("security", "/security-officers", null, "id-security-officers", 1)));
            insertRequest(c, "same-group-twice", List.of(new Stage("first", "/data-owners", null, "id-data-owners", 1),
                    new Stage("second", "/data-owners", null, "id-data-owners", 2)));
            insertRequest(c, "by-role", List.of(new Stage("dba", null, "dba", "id-dba", 1)));
            insertRequest(c, "already-filled", List.of(new Stage("owner", "/data-owners", null, "id-data-owners", 1)));
            c.createStatement().execute("insert into JIT_REQUEST_APPROVER values ('already-filled', 'group:id-data-owners')");

            assertEquals(4, RequestRows.fillMissingApprovers(c, "JIT_REQUEST", "JIT_REQUEST_APPROVER"));
            assertEquals(0, RequestRows.fillMissingApprovers(c, "JIT_REQUEST", "JIT_REQUEST_APPROVER"));

            assertEquals(List.of("already-filled group:id-data-owners", "by-role role:id-dba", "same-group-twice group:id-data-owners",
                    "two-stages group:id-data-owners", "two-stages group:id-security-officers"), rows(c));
        }
    }

    private static void insertRequest(Connection c, String id, List<Stage> stages) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into JIT_REQUEST values (?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, StagesJson.write(stages));
            ps.executeUpdate();
        }
    }

    private static List<String> rows(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery(
                "select REQUEST_ID || ' ' || APPROVER_KEY from JIT_REQUEST_APPROVER order by 1")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
