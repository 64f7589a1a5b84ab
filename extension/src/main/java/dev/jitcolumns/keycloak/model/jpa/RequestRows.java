package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.RequestStatus;
import dev.jitcolumns.keycloak.model.Stage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL of {@code JIT_REQUEST}: one request read (or locked) and the insert (the inbox page is {@link InboxQuery}). Requests go through
 * plain JDBC: in a JFR profile of the REST benchmark, Hibernate's locked {@code find} and the flush of the changed
 * entity were half of an approval's own CPU, and its result-set mapping half of an inbox page's. The other lists still
 * read rows as read-only {@link JitRequestEntity} instances.
 */
final class RequestRows {

    static final String COLUMNS = "ID, REALM_ID, REQUESTER_ID, REQUESTER_USERNAME, DATASOURCE_ID, COLUMNS, REASON,"
            + " TICKET, DURATION_MINUTES, BREAK_GLASS, STATUS, CURRENT_STAGE, CURRENT_APPROVER, STAGES, CREATED_AT, DECIDED_AT,"
            + " EXTENDS_GRANT_ID, GRANT_ID, TIMEOUT_AT, ESCALATE_AT, ESCALATED, DECISION_COUNT, VERSION";

    static final int FILL_BATCH = 1_000;

    /** A request as stored, before its decisions and grant are read. */
    record Row(String realmId, AccessRequest request, int decisionCount, String grantId) {
    }

    private RequestRows() {
    }

    static String insert(String table) {
        return "insert into " + table + " (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /**
     * One request by id; with {@code lock}, its row stays locked until the transaction ends, in the syntax Hibernate's
     * dialect would use for a pessimistic write lock: PostgreSQL's {@code for no key update} leaves the foreign-key
     * checks of other transactions unblocked, and SQL Server takes a table hint instead of a clause.
     */
    static String select(String table, String databaseProduct, boolean lock) {
        if (!lock) {
            return "select " + COLUMNS + " from " + table + " where ID = ?";
        }
        return switch (databaseProduct) {
            case "PostgreSQL" -> "select " + COLUMNS + " from " + table + " where ID = ? for no key update";
            case "Microsoft SQL Server" -> "select " + COLUMNS + " from " + table + " with (updlock, holdlock, rowlock) where ID = ?";
            default -> "select " + COLUMNS + " from " + table + " where ID = ? for update";
        };
    }

    /** Binds {@link #insert}: a new request, version 0, no decision and no grant yet. */
    static void bindInsert(PreparedStatement ps, String id, String realmId, AccessRequest r) throws SQLException {
        ps.setString(1, id);
        ps.setString(2, realmId);
        ps.setString(3, r.requesterId());
        ps.setString(4, r.requesterUsername());
        ps.setString(5, r.datasource());
        ps.setString(6, String.join(",", r.columns()));
        ps.setString(7, r.reason());
        ps.setString(8, r.ticket());
        ps.setInt(9, r.durationMinutes());
        ps.setBoolean(10, r.breakGlass());
        ps.setString(11, r.status().name());
        ps.setInt(12, r.currentStage());
        ps.setString(13, currentApprover(r.status(), r.currentStage(), r.stages()));
        ps.setString(14, StagesJson.write(r.stages()));
        ps.setLong(15, r.createdAt().toEpochMilli());
        setMillis(ps, 16, r.decidedAt());
        ps.setString(17, r.extendsGrantId());
        ps.setString(18, null);
        setMillis(ps, 19, r.timeoutAt());
        setMillis(ps, 20, r.escalateAt());
        ps.setBoolean(21, false);
        ps.setInt(22, 0);
        ps.setInt(23, 0);
    }

    /** Who answers for some stage of the request: its rows in {@code JIT_REQUEST_APPROVER}, once per distinct key. */
    static Set<String> approverKeys(List<Stage> stages) {
        Set<String> keys = new LinkedHashSet<>();
        stages.forEach(s -> keys.add(s.approverKey()));
        return keys;
    }

    static String insertApprover(String table) {
        return "insert into " + table + " (REQUEST_ID, APPROVER_KEY) values (?, ?)";
    }

    /**
     * Adds the {@code JIT_REQUEST_APPROVER} rows of every request that has none (requests created before that table
     * existed), from the stages each request froze; returns how many rows it added. Re-running it adds nothing.
     */
    static int fillMissingApprovers(Connection connection, String requests, String approvers) throws SQLException {
        int added = 0;
        try (Statement select = connection.createStatement();
             ResultSet missing = select.executeQuery("select r.ID, r.STAGES from " + requests + " r where not exists"
                     + " (select 1 from " + approvers + " a where a.REQUEST_ID = r.ID)");
             PreparedStatement insert = connection.prepareStatement(insertApprover(approvers))) {
            while (missing.next()) {
                for (String key : approverKeys(StagesJson.read(missing.getString("STAGES")))) {
                    insert.setString(1, missing.getString("ID"));
                    insert.setString(2, key);
                    insert.addBatch();
                    if (++added % FILL_BATCH == 0) {
                        insert.executeBatch();
                    }
                }
            }
            insert.executeBatch();
        }
        return added;
    }

    /** The approver key of the stage being decided: what the inbox looks up; null unless pending. */
    static String currentApprover(RequestStatus status, int stage, List<Stage> stages) {
        return status == RequestStatus.PENDING && stage < stages.size() ? stages.get(stage).approverKey() : null;
    }

    static Row read(ResultSet rs) throws SQLException {
        AccessRequest request = new AccessRequest(rs.getString("ID"), RequestStatus.valueOf(rs.getString("STATUS")),
                rs.getString("DATASOURCE_ID"), split(rs.getString("COLUMNS")), rs.getString("REASON"), rs.getString("TICKET"),
                rs.getInt("DURATION_MINUTES"), rs.getBoolean("BREAK_GLASS"), rs.getString("REQUESTER_ID"),
                rs.getString("REQUESTER_USERNAME"), rs.getInt("CURRENT_STAGE"), StagesJson.read(rs.getString("STAGES")),
                List.of(), Instant.ofEpochMilli(rs.getLong("CREATED_AT")), instant(rs, "DECIDED_AT"),
                rs.getString("EXTENDS_GRANT_ID"), null, instant(rs, "TIMEOUT_AT"), instant(rs, "ESCALATE_AT"),
                rs.getBoolean("ESCALATED"));
        return new Row(rs.getString("REALM_ID"), request, rs.getInt("DECISION_COUNT"), rs.getString("GRANT_ID"));
    }

    static void setMillis(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, at.toEpochMilli());
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    static List<String> split(String columns) {
        return columns == null || columns.isEmpty() ? List.of() : Arrays.asList(columns.split(","));
    }
}
