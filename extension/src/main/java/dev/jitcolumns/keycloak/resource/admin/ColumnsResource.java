package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.ChangeListener;
import dev.jitcolumns.keycloak.model.SensitiveColumn;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** {@code /columns} of the catalog: the sensitive columns users may ask for. */
public final class ColumnsResource extends AdminResource {

    ColumnsResource(AdminResource parent) {
        super(parent);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response columns(@QueryParam("datasource") String datasource) {
        return respond(() -> {
            authz.requireCatalogViewer();
            List<SensitiveColumn> columns = datasource == null ? store().columns(realm) : store().columnsOf(realm, datasource);
            return columns.stream().map(Representations::column).toList();
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response column(@PathParam("id") String id) {
        return respond(() -> {
            authz.requireCatalogViewer();
            return Representations.column(store().column(realm, id).orElseThrow(() -> ApiError.notFound("No such column.")));
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createColumn(InputStream body) {
        return created(() -> {
            authz.requireManager();
            SensitiveColumn c = checkColumn(CatalogInput.column(JsonBody.read(body, CatalogInput.COLUMN_FIELDS), null), null);
            SensitiveColumn saved = store().saveColumn(realm, c);
            configurationChanged(ChangeListener.Kind.CREATE, "COLUMN_CREATED", "columns/" + saved.id(), Representations.column(saved));
            return Map.entry("columns/" + saved.id(), Representations.column(saved));
        });
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response updateColumn(@PathParam("id") String id, InputStream body) {
        return respond(() -> {
            authz.requireManager();
            SensitiveColumn c = CatalogInput.column(JsonBody.read(body, CatalogInput.COLUMN_FIELDS), id);
            store().column(realm, id).orElseThrow(() -> ApiError.notFound("No such column."));
            SensitiveColumn saved = store().saveColumn(realm, checkColumn(c, id));
            configurationChanged(ChangeListener.Kind.UPDATE, "COLUMN_UPDATED", "columns/" + id, Representations.column(saved));
            return Representations.column(saved);
        });
    }

    private SensitiveColumn checkColumn(SensitiveColumn c, String id) {
        if (store().datasource(realm, c.datasource()).isEmpty()) {
            throw ApiError.badRequest("datasource", "Unknown datasource '" + c.datasource() + "'.");
        }
        if (store().policy(realm, c.policy()).isEmpty()) {
            throw ApiError.badRequest("policy", "Unknown policy '" + c.policy() + "'.");
        }
        boolean duplicate = store().columnsOf(realm, c.datasource()).stream()
                .anyMatch(x -> x.fqn().equals(c.fqn()) && !x.id().equals(id));
        if (duplicate) {
            throw ApiError.conflict("The column " + c.fqn() + " of " + c.datasource() + " is already in the catalog.");
        }
        return c;
    }

    @DELETE
    @Path("{id}")
    public Response deleteColumn(@PathParam("id") String id) {
        return deleted(() -> {
            authz.requireManager();
            if (!store().deleteColumn(realm, id)) {
                throw ApiError.notFound("No such column.");
            }
            configurationChanged(ChangeListener.Kind.DELETE, "COLUMN_DELETED", "columns/" + id, Map.of("id", id));
        });
    }
}
