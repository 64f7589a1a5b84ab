package dev.jitcolumns.keycloak.model;

/**
 * One approval stage: approvers are the members of {@code approverGroup} (a group path such as
 * {@code /data-owners}; members of its subgroups count) or the holders of the realm role {@code approverRole}.
 */
public record Stage(String name, String approverGroup, String approverRole, int minApprovals) {

    /** The key that identifies who may decide this stage. */
    public String approverKey() {
        return approverGroup != null ? "group:" + approverGroup : "role:" + approverRole;
    }
}
