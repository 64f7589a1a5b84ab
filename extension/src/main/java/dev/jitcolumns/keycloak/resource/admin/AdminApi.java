package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.Datasource;
import dev.jitcolumns.keycloak.model.jpa.JpaCatalogStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Endpoints for approvers and catalog managers. */
public final class AdminApi {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    AdminApi(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    @GET
    @Path("datasources")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Datasource> datasources() {
        auth.realm().requireViewRealm();
        return new JpaCatalogStore(session).datasources(realm);
    }
}
