package dev.jitcolumns.keycloak.model;

import org.keycloak.models.GroupModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * One approval stage: approvers are the members of the group {@code approverGroup} (members of its subgroups count)
 * or the holders of the realm role {@code approverRole}. Either is held by its id, {@code approverId}, which a rename
 * or a move keeps and a new group or role of the same name does not get; the path or name is for people to read. The
 * id of a removed group or role is empty: nobody decides such a stage.
 */
public record Stage(String name, String approverGroup, String approverRole, String approverId, int minApprovals) {

    public static Stage ofGroup(String name, GroupModel group, int minApprovals) {
        return new Stage(name, KeycloakModelUtils.buildGroupPath(group), null, group.getId(), minApprovals);
    }

    public static Stage ofRole(String name, RoleModel role, int minApprovals) {
        return new Stage(name, null, role.getName(), role.getId(), minApprovals);
    }

    /** The key that identifies who may decide this stage. */
    public String approverKey() {
        return (approverRole != null ? "role:" : "group:") + (approverId == null ? "" : approverId);
    }

    public boolean approverRemoved() {
        return approverId == null || approverId.isEmpty();
    }

    public boolean byGroup() {
        return approverRole == null;
    }

    Stage withMinApprovals(int min) {
        return new Stage(name, approverGroup, approverRole, approverId, min);
    }

    /** This stage with its group or role at another path or name, or (an empty id) removed. */
    Stage withApprover(String pathOrName, String id) {
        return byGroup() ? new Stage(name, pathOrName, null, id, minApprovals) : new Stage(name, null, pathOrName, id, minApprovals);
    }
}
