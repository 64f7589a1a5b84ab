package dev.jitcolumns.keycloak.token;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.AccessToken;

/**
 * The client scope {@value #NAME}: which clients may call the jit-columns APIs with their users' tokens. A user's
 * token reaches every API of its realm, so without it any app a user signs in to could ask for columns, take
 * database tokens or decide requests in their name. Keycloak's consoles may; any other client needs this scope, and
 * the token must carry it: assigned as a default scope (on a client that asks for consent, once the user consented),
 * or as an optional one that the token asked for. Like {@link JitColumnsClientScope} it is created once per realm,
 * and realm managers assign it in the admin console's client scopes tab.
 */
public final class ApiClientScope {

    public static final String NAME = "jit-columns-api";
    /** Realm attribute: client ids, space-separated, given the scope as a default scope when it is created. */
    public static final String CLIENTS_ATTRIBUTE = "jit-columns.api-clients";

    private static final Set<String> CONSOLES = Set.of(Constants.ACCOUNT_CONSOLE_CLIENT_ID, Constants.ADMIN_CONSOLE_CLIENT_ID);

    private ApiClientScope() {
    }

    public static Optional<ClientScopeModel> find(RealmModel realm) {
        return realm.getClientScopesStream().filter(s -> NAME.equals(s.getName())).findFirst();
    }

    /** May {@code client} call the APIs for the user whose token it presents? */
    public static boolean mayActForUsers(ClientModel client, AccessToken token) {
        if (client == null) {
            return false;
        }
        if (CONSOLES.contains(client.getClientId())) {
            return true;
        }
        // granted to this token, and still assigned (a token outlives its unassignment)
        boolean granted = token.getScope() != null && Arrays.asList(token.getScope().split(" ")).contains(NAME);
        return granted && (client.getClientScopes(true).containsKey(NAME) || client.getClientScopes(false).containsKey(NAME));
    }

    /** The answer to a client that may not: what to change, and where. */
    public static String refusal(ClientModel client) {
        return "The client '" + (client == null ? "?" : client.getClientId()) + "' may not call jit-columns for its users: "
                + "a realm manager gives it the client scope " + NAME + ".";
    }

    /**
     * Creates the scope unless it exists, as a default scope of the clients named in the realm attribute
     * {@value #CLIENTS_ATTRIBUTE} (realm as code), and of none other. Returns whether it created it.
     */
    public static boolean ensure(RealmModel realm) {
        if (find(realm).isPresent()) {
            return false;
        }
        ClientScopeModel scope = realm.addClientScope(NAME);
        scope.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        scope.setDescription("Lets a client call the jit-columns APIs for its users");
        scope.setIncludeInTokenScope(true);
        scope.setDisplayOnConsentScreen(true);
        scope.setConsentScreenText("Ask for and decide access to sensitive database columns in your name");
        namedClients(realm).forEach(c -> c.addClientScope(scope, true));
        return true;
    }

    /** The clients named in the realm attribute {@value #CLIENTS_ATTRIBUTE} that the realm has. */
    static Stream<ClientModel> namedClients(RealmModel realm) {
        String clients = realm.getAttribute(CLIENTS_ATTRIBUTE);
        return clients == null ? Stream.empty() : Arrays.stream(clients.trim().split("\\s+")).filter(id -> !id.isEmpty())
                .map(realm::getClientByClientId).filter(Objects::nonNull);
    }
}
