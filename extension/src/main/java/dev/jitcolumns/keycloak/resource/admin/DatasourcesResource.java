package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.ChangeListener;
import dev.jitcolumns.keycloak.model.Datasource;
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

/** {@code /datasources} of the catalog. */
public final class DatasourcesResource extends AdminResource {

    DatasourcesResource(AdminResource parent) {
        super(parent);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response datasources() {
        return respond(() -> {
            authz.requireCatalogViewer();
            return store().datasources(realm).stream().map(Representations::datasource).toList();
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response datasource(@PathParam("id") String id) {
        return respond(() -> {
            authz.requireCatalogViewer();
            return Representations.datasource(store().datasource(realm, id).orElseThrow(() -> ApiError.notFound("No such datasource.")));
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createDatasource(InputStream body) {
        return created(() -> {
            authz.requireManager();
            Datasource d = CatalogInput.datasource(JsonBody.read(body, CatalogInput.DATASOURCE_FIELDS), null);
            if (store().datasource(realm, d.id()).isPresent()) {
                throw ApiError.conflict("A datasource " + d.id() + " exists.");
            }
            Datasource saved = store().saveDatasource(realm, d);
            configurationChanged(ChangeListener.Kind.CREATE, "DATASOURCE_CREATED", "datasources/" + saved.id(), Representations.datasource(saved));
            return Map.entry("datasources/" + saved.id(), Representations.datasource(saved));
        });
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response updateDatasource(@PathParam("id") String id, InputStream body) {
        return respond(() -> {
            authz.requireManager();
            Datasource d = CatalogInput.datasource(JsonBody.read(body, CatalogInput.DATASOURCE_FIELDS), id);
            store().datasource(realm, id).orElseThrow(() -> ApiError.notFound("No such datasource."));
            Datasource saved = store().saveDatasource(realm, d);
            configurationChanged(ChangeListener.Kind.UPDATE, "DATASOURCE_UPDATED", "datasources/" + id, Representations.datasource(saved));
            return Representations.datasource(saved);
        });
    }

    @DELETE
    @Path("{id}")
    public Response deleteDatasource(@PathParam("id") String id) {
        return deleted(() -> {
            authz.requireManager();
            store().datasource(realm, id).orElseThrow(() -> ApiError.notFound("No such datasource."));
            if (store().countColumnsUsing(realm, id, null) > 0) {
                throw ApiError.conflict("The datasource still has sensitive columns.");
            }
            store().deleteDatasource(realm, id);
            configurationChanged(ChangeListener.Kind.DELETE, "DATASOURCE_DELETED", "datasources/" + id, Map.of("id", id));
        });
    }
}
