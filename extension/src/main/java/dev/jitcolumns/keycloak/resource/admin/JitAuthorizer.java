package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.Approvers;
import dev.jitcolumns.keycloak.model.Impersonation;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.model.Stage;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.token.ApiClientScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Every check of the admin API in one place. Keycloak lets any valid token of the realm reach the admin
 * resource: catalog managers are holders of {@code manage-realm} or the realm role {@value #ADMIN_ROLE};
 * approvers are ordinary users, members of a stage's group (checked per request by the domain).
 */
final class JitAuthorizer {

    static final String ADMIN_ROLE = "jit-columns-admin";
    /** The realm role of the agent's service account: it reads the revocation feed. */
    static final String SYNC_ROLE = "jit-columns-sync";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    JitAuthorizer(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    UserModel user() {
        return auth.adminAuth().getUser();
    }

    /** The caller is a user of this realm (not a master-realm administrator acting on it). */
    boolean isRealmUser() {
        return auth.adminAuth().getRealm().getId().equals(realm.getId());
    }

    /**
     * A user's token is taken only from a client allowed to act for users ({@link ApiClientScope}). A service account
     * acts in its own name through its own client, and administrators of another realm under Keycloak's own admin
     * permissions.
     */
    void requireApiClient() {
        ClientModel client = auth.adminAuth().getClient();
        boolean ownServiceAccount = client != null && client.getId().equals(user().getServiceAccountClientLink());
        if (isRealmUser() && !ownServiceAccount && !ApiClientScope.mayActForUsers(client, auth.adminAuth().getToken())) {
            throw ApiError.forbidden(ApiClientScope.refusal(client));
        }
    }

    /** Changes are made by people in person: none under impersonation ({@link Impersonation}). */
    void requireInPerson() {
        Impersonation.requireInPerson(Impersonation.impersonatorOf(session, auth.adminAuth().getRealm(), auth.adminAuth().getToken()),
                user().getUsername());
    }

    boolean isManager() {
        if (auth.realm().canManageRealm()) {
            return true;
        }
        RoleModel role = realm.getRole(ADMIN_ROLE);
        return isRealmUser() && role != null && user().hasRole(role);
    }

    boolean canViewCatalog() {
        return isManager() || auth.realm().canViewRealm() || isApprover();
    }

    void requireManager() {
        if (!isManager()) {
            throw ApiError.forbidden("Managing the jit-columns catalog needs manage-realm or the role " + ADMIN_ROLE + ".");
        }
    }

    /** Changes outside the catalog (client scopes of the realm) need manage-realm itself. */
    void requireRealmManager() {
        if (!auth.realm().canManageRealm()) {
            throw ApiError.forbidden("This needs the manage-realm role.");
        }
    }

    void requireSync() {
        RoleModel role = realm.getRole(SYNC_ROLE);
        boolean agent = isRealmUser() && role != null && user().hasRole(role);
        if (!agent && !isManager()) {
            throw ApiError.forbidden("The revocation feed needs the role " + SYNC_ROLE + ".");
        }
    }

    void requireCatalogViewer() {
        if (!canViewCatalog()) {
            throw ApiError.forbidden("Only catalog managers and approvers see the catalog.");
        }
    }

    /**
     * What the caller may use, decided by the checks the resources make: {@code requests} and {@code grants} (managers,
     * approvers), {@code viewCatalog}, {@code manageCatalog}, {@code webhook} (manage-realm), {@code audit} (managers).
     * The admin console shows its pages from this answer.
     */
    Map<String, Boolean> capabilities() {
        boolean manager = isManager();
        boolean approver = isApprover();
        Map<String, Boolean> can = new LinkedHashMap<>();
        can.put("requests", manager || approver);
        can.put("grants", manager || approver);
        can.put("viewCatalog", canViewCatalog());
        can.put("manageCatalog", manager);
        can.put("webhook", auth.realm().canManageRealm());
        can.put("audit", manager);
        return can;
    }

    /** Stages of every policy of the realm. */
    List<Stage> allStages() {
        return session.getProvider(JitColumnsStore.class).policies(realm).stream().flatMap(p -> p.stages().stream()).toList();
    }

    /**
     * An approver of any stage of any policy, or of a request (its stages are frozen: the policy may have moved to
     * other approvers since). Decisions are still checked stage by stage.
     */
    boolean isApprover() {
        if (!isRealmUser()) {
            return false;
        }
        Approvers approvers = new Approvers(session, realm);
        return approvers.isEligibleForAnyStage(user(), allStages()) || !session.getProvider(JitColumnsStore.class)
                .requestsForApprover(realm, null, approvers.approverKeys(user()), 0, 1).isEmpty();
    }

    Set<String> approverKeys() {
        return isRealmUser() ? new Approvers(session, realm).approverKeys(user()) : Set.of();
    }

    boolean isApproverOf(List<Stage> stages) {
        return isRealmUser() && new Approvers(session, realm).isEligibleForAnyStage(user(), stages);
    }
}
