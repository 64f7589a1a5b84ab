package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.AccessService;
import dev.jitcolumns.keycloak.model.Decision;
import dev.jitcolumns.keycloak.model.RequestStatus;
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
import java.util.Locale;
import java.util.Set;

/** {@code /requests}: what approvers see and decide. */
public final class RequestsResource extends AdminResource {

    private static final Set<String> COMMENT_FIELDS = Set.of("comment");

    RequestsResource(AdminResource parent) {
        super(parent);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response requests(@QueryParam("status") String status, @QueryParam("decidable") String decidable,
                             @QueryParam("first") String first, @QueryParam("max") String max) {
        return respond(() -> {
            int f = QueryParams.first(first);
            int m = maxOf(max);
            RequestStatus s = parseStatus(status);
            if (QueryParams.flag("decidable", decidable)) {
                if (s != null && s != RequestStatus.PENDING) {
                    throw ApiError.badRequest("status", "Decidable requests are PENDING: leave status out or give PENDING.");
                }
                return Representations.requests(store().decidableRequests(realm, authz.approverKeys(), authz.user().getId(), f, m));
            }
            if (authz.isManager()) {
                return Representations.requests(store().requests(realm, s, f, m));
            }
            if (!authz.isApprover()) {
                throw ApiError.forbidden("Only approvers and catalog managers see requests.");
            }
            return Representations.requests(store().requestsForApprover(realm, s, authz.approverKeys(), f, m));
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response request(@PathParam("id") String id) {
        return respond(() -> {
            // A request the caller may not see answers as one that does not exist: its id tells nothing.
            AccessRequest r = store().request(realm, id).filter(found -> authz.isManager() || authz.isApproverOf(found.stages()))
                    .orElseThrow(() -> ApiError.notFound("No such request."));
            return Representations.request(r);
        });
    }

    private static RequestStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return RequestStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("status", "status must be one of " + List.of(RequestStatus.values()) + ".");
        }
    }

    @POST
    @Path("{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response approve(@PathParam("id") String id, InputStream body) {
        return decide(id, body, Decision.APPROVED);
    }

    /** A denial says why: its comment is required. */
    @POST
    @Path("{id}/deny")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response deny(@PathParam("id") String id, InputStream body) {
        return decide(id, body, Decision.DENIED);
    }

    private Response decide(String id, InputStream body, Decision decision) {
        return respond(() -> {
            String comment = JsonBody.read(body, COMMENT_FIELDS).string("comment", decision == Decision.DENIED, 2048);
            return Representations.request(requireRealmUserService().decide(authz.user(), id, decision, comment));
        });
    }

    private AccessService requireRealmUserService() {
        if (!authz.isRealmUser()) {
            throw ApiError.forbidden("Only users of this realm decide its requests.");
        }
        if (authz.user().getServiceAccountClientLink() != null) {
            // A decision is a person's: a client's service account in an approver group would let whoever holds the
            // client's secret decide, on their own requests too, and name no person in the audit.
            throw ApiError.forbidden("Service accounts do not decide requests: a person of the stage's approvers does.");
        }
        return service();
    }
}
