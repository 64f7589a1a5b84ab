package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.ChangeListener;
import dev.jitcolumns.keycloak.model.Policy;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.resource.JsonBody;
import dev.jitcolumns.keycloak.resource.Representations;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;

/** {@code /policies} of the catalog: who approves which columns, and on what terms. */
public final class PoliciesResource extends AdminResource {

    PoliciesResource(AdminResource parent) {
        super(parent);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response policies() {
        return respond(() -> {
            authz.requireCatalogViewer();
            return store().policies(realm).stream().map(Representations::policy).toList();
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response policy(@PathParam("id") String id) {
        return respond(() -> {
            authz.requireCatalogViewer();
            return Representations.policy(store().policy(realm, id).orElseThrow(() -> ApiError.notFound("No such policy.")));
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createPolicy(InputStream body) {
        return created(() -> {
            authz.requireManager();
            Policy p = CatalogInput.policy(JsonBody.read(body, CatalogInput.POLICY_FIELDS), null, session, realm);
            if (store().policy(realm, p.id()).isPresent()) {
                throw ApiError.conflict("A policy " + p.id() + " exists.");
            }
            Policy saved = store().savePolicy(realm, p);
            configurationChanged(ChangeListener.Kind.CREATE, "POLICY_CREATED", "policies/" + saved.id(), Representations.policy(saved));
            return Map.entry("policies/" + saved.id(), Representations.policy(saved));
        });
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response updatePolicy(@PathParam("id") String id, InputStream body) {
        return respond(() -> {
            authz.requireManager();
            Policy p = CatalogInput.policy(JsonBody.read(body, CatalogInput.POLICY_FIELDS), id, session, realm);
            store().policy(realm, id).orElseThrow(() -> ApiError.notFound("No such policy."));
            Policy saved = store().savePolicy(realm, p);
            configurationChanged(ChangeListener.Kind.UPDATE, "POLICY_UPDATED", "policies/" + id, Representations.policy(saved));
            return Representations.policy(saved);
        });
    }

    @DELETE
    @Path("{id}")
    public Response deletePolicy(@PathParam("id") String id) {
        return deleted(() -> {
            authz.requireManager();
            store().policy(realm, id).orElseThrow(() -> ApiError.notFound("No such policy."));
            if (store().countColumnsUsing(realm, null, id) > 0) {
                throw ApiError.conflict("Sensitive columns still use this policy.");
            }
            store().deletePolicy(realm, id);
            configurationChanged(ChangeListener.Kind.DELETE, "POLICY_DELETED", "policies/" + id, Map.of("id", id));
        });
    }
}
