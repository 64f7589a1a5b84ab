package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.Grant;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.resource.JsonBody;
import dev.jitcolumns.keycloak.resource.QueryParams;
import dev.jitcolumns.keycloak.resource.Representations;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

/** {@code /grants}: the grants approvers and managers see, and their revocation. */
public final class GrantsResource extends AdminResource {

    private static final Set<String> REVOKE_FIELDS = Set.of("reason");

    GrantsResource(AdminResource parent) {
        super(parent);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response grants(@QueryParam("active") String activeOnly, @QueryParam("first") String first, @QueryParam("max") String max) {
        return respond(() -> {
            boolean active = QueryParams.flag("active", activeOnly);
            int f = QueryParams.first(first);
            int m = maxOf(max);
            if (!authz.isManager() && !authz.isApprover()) {
                throw ApiError.forbidden("Only approvers and catalog managers see grants.");
            }
            List<Grant> grants = authz.isManager() ? store().grants(realm, active, f, m)
                    : store().grantsForApprover(realm, active, authz.approverKeys(), f, m);
            return grants.stream().map(Representations::grant).toList();
        });
    }

    @POST
    @Path("{id}/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(@PathParam("id") String id, InputStream body) {
        return respond(() -> {
            JsonBody in = JsonBody.read(body, REVOKE_FIELDS);
            String reason = in.string("reason", true, 2048);
            Grant g = store().grant(realm, id).orElseThrow(() -> ApiError.notFound("No such grant."));
            if (!authz.isManager()) {
                AccessRequest origin = store().request(realm, g.requestId()).orElseThrow();
                if (!authz.isApproverOf(origin.stages())) {
                    throw ApiError.forbidden("Only catalog managers and approvers of the request revoke its grant.");
                }
            }
            return Representations.grant(service().revoke(authz.user(), id, reason));
        });
    }
}
