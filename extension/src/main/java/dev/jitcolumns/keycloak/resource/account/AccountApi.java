package dev.jitcolumns.keycloak.resource.account;

import dev.jitcolumns.keycloak.model.Datasource;
import dev.jitcolumns.keycloak.model.jpa.JpaCatalogStore;
import dev.jitcolumns.keycloak.resource.ApiError;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/** Endpoints for the requesting user; every call needs the user's bearer token. */
public final class AccountApi {

    private final KeycloakSession session;
    private final AuthResult auth;

    AccountApi(KeycloakSession session) {
        this.session = session;
        this.auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        if (auth == null) {
            throw ApiError.unauthorized();
        }
    }

    @GET
    @Path("catalog")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, List<Datasource>> catalog() {
        return Map.of("datasources", new JpaCatalogStore(session).datasources(session.getContext().getRealm()));
    }
}
