package dev.jitcolumns.keycloak.model.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upgrade step from group paths and role names to ids, on a real PostgreSQL, over rows as the previous version wrote them. */
class ApproverIdsBackfillTest {

    private static final String OWNERS_THEN_EU = "[{\"name\":\"owner\",\"approverGroup\":\"/data-owners\",\"approverRole\":null,\"minApprovals\":1},"
            + "{\"name\":\"eu\",\"approverGroup\":\"/regions/eu\",\"approverRole\":null,\"minApprovals\":2}]";
    private static final String GONE_AND_ROLE = "[{\"name\":\"gone\",\"approverGroup\":\"/removed-long-ago\",\"approverRole\":null,\"minApprovals\":1},"
            + "{\"name\":\"dba\",\"approverGroup\":null,\"approverRole\":\"dba\",\"minApprovals\":1}]";

    /**
     * In realm-b, whose only role "dba" is a client's: a group whose name holds a slash, written escaped and not (as
     * Keycloak was set), and a path two groups share unescaped.
     */
    private static final String SLASHED_AND_CLIENT_ROLE = "[" + group("escaped", "/ops~/eu") + "," + group("plain", "/ops/eu") + ","
            + group("ambiguous", "/x/y") + ",{\"name\":\"dba\",\"approverGroup\":null,\"approverRole\":\"dba\",\"minApprovals\":1}]";

    private static String group(String stage, String path) {
        return "{\"name\":\"" + stage + "\",\"approverGroup\":\"" + path + "\",\"approverRole\":null,\"minApprovals\":1}";
    }

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create table KEYCLOAK_GROUP (ID varchar(36) primary key, NAME varchar(255), PARENT_GROUP varchar(36),"
                    + " REALM_ID varchar(36), TYPE int default 0)");
            s.execute("create table KEYCLOAK_ROLE (ID varchar(36) primary key, NAME varchar(255), REALM_ID varchar(36), CLIENT_ROLE boolean)");
            s.execute("insert into KEYCLOAK_ROLE values ('r-dba', 'dba', 'realm-a', false), ('c-dba', 'dba', 'realm-b', true)");
            s.execute("create table JIT_POLICY (INTERNAL_ID varchar(36) primary key, REALM_ID varchar(36), STAGES varchar(8192),"
                    + " ESCALATION_GROUP varchar(255), ESCALATION_GROUP_ID varchar(36))");
            s.execute("create table JIT_REQUEST (ID varchar(36) primary key, REALM_ID varchar(36), STAGES varchar(8192),"
                    + " STATUS varchar(16), CURRENT_STAGE int, CURRENT_APPROVER varchar(255))");
            s.execute("create table JIT_REQUEST_APPROVER (REQUEST_ID varchar(36) not null references JIT_REQUEST,"
                    + " APPROVER_KEY varchar(255) not null, primary key (REQUEST_ID, APPROVER_KEY))");
            // Keycloak marks a top-level group's parent with a space; realm-b has a group of the same path as realm-a's.
            s.execute("insert into KEYCLOAK_GROUP values ('g-owners', 'data-owners', ' ', 'realm-a'), ('g-regions', 'regions', ' ', 'realm-a'),"
                    + " ('g-eu', 'eu', 'g-regions', 'realm-a'), ('g-governance', 'governance', ' ', 'realm-a'),"
                    + " ('b-owners', 'data-owners', ' ', 'realm-b'), ('b-ops', 'ops/eu', ' ', 'realm-b'),"
                    + " ('b-x', 'x', ' ', 'realm-b'), ('b-x-y', 'y', 'b-x', 'realm-b'), ('b-xy', 'x/y', ' ', 'realm-b')");
            // an organisation's group: its path is the organisation's own, never a stage's
            s.execute("insert into KEYCLOAK_GROUP values ('org-governance', 'governance', ' ', 'realm-a', 1)");
            s.execute("insert into JIT_POLICY values ('p1', 'realm-a', '" + OWNERS_THEN_EU + "', '/governance', null),"
                    + " ('p2', 'realm-a', '" + GONE_AND_ROLE + "', '/removed-long-ago', null), ('p3', 'realm-b', '" + OWNERS_THEN_EU + "', null, null),"
                    + " ('p4', 'realm-b', '" + SLASHED_AND_CLIENT_ROLE + "', null, null)");
            s.execute("insert into JIT_REQUEST values ('r-pending', 'realm-a', '" + OWNERS_THEN_EU + "', 'PENDING', 1, 'group:/regions/eu'),"
                    + " ('r-approved', 'realm-a', '" + OWNERS_THEN_EU + "', 'APPROVED', 2, null),"
                    + " ('r-gone', 'realm-a', '" + GONE_AND_ROLE + "', 'PENDING', 0, 'group:/removed-long-ago')");
            s.execute("insert into JIT_REQUEST_APPROVER values ('r-pending', 'group:/data-owners'), ('r-pending', 'group:/regions/eu'),"
                    + " ('r-approved', 'group:/data-owners'), ('r-approved', 'group:/regions/eu'),"
                    + " ('r-gone', 'group:/removed-long-ago'), ('r-gone', 'role:dba')");
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
    void paths_and_names_become_the_ids_of_the_same_realm_and_one_of_nothing_decides_nothing() throws Exception {
        try (Connection c = connect()) {
            new ApproverIdsBackfill().run(c, name -> name);
            new ApproverIdsBackfill().run(c, name -> name); // the changelog step may meet rows it already changed

            assertEquals(List.of(
                    "p1 [owner /data-owners g-owners, eu /regions/eu g-eu] /governance g-governance",
                    "p2 [gone /removed-long-ago , dba role:dba r-dba] /removed-long-ago ",
                    "p3 [owner /data-owners b-owners, eu /regions/eu ] null null",
                    "p4 [escaped /ops~/eu b-ops, plain /ops/eu b-ops, ambiguous /x/y , dba role:dba ] null null"),
                    rows(c, "select INTERNAL_ID, STAGES, ESCALATION_GROUP, ESCALATION_GROUP_ID from JIT_POLICY order by 1"));
            assertEquals(List.of("r-approved null", "r-gone group:", "r-pending group:g-eu"),
                    rows(c, "select ID, CURRENT_APPROVER from JIT_REQUEST order by 1"));
            assertEquals(List.of("r-approved group:g-eu", "r-approved group:g-owners", "r-gone group:", "r-gone role:r-dba",
                    "r-pending group:g-eu", "r-pending group:g-owners"),
                    rows(c, "select REQUEST_ID, APPROVER_KEY from JIT_REQUEST_APPROVER order by 1, 2"));
        }
    }

    /** Each row as its columns joined by spaces; stages as {@code [name path id, ...]}. */
    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String v = rs.getString(i);
                    columns.add(v != null && v.startsWith("[") ? stages(v) : String.valueOf(v));
                }
                rows.add(String.join(" ", columns));
            }
        }
        return rows;
    }

    private static String stages(String json) {
        return StagesJson.read(json).stream().map(s -> s.name() + " "
                + (s.byGroup() ? s.approverGroup() : "role:" + s.approverRole()) + " " + s.approverId()).toList().toString();
    }
}
