package dev.jitcolumns.keycloak.model;

import dev.jitcolumns.keycloak.events.KeycloakEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;

/**
 * Keeps the policies in step with Keycloak's groups and realm roles. Stages hold them by id, so a rename or a move
 * changes nobody's rights; it only updates the path or name people read. A removed group or role decides nothing
 * more, and its policies say so ({@code approverRemoved}) until a manager names another. Requests keep the stages
 * they were created with: those of a removed group or role wait for their timeout.
 */
public final class PolicyApprovers {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final JitColumnsStore store;

    public PolicyApprovers(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = session.getProvider(JitColumnsStore.class);
    }

    /**
     * A group renamed or moved: each stage's path is built again from its group (the event's paths are not enough: an
     * organisation's groups have paths of their own, and a name may hold a slash).
     */
    public void groupPathChanged(String previousPath, String newPath) {
        update("POLICY_GROUP_PATH_CHANGED", Map.of("from", previousPath, "to", newPath), new Approvers(session, realm)::relabelled);
    }

    /** A group removed, with its subgroups: stages of any of them keep its path and lose its id. */
    public void groupRemoved(GroupModel group) {
        update("POLICY_GROUP_REMOVED", Map.of("groupId", group.getId()), s -> s.byGroup() && !s.approverRemoved()
                && isGoneWith(s.approverId(), group) ? s.withApprover(s.approverGroup(), "") : s);
    }

    /** A realm role renamed: each role stage's name is read again from its role. */
    public void roleRenamed(String previousName, String newName) {
        update("POLICY_ROLE_RENAMED", Map.of("from", previousName, "to", newName), new Approvers(session, realm)::relabelled);
    }

    /** A realm role removed: its stages keep its name and lose its id. */
    public void roleRemoved(RoleModel role) {
        update("POLICY_ROLE_REMOVED", Map.of("roleId", role.getId()), s -> !s.byGroup()
                && role.getId().equals(s.approverId()) ? s.withApprover(s.approverRole(), "") : s);
    }

    private boolean isGoneWith(String groupId, GroupModel removed) {
        GroupModel g = session.groups().getGroupById(realm, groupId);
        if (g == null) {
            return true;
        }
        for (; g != null; g = g.getParent()) {
            if (g.getId().equals(removed.getId())) {
                return true;
            }
        }
        return false;
    }

    private void update(String action, Map<String, String> change, UnaryOperator<Stage> stageChange) {
        ChangeListener events = KeycloakEvents.system(session, realm);
        AccessService audit = new AccessService(session, realm, events);
        for (Policy p : store.policies(realm)) {
            List<Stage> stages = p.stages().stream().map(stageChange).toList();
            Stage escalation = p.escalation() == null ? null : stageChange.apply(p.escalation());
            Policy updated = p.withApprovers(stages, escalation == null ? null : escalation.approverGroup(),
                    escalation == null ? null : escalation.approverId());
            if (!updated.equals(p)) {
                store.savePolicy(realm, updated);
                Map<String, Object> details = new LinkedHashMap<>(change);
                details.put("resource", "policies/" + p.id());
                audit.auditCatalog(null, action, details);
                events.changed(ChangeListener.Kind.UPDATE, action, "policies/" + p.id(), details);
            }
        }
    }
}
