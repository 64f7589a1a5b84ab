package dev.jitcolumns.keycloak.token;

import java.util.Optional;
import java.util.Set;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

/**
 * The client scope {@value #NAME}: asking for it ({@code scope=openid jit-columns}) puts the user's grants into
 * ordinary OIDC access tokens. Created once per realm, as an optional scope of the clients the realm has then; what
 * admins change later is kept. It is no realm default scope: a client created later gets grant claims once a realm
 * manager gives it the scope.
 */
public final class JitColumnsClientScope {

    public static final String NAME = "jit-columns";

    /** Keycloak's own clients: their tokens are for Keycloak, never for a database. */
    private static final Set<String> BUILT_IN_CLIENTS = Set.of(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID,
            Constants.ACCOUNT_CONSOLE_CLIENT_ID, Constants.ADMIN_CLI_CLIENT_ID, Constants.ADMIN_CONSOLE_CLIENT_ID,
            Constants.BROKER_SERVICE_CLIENT_ID, Constants.REALM_MANAGEMENT_CLIENT_ID);

    private JitColumnsClientScope() {
    }

    public static Optional<ClientScopeModel> find(RealmModel realm) {
        return realm.getClientScopesStream().filter(s -> NAME.equals(s.getName())).findFirst();
    }

    /**
     * Creates the scope unless it exists, as an optional scope of the realm's existing OIDC clients, Keycloak's own
     * excepted. Returns whether it created it.
     */
    public static boolean ensure(RealmModel realm) {
        if (find(realm).isPresent()) {
            return false;
        }
        ClientScopeModel scope = realm.addClientScope(NAME);
        scope.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        scope.setDescription("Just-in-time column grants (jit_columns, jit_grants) for database access");
        scope.setIncludeInTokenScope(true);
        scope.setDisplayOnConsentScreen(true);
        scope.setConsentScreenText("Your approved access to sensitive database columns");
        scope.addProtocolMapper(JitColumnsClaimsMapper.model());
        realm.getClientsStream()
                .filter(c -> OIDCLoginProtocol.LOGIN_PROTOCOL.equals(c.getProtocol()) || c.getProtocol() == null)
                .filter(c -> !BUILT_IN_CLIENTS.contains(c.getClientId()) && !c.isBearerOnly())
                .forEach((ClientModel c) -> c.addClientScope(scope, false));
        return true;
    }
}
