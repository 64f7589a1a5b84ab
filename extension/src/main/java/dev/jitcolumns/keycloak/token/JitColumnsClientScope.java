package dev.jitcolumns.keycloak.token;

import java.util.Optional;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

/**
 * The client scope {@value #NAME}: asking for it ({@code scope=openid jit-columns}) puts the user's grants into
 * ordinary OIDC access tokens, which the databases take. Created once per realm, as an optional scope of the clients
 * named in the realm attribute {@value ApiClientScope#CLIENTS_ATTRIBUTE} (those that may also call the APIs); what
 * admins change later is kept. Any other client gets grant claims once a realm manager gives it the scope: an app a
 * user signs in to must not take their database access along.
 */
public final class JitColumnsClientScope {

    public static final String NAME = "jit-columns";

    private JitColumnsClientScope() {
    }

    public static Optional<ClientScopeModel> find(RealmModel realm) {
        return realm.getClientScopesStream().filter(s -> NAME.equals(s.getName())).findFirst();
    }

    /** Creates the scope unless it exists, as an optional scope of the named clients. Returns whether it created it. */
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
        ApiClientScope.namedClients(realm).forEach(c -> c.addClientScope(scope, false));
        return true;
    }
}
