package dev.jitcolumns.keycloak.model;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.RoleUtils;

/** Who approves a stage: members of its group (members of subgroups count) or holders of its realm role. */
public final class Approvers {

    private final KeycloakSession session;
    private final RealmModel realm;

    public Approvers(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public boolean isEligible(UserModel user, Stage stage) {
        if (stage.byGroup()) {
            GroupModel group = group(stage);
            return group != null && RoleUtils.isMember(user.getGroupsStream(), group);
        }
        RoleModel role = role(stage);
        return role != null && user.hasRole(role);
    }

    /** Whether the stage's group or role is still in the realm: a removed one's stage nobody may decide. */
    public boolean exist(Stage stage) {
        return stage.byGroup() ? group(stage) != null : role(stage) != null;
    }

    public boolean isEligibleForAnyStage(UserModel user, Collection<Stage> stages) {
        return stages.stream().anyMatch(s -> isEligible(user, s));
    }

    /**
     * The {@link Stage#approverKey()}s this user answers for: every group they are in (directly or through a subgroup)
     * and every realm role they hold (directly, through a composite role or a group), whether or not a policy names it
     * today, since requests keep the stages they were created with (a policy moved to another group or role leaves its
     * pending requests to the old one).
     */
    public Set<String> approverKeys(UserModel user) {
        Set<String> keys = new HashSet<>();
        user.getGroupsStream().forEach(g -> {
            for (GroupModel p = g; p != null; p = p.getParent()) {
                keys.add("group:" + p.getId());
            }
        });
        RoleUtils.getDeepUserRoleMappings(user).stream().filter(r -> RoleUtils.isRealmRole(r, realm))
                .forEach(r -> keys.add("role:" + r.getId()));
        return keys;
    }

    /** The users who may decide a stage (for notifications), by id. */
    public Map<String, UserModel> members(Stage stage) {
        Map<String, UserModel> users = new LinkedHashMap<>();
        if (stage.byGroup()) {
            GroupModel group = group(stage);
            if (group != null) {
                groupAndSubgroups(group).flatMap(g -> session.users().getGroupMembersStream(realm, g))
                        .forEach(u -> users.putIfAbsent(u.getId(), u));
            }
        } else {
            RoleModel role = role(stage);
            if (role != null) {
                // Whoever may decide (isEligible: the role held directly, through a composite role or a group), not only
                // its direct holders, whom alone Keycloak lists as the role's members.
                realm.getRolesStream().filter(r -> r.hasRole(role))
                        .flatMap(r -> session.users().getRoleMembersStream(realm, r)).forEach(u -> users.putIfAbsent(u.getId(), u));
                session.groups().getGroupsStream(realm).filter(g -> g.hasRole(role))
                        .flatMap(g -> session.users().getGroupMembersStream(realm, g)).forEach(u -> users.putIfAbsent(u.getId(), u));
            }
        }
        return users;
    }

    /** The stage with its group's path or its role's name as Keycloak has them now; as it was if they are gone. */
    public Stage relabelled(Stage stage) {
        if (stage.byGroup()) {
            GroupModel group = group(stage);
            return group == null ? stage : stage.withApprover(KeycloakModelUtils.buildGroupPath(group), stage.approverId());
        }
        RoleModel role = role(stage);
        return role == null ? stage : stage.withApprover(role.getName(), stage.approverId());
    }

    /** A role every user of the realm holds (its default role, or one that it contains): it approves nothing. */
    public static boolean everyoneHolds(RealmModel realm, RoleModel role) {
        return realm.getDefaultRole().hasRole(role);
    }

    private GroupModel group(Stage stage) {
        return stage.approverRemoved() ? null : session.groups().getGroupById(realm, stage.approverId());
    }

    private RoleModel role(Stage stage) {
        return stage.approverRemoved() ? null : realm.getRoleById(stage.approverId());
    }

    private static Stream<GroupModel> groupAndSubgroups(GroupModel g) {
        return Stream.concat(Stream.of(g), g.getSubGroupsStream().flatMap(Approvers::groupAndSubgroups));
    }
}
