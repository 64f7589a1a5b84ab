package dev.jitcolumns.keycloak.model;

import dev.jitcolumns.keycloak.events.KeycloakEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Keeps the policies in step with Keycloak's groups. Stages hold a group by id, so a rename or a move changes nobody's
 * rights; it only updates the path people read. A removed group decides nothing more, and its policies say so
 * ({@code approverGroupRemoved}) until a manager names another group. Requests keep the stages they were created
 * with: those of a removed group wait for their timeout.
 */
public final class PolicyGroups {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final JitColumnsStore store;

    public PolicyGroups(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = session.getProvider(JitColumnsStore.class);
    }

    /** A group renamed or moved: the paths under {@code previousPath} now start with {@code newPath}. */
    public void pathChanged(String previousPath, String newPath) {
        update("POLICY_GROUP_PATH_CHANGED", Map.of("from", previousPath, "to", newPath), s -> {
            String path = s.approverGroup();
            boolean under = !s.groupRemoved() && path != null
                    && (path.equals(previousPath) || path.startsWith(previousPath + "/"));
            return under ? s.withGroup(newPath + path.substring(previousPath.length()), s.approverGroupId()) : s;
        });
    }

    /** A group removed, with its subgroups: stages of any of them keep its path and lose its id. */
    public void removed(GroupModel group) {
        update("POLICY_GROUP_REMOVED", Map.of("groupId", group.getId()),
                s -> !s.groupRemoved() && isGoneWith(s.approverGroupId(), group) ? s.withGroup(s.approverGroup(), "") : s);
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

    private void update(String action, Map<String, String> change, UnaryOperator<Stage> groupStage) {
        ChangeListener events = KeycloakEvents.system(session, realm);
        AccessService audit = new AccessService(session, realm, events);
        for (Policy p : store.policies(realm)) {
            List<Stage> stages = p.stages().stream().map(s -> s.approverRole() == null ? groupStage.apply(s) : s).toList();
            Stage escalation = p.escalation() == null ? null : groupStage.apply(p.escalation());
            Policy updated = p.withGroups(stages, escalation == null ? null : escalation.approverGroup(),
                    escalation == null ? null : escalation.approverGroupId());
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
