package dev.jitcolumns.keycloak.model;

import org.keycloak.models.GroupModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * One approval stage: approvers are the members of a group (members of its subgroups count) or the holders of the
 * realm role {@code approverRole}. A group is held by its id, which a rename or a move keeps and a new group of the
 * same name does not get; {@code approverGroup} is its path, for people to read. The id of a removed group is empty:
 * nobody decides such a stage.
 */
public record Stage(String name, String approverGroup, String approverGroupId, String approverRole, int minApprovals) {

    public static Stage ofGroup(String name, GroupModel group, int minApprovals) {
        return new Stage(name, KeycloakModelUtils.buildGroupPath(group), group.getId(), null, minApprovals);
    }

    public static Stage ofRole(String name, String role, int minApprovals) {
        return new Stage(name, null, null, role, minApprovals);
    }

    /** The key that identifies who may decide this stage. */
    public String approverKey() {
        return approverRole != null ? "role:" + approverRole : "group:" + (approverGroupId == null ? "" : approverGroupId);
    }

    public boolean groupRemoved() {
        return approverRole == null && (approverGroupId == null || approverGroupId.isEmpty());
    }

    Stage withMinApprovals(int min) {
        return new Stage(name, approverGroup, approverGroupId, approverRole, min);
    }

    Stage withGroup(String path, String id) {
        return new Stage(name, path, id, approverRole, minApprovals);
    }
}
