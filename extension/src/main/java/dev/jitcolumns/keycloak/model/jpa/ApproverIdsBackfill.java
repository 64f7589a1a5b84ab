package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.model.RequestStatus;
import dev.jitcolumns.keycloak.model.Stage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The changelog's step that gives the stages of policies and requests stored with group paths and role names the ids
 * of those groups and realm roles, so that a renamed one keeps its approvers and a new one under a removed one's name
 * gets none. A path or name that names nothing today gets an empty id: its stage decides nothing, as one of a removed
 * group or role. Requests' approver rows are derived again from their new stages.
 */
public final class ApproverIdsBackfill extends ChangelogTask {

    @Override
    int run(Connection connection, Tables tables) throws SQLException {
        Ids groups = new Ids(realm -> groups(connection, tables.table("KEYCLOAK_GROUP"), realm));
        Ids roles = new Ids(realm -> roles(connection, tables.table("KEYCLOAK_ROLE"), realm));
        int rows = policies(connection, tables.table("JIT_POLICY"), groups, roles);
        rows += requests(connection, tables.table("JIT_REQUEST"), groups, roles);
        try (PreparedStatement delete = connection.prepareStatement("delete from " + tables.table("JIT_REQUEST_APPROVER"))) {
            delete.executeUpdate();
        }
        RequestRows.fillMissingApprovers(connection, tables.table("JIT_REQUEST"), tables.table("JIT_REQUEST_APPROVER"));
        return rows;
    }

    @Override
    String done(int rows) {
        return rows + " policies and requests now name their approver groups and roles by id";
    }

    static int policies(Connection c, String table, Ids groups, Ids roles) throws SQLException {
        int rows = 0;
        try (PreparedStatement select = c.prepareStatement("select INTERNAL_ID, REALM_ID, STAGES, ESCALATION_GROUP from " + table);
             PreparedStatement update = c.prepareStatement("update " + table + " set STAGES = ?, ESCALATION_GROUP_ID = ? where INTERNAL_ID = ?");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String realm = rs.getString("REALM_ID");
                String escalation = rs.getString("ESCALATION_GROUP");
                update.setString(1, withIds(rs.getString("STAGES"), realm, groups, roles));
                update.setString(2, escalation == null ? null : groups.id(realm, escalation));
                update.setString(3, rs.getString("INTERNAL_ID"));
                rows += update.executeUpdate();
            }
        }
        return rows;
    }

    static int requests(Connection c, String table, Ids groups, Ids roles) throws SQLException {
        int rows = 0;
        try (PreparedStatement select = c.prepareStatement("select ID, REALM_ID, STAGES, STATUS, CURRENT_STAGE from " + table);
             PreparedStatement update = c.prepareStatement("update " + table + " set STAGES = ?, CURRENT_APPROVER = ? where ID = ?");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String stages = withIds(rs.getString("STAGES"), rs.getString("REALM_ID"), groups, roles);
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

    private static String withIds(String json, String realm, Ids groups, Ids roles) throws SQLException {
        List<Stage> withIds = new ArrayList<>();
        for (Stage s : StagesJson.read(json)) {
            withIds.add(s.approverId() != null ? s : new Stage(s.name(), s.approverGroup(), s.approverRole(),
                    s.byGroup() ? groups.id(realm, s.approverGroup()) : roles.id(realm, s.approverRole()), s.minApprovals()));
        }
        return StagesJson.write(withIds);
    }

    /** Ids by path or name of a realm, read once per realm. */
    static final class Ids {

        @FunctionalInterface
        interface Loader {
            Map<String, String> idsByName(String realm) throws SQLException;
        }

        private final Loader loader;
        private final Map<String, Map<String, String>> idsOfRealm = new HashMap<>();

        Ids(Loader loader) {
            this.loader = loader;
        }

        /** The id of what is called {@code name} in the realm, or empty if nothing is. */
        String id(String realm, String name) throws SQLException {
            Map<String, String> ids = idsOfRealm.get(realm);
            if (ids == null) {
                ids = loader.idsByName(realm);
                idsOfRealm.put(realm, ids);
            }
            return Objects.requireNonNullElse(ids.get(name), "");
        }
    }

    /** A realm's realm roles by name. */
    private static Map<String, String> roles(Connection c, String table, String realm) throws SQLException {
        Map<String, String> ids = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select NAME, ID from " + table + " where REALM_ID = ? and CLIENT_ROLE = ?")) {
            ps.setString(1, realm);
            ps.setBoolean(2, false);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString("NAME"), rs.getString("ID"));
                }
            }
        }
        return ids;
    }

    /**
     * A realm's groups by path, built as Keycloak builds it, in Java (no recursive SQL runs on every database it
     * supports). A name with a slash was stored escaped ({@code /a~/b}) or not ({@code /a/b}), as Keycloak was set:
     * both spellings are looked up, and one that two groups share names neither. Organisations' groups are left out.
     */
    private static Map<String, String> groups(Connection c, String table, String realm) throws SQLException {
        Map<String, String[]> byId = new HashMap<>(); // id -> {name, parent}
        try (PreparedStatement ps = c.prepareStatement("select ID, NAME, PARENT_GROUP from " + table + " where REALM_ID = ? and TYPE = 0")) {
            ps.setString(1, realm);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byId.put(rs.getString("ID"), new String[] {rs.getString("NAME"), rs.getString("PARENT_GROUP")});
                }
            }
        }
        Map<String, String> ids = new HashMap<>();
        for (String id : byId.keySet()) {
            for (String path : new HashSet<>(List.of(path(id, byId, true), path(id, byId, false)))) {
                ids.merge(path, id, (one, other) -> one.equals(other) ? one : "");
            }
        }
        return ids;
    }

    private static String path(String id, Map<String, String[]> byId, boolean escaped) {
        String separator = KeycloakModelUtils.GROUP_PATH_SEPARATOR;
        StringBuilder path = new StringBuilder();
        for (String[] g = byId.get(id); g != null; g = byId.get(g[1])) {
            path.insert(0, separator + (escaped ? g[0].replace(separator, KeycloakModelUtils.GROUP_PATH_ESCAPE + separator) : g[0]));
        }
        return path.toString();
    }
}
