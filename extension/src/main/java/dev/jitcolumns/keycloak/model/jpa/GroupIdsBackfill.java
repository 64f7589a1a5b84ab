package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.model.RequestStatus;
import dev.jitcolumns.keycloak.model.Stage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The changelog's step that gives the stages of policies and requests stored with group paths the ids of those groups,
 * so that a renamed group keeps its approvers and a new group under a removed one's name gets none. A path that names
 * no group today gets an empty id: its stage decides nothing, as one of a removed group. Requests' approver rows are
 * derived again from their new stages.
 */
public final class GroupIdsBackfill extends ChangelogTask {

    @Override
    int run(Connection connection, Tables tables) throws SQLException {
        Groups groups = new Groups(connection, tables.table("KEYCLOAK_GROUP"));
        int rows = policies(connection, tables.table("JIT_POLICY"), groups);
        rows += requests(connection, tables.table("JIT_REQUEST"), groups);
        try (PreparedStatement delete = connection.prepareStatement("delete from " + tables.table("JIT_REQUEST_APPROVER"))) {
            delete.executeUpdate();
        }
        RequestRows.fillMissingApprovers(connection, tables.table("JIT_REQUEST"), tables.table("JIT_REQUEST_APPROVER"));
        return rows;
    }

    @Override
    String done(int rows) {
        return rows + " policies and requests now name their approver groups by id";
    }

    static int policies(Connection c, String table, Groups groups) throws SQLException {
        int rows = 0;
        try (PreparedStatement select = c.prepareStatement("select INTERNAL_ID, REALM_ID, STAGES, ESCALATION_GROUP from " + table);
             PreparedStatement update = c.prepareStatement("update " + table + " set STAGES = ?, ESCALATION_GROUP_ID = ? where INTERNAL_ID = ?");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String realm = rs.getString("REALM_ID");
                String escalation = rs.getString("ESCALATION_GROUP");
                update.setString(1, withIds(rs.getString("STAGES"), realm, groups));
                update.setString(2, escalation == null ? null : groups.id(realm, escalation));
                update.setString(3, rs.getString("INTERNAL_ID"));
                rows += update.executeUpdate();
            }
        }
        return rows;
    }

    static int requests(Connection c, String table, Groups groups) throws SQLException {
        int rows = 0;
        try (PreparedStatement select = c.prepareStatement("select ID, REALM_ID, STAGES, STATUS, CURRENT_STAGE from " + table);
             PreparedStatement update = c.prepareStatement("update " + table + " set STAGES = ?, CURRENT_APPROVER = ? where ID = ?");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String stages = withIds(rs.getString("STAGES"), rs.getString("REALM_ID"), groups);
                update.setString(1, stages);
                update.setString(2, RequestRows.currentApprover(RequestStatus.valueOf(rs.getString("STATUS")),
                        rs.getInt("CURRENT_STAGE"), StagesJson.read(stages)));
                update.setString(3, rs.getString("ID"));
                update.addBatch();
                if (++rows % RequestRows.FILL_BATCH == 0) {
                    update.executeBatch();
                }
            }
            update.executeBatch();
        }
        return rows;
    }

    private static String withIds(String json, String realm, Groups groups) throws SQLException {
        List<Stage> withIds = new ArrayList<>();
        for (Stage s : StagesJson.read(json)) {
            withIds.add(s.approverRole() != null || s.approverGroupId() != null ? s
                    : new Stage(s.name(), s.approverGroup(), groups.id(realm, s.approverGroup()), null, s.minApprovals()));
        }
        return StagesJson.write(withIds);
    }

    /** A realm's group paths, built as Keycloak builds them, read once per realm. */
    static final class Groups {

        private final Connection connection;
        private final String table;
        private final Map<String, Map<String, String>> idsByPathOfRealm = new HashMap<>();

        Groups(Connection connection, String table) {
            this.connection = connection;
            this.table = table;
        }

        /** The id of the group at {@code path}, or empty if there is none. */
        String id(String realm, String path) throws SQLException {
            Map<String, String> ids = idsByPathOfRealm.get(realm);
            if (ids == null) {
                ids = load(realm);
                idsByPathOfRealm.put(realm, ids);
            }
            return Objects.requireNonNullElse(ids.get(path), "");
        }

        private Map<String, String> load(String realm) throws SQLException {
            Map<String, String[]> byId = new HashMap<>(); // id -> {name, parent}
            try (PreparedStatement ps = connection.prepareStatement("select ID, NAME, PARENT_GROUP from " + table + " where REALM_ID = ?")) {
                ps.setString(1, realm);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.put(rs.getString("ID"), new String[] {rs.getString("NAME"), rs.getString("PARENT_GROUP")});
                    }
                }
            }
            Map<String, String> ids = new HashMap<>();
            byId.keySet().forEach(id -> ids.put(path(id, byId), id));
            return ids;
        }

        private static String path(String id, Map<String, String[]> byId) {
            StringBuilder path = new StringBuilder();
            for (String[] g = byId.get(id); g != null; g = byId.get(g[1])) {
                path.insert(0, KeycloakModelUtils.GROUP_PATH_SEPARATOR + g[0].replace(KeycloakModelUtils.GROUP_PATH_SEPARATOR,
                        KeycloakModelUtils.GROUP_PATH_ESCAPE + KeycloakModelUtils.GROUP_PATH_SEPARATOR));
            }
            return path.toString();
        }
    }
}
