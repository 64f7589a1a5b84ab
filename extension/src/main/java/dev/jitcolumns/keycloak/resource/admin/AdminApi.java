package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.ChangeListener;
import dev.jitcolumns.keycloak.events.KeycloakEvents;
import dev.jitcolumns.keycloak.token.ApiClientScope;
import dev.jitcolumns.keycloak.token.JitColumnsClientScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Approvers and catalog managers at {@code /admin/realms/{realm}/jit-columns}, one resource class per collection.
 * Every check is ours ({@link JitAuthorizer}).
 */
public final class AdminApi extends AdminResource {

    AdminApi(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        super(session, realm, new JitAuthorizer(session, realm, auth), KeycloakEvents.admin(realm, adminEvent));
        authz.requireApiClient();
    }

    /** What the caller may use here ({@link JitAuthorizer#capabilities()}); any valid token of the realm gets an answer. */
    @GET
    @Path("me")
    @Produces(MediaType.APPLICATION_JSON)
    public Response me() {
        return respond(authz::capabilities);
    }

    @Path("requests")
    public RequestsResource requests() {
        return new RequestsResource(this);
    }

    @Path("grants")
    public GrantsResource grants() {
        return new GrantsResource(this);
    }

    @Path("revocations")
    public RevocationFeed revocations() {
        return new RevocationFeed(this);
    }

    @Path("datasources")
    public DatasourcesResource datasources() {
        return new DatasourcesResource(this);
    }

    @Path("policies")
    public PoliciesResource policies() {
        return new PoliciesResource(this);
    }

    @Path("columns")
    public ColumnsResource columns() {
        return new ColumnsResource(this);
    }

    @Path("audit")
    public AuditResource audit() {
        return new AuditResource(this);
    }

    @Path("webhook")
    public WebhookResource webhook() {
        return new WebhookResource(this);
    }

    /**
     * Creates the client scopes {@code jit-columns} and {@code jit-columns-api} in realms set up without the catalog
     * attribute. Idempotent.
     */
    @PUT
    @Path("client-scope")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ensureClientScope() {
        return respond(() -> {
            authz.requireRealmManager();
            Map<String, Object> claims = scopeCreated(JitColumnsClientScope.ensure(realm), JitColumnsClientScope.find(realm).orElseThrow());
            Map<String, Object> api = scopeCreated(ApiClientScope.ensure(realm), ApiClientScope.find(realm).orElseThrow());
            Map<String, Object> representation = new LinkedHashMap<>(claims);
            representation.put("apiScope", api);
            return representation;
        });
    }

    private Map<String, Object> scopeCreated(boolean created, ClientScopeModel scope) {
        Map<String, Object> representation = Map.of("id", scope.getId(), "name", scope.getName(), "created", created);
        if (created) {
            configurationChanged(ChangeListener.Kind.CREATE, "CLIENT_SCOPE_CREATED", "client-scope", representation);
        }
        return representation;
    }
}
