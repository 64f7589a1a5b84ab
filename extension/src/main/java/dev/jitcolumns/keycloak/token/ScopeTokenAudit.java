package dev.jitcolumns.keycloak.token;

import dev.jitcolumns.keycloak.model.AuditEntry;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

/**
 * Tokens that carry grants through the client scope, in the audit trail ({@code TOKEN_ISSUED}, {@code via:
 * client-scope}): once per client of a sign-in and set of grants, that is the first such token a client gets and the
 * first after its grants changed. Not each refresh: that would put a write on Keycloak's token endpoint for tokens
 * that carry nothing new. The database's usage audit records each token presented, by its jti.
 */
final class ScopeTokenAudit {

    /** The grants last audited for the client's session, as a note of it (server side). */
    static final String NOTE = "jit-columns.audited-grants";

    private ScopeTokenAudit() {
    }

    static void issued(KeycloakSession session, UserSessionModel userSession, AuthenticatedClientSessionModel clientSession,
                       AccessToken token, GrantClaims claims) {
        String grants = String.join(",", claims.grantIds());
        if (grants.equals(clientSession.getNote(NOTE))) {
            return;
        }
        UserModel user = userSession.getUser();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("via", "client-scope");
        details.put("jti", token.getId());
        details.put("client", token.getIssuedFor());
        details.put("session", userSession.getId());
        details.put("grants", claims.grantIds());
        details.put("columns", claims.columnsByDatasource());
        session.getProvider(JitColumnsStore.class).appendAudit(userSession.getRealm(), List.of(new AuditEntry(0, Instant.now(),
                user.getId(), user.getUsername(), "TOKEN_ISSUED", null,
                claims.grantIds().size() == 1 ? claims.grantIds().get(0) : null, json(details), null, null)));
        clientSession.setNote(NOTE, grants);
    }

    private static String json(Object value) {
        try {
            return JsonSerialization.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
