package dev.jitcolumns.keycloak.token;

import dev.jitcolumns.keycloak.model.AuditEntry;
import dev.jitcolumns.keycloak.model.ChangeListener;
import dev.jitcolumns.keycloak.model.DomainException;
import dev.jitcolumns.keycloak.model.Grant;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

/** {@code POST /token}: a database token for the caller's active grants on one datasource, audited. */
public final class DatabaseTokens {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final TokenConfig config;

    public DatabaseTokens(KeycloakSession session, RealmModel realm, TokenConfig config) {
        this.session = session;
        this.realm = realm;
        this.config = config;
    }

    /** The body of the answer: {@code {access_token, token_type, expires_in, columns}}. */
    public Map<String, Object> issue(UserModel user, String azp, String datasource, ChangeListener events) {
        JitColumnsStore store = session.getProvider(JitColumnsStore.class);
        if (store.datasource(realm, datasource).isEmpty()) {
            throw DomainException.invalid("datasource", "Unknown datasource " + datasource + ".");
        }
        List<Grant> grants = store.activeGrants(realm, user.getId()).stream()
                .filter(g -> g.datasource().equals(datasource)).toList();
        if (grants.isEmpty()) {
            throw DomainException.conflict("No active grant on " + datasource + ": request access first.");
        }
        DatabaseTokenMinter.Minted minted = new DatabaseTokenMinter(session, config.maxLifetimeSeconds())
                .mint(realm, user, azp, datasource, grants);

        Map<String, Object> issued = new LinkedHashMap<>();
        issued.put("jti", minted.jti());
        issued.put("datasource", datasource);
        issued.put("grants", minted.grantIds());
        issued.put("columns", minted.columns());
        issued.put("expiresIn", minted.expiresIn());
        store.appendAudit(realm, List.of(new AuditEntry(0, Instant.now(), user.getId(), user.getUsername(), "TOKEN_ISSUED",
                null, minted.grantIds().size() == 1 ? minted.grantIds().get(0) : null, json(issued), null, null)));
        events.changed(ChangeListener.Kind.ACTION, "TOKEN_ISSUED", "tokens/" + minted.jti(), issued);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", minted.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", minted.expiresIn());
        body.put("columns", minted.columns());
        return body;
    }

    private static String json(Object value) {
        try {
            return JsonSerialization.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
