package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.audit.AuditChain;
import dev.jitcolumns.keycloak.audit.AuditCsv;
import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.AccessService;
import dev.jitcolumns.keycloak.model.AuditEntry;
import dev.jitcolumns.keycloak.model.ChangeListener;
import dev.jitcolumns.keycloak.model.Datasource;
import dev.jitcolumns.keycloak.model.Decision;
import dev.jitcolumns.keycloak.model.DomainException;
import dev.jitcolumns.keycloak.model.Grant;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.model.Policy;
import dev.jitcolumns.keycloak.model.RequestStatus;
import dev.jitcolumns.keycloak.model.SensitiveColumn;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.resource.JsonBody;
import dev.jitcolumns.keycloak.resource.Representations;
import dev.jitcolumns.keycloak.events.KeycloakEvents;
import dev.jitcolumns.keycloak.token.JitColumnsClientScope;
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
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Approvers and catalog managers at {@code /admin/realms/{realm}/jit-columns}. Every check is ours ({@link JitAuthorizer}). */
public final class AdminApi {

    private static final Set<String> COMMENT_FIELDS = Set.of("comment");
    private static final Set<String> REVOKE_FIELDS = Set.of("reason");
    private static final int MAX_PAGE = 500;
    /** Longer than any database's clock leeway for {@code exp}. */
    private static final Duration FEED_AFTER_END = Duration.ofMinutes(10);
    private static final int FEED_PAGE = 1_000;
    private static final int MAX_FEED_PAGE = 10_000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final JitAuthorizer authz;
    private final ChangeListener events;

    AdminApi(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.authz = new JitAuthorizer(session, realm, auth);
        this.events = KeycloakEvents.admin(realm, adminEvent);
    }

    // ------------------------------------------------------------------ requests

    @GET
    @Path("requests")
    @Produces(MediaType.APPLICATION_JSON)
    public Response requests(@QueryParam("status") String status, @QueryParam("decidable") boolean decidable,
                             @QueryParam("first") Integer first, @QueryParam("max") Integer max) {
        return respond(() -> {
            int f = first == null ? 0 : Math.max(0, first);
            int m = max == null ? 100 : Math.min(Math.max(1, max), MAX_PAGE);
            if (decidable) {
                return Representations.requests(store().decidableRequests(realm, authz.approverKeys(), authz.user().getId(), f, m));
            }
            RequestStatus s = parseStatus(status);
            if (authz.isManager()) {
                return Representations.requests(store().requests(realm, s, f, m));
            }
            if (!authz.isApprover()) {
                throw ApiError.forbidden("Only approvers and catalog managers see requests.");
            }
            return Representations.requests(store().requests(realm, s, f, m).stream()
                    .filter(r -> authz.isApproverOf(r.stages())).toList());
        });
    }

    @GET
    @Path("requests/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response request(@PathParam("id") String id) {
        return respond(() -> {
            AccessRequest r = store().request(realm, id).orElseThrow(() -> ApiError.notFound("No such request."));
            if (!authz.isManager() && !authz.isApproverOf(r.stages())) {
                throw ApiError.forbidden("You are not an approver of this request.");
            }
            return Representations.request(r);
        });
    }

    private static RequestStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return RequestStatus.valueOf(status.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("status", "status must be one of " + List.of(RequestStatus.values()) + ".");
        }
    }

    @POST
    @Path("requests/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response approve(@PathParam("id") String id, InputStream body) {
        return respond(() -> {
            JsonBody in = JsonBody.read(body, COMMENT_FIELDS);
            return Representations.request(requireRealmUserService().decide(authz.user(), id, Decision.APPROVED,
                    in.string("comment", false, 2048)));
        });
    }

    @POST
    @Path("requests/{id}/deny")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response deny(@PathParam("id") String id, InputStream body) {
        return respond(() -> {
            JsonBody in = JsonBody.read(body, COMMENT_FIELDS);
            String comment = in.string("comment", true, 2048);
            return Representations.request(requireRealmUserService().decide(authz.user(), id, Decision.DENIED, comment));
        });
    }

    private AccessService requireRealmUserService() {
        if (!authz.isRealmUser()) {
            throw ApiError.forbidden("Only users of this realm decide its requests.");
        }
        return service();
    }

    // ------------------------------------------------------------------ grants

    @GET
    @Path("grants")
    @Produces(MediaType.APPLICATION_JSON)
    public Response grants(@QueryParam("active") boolean active, @QueryParam("first") Integer first, @QueryParam("max") Integer max) {
        return respond(() -> {
            int f = first == null ? 0 : Math.max(0, first);
            int m = max == null ? 100 : Math.min(Math.max(1, max), MAX_PAGE);
            if (!authz.isManager() && !authz.isApprover()) {
                throw ApiError.forbidden("Only approvers and catalog managers see grants.");
            }
            List<Grant> grants = store().grants(realm, active, f, m);
            if (!authz.isManager()) {
                grants = grants.stream().filter(g -> store().request(realm, g.requestId())
                        .map(r -> authz.isApproverOf(r.stages())).orElse(false)).toList();
            }
            return grants.stream().map(Representations::grant).toList();
        });
    }

    @POST
    @Path("grants/{id}/revoke")
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

    /**
     * The feed the agent applies to the protected databases ({@code jit_columns.revoke_grant}): grants revoked while
     * a token may still carry them. Tokens never outlive their grants, so a revoked grant leaves the feed
     * {@link #FEED_AFTER_END} after the end it had. Paged in revocation order: a full page carries a
     * {@code Link: <...>; rel="next"} header to the page after its last entry.
     */
    @GET
    @Path("revocations")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revocations(@QueryParam("after") String after, @QueryParam("max") Integer max) {
        try {
            authz.requireSync();
            int m = max == null ? FEED_PAGE : Math.min(Math.max(1, max), MAX_FEED_PAGE);
            List<Grant> page = store().revokedGrants(realm, Instant.now().minus(FEED_AFTER_END), FeedCursor.parse(after), m);
            Response.ResponseBuilder ok = Response.ok(page.stream().map(Representations::revocation).toList(),
                    MediaType.APPLICATION_JSON_TYPE);
            if (page.size() == m) {
                URI next = session.getContext().getUri().getRequestUriBuilder()
                        .replaceQueryParam("after", FeedCursor.format(JitColumnsStore.FeedPosition.of(page.get(m - 1))))
                        .replaceQueryParam("max", m).build();
                ok.link(next, "next");
            }
            return ok.build();
        } catch (DomainException e) {
            throw ApiError.from(e);
        }
    }

    // ------------------------------------------------------------------ catalog: datasources

    @GET
    @Path("datasources")
    @Produces(MediaType.APPLICATION_JSON)
    public Response datasources() {
        return respond(() -> {
            authz.requireCatalogViewer();
            return store().datasources(realm).stream().map(Representations::datasource).toList();
        });
    }

    @GET
    @Path("datasources/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response datasource(@PathParam("id") String id) {
        return respond(() -> {
            authz.requireCatalogViewer();
            return Representations.datasource(store().datasource(realm, id).orElseThrow(() -> ApiError.notFound("No such datasource.")));
        });
    }

    @POST
    @Path("datasources")
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
            catalogChanged(ChangeListener.Kind.CREATE, "DATASOURCE_CREATED", "datasources/" + saved.id(), Representations.datasource(saved));
            return Map.entry("datasources/" + saved.id(), Representations.datasource(saved));
        });
    }

    @PUT
    @Path("datasources/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response updateDatasource(@PathParam("id") String id, InputStream body) {
        return respond(() -> {
            authz.requireManager();
            Datasource d = CatalogInput.datasource(JsonBody.read(body, CatalogInput.DATASOURCE_FIELDS), id);
            store().datasource(realm, id).orElseThrow(() -> ApiError.notFound("No such datasource."));
            Datasource saved = store().saveDatasource(realm, d);
            catalogChanged(ChangeListener.Kind.UPDATE, "DATASOURCE_UPDATED", "datasources/" + id, Representations.datasource(saved));
            return Representations.datasource(saved);
        });
    }

    @DELETE
    @Path("datasources/{id}")
    public Response deleteDatasource(@PathParam("id") String id) {
        return deleted(() -> {
            authz.requireManager();
            store().datasource(realm, id).orElseThrow(() -> ApiError.notFound("No such datasource."));
            if (store().countColumnsUsing(realm, id, null) > 0) {
                throw ApiError.conflict("The datasource still has sensitive columns.");
            }
            store().deleteDatasource(realm, id);
            catalogChanged(ChangeListener.Kind.DELETE, "DATASOURCE_DELETED", "datasources/" + id, Map.of("id", id));
        });
    }

    // ------------------------------------------------------------------ catalog: policies

    @GET
    @Path("policies")
    @Produces(MediaType.APPLICATION_JSON)
    public Response policies() {
        return respond(() -> {
            authz.requireCatalogViewer();
            return store().policies(realm).stream().map(Representations::policy).toList();
        });
    }

    @GET
    @Path("policies/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response policy(@PathParam("id") String id) {
        return respond(() -> {
            authz.requireCatalogViewer();
            return Representations.policy(store().policy(realm, id).orElseThrow(() -> ApiError.notFound("No such policy.")));
        });
    }

    @POST
    @Path("policies")
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
            catalogChanged(ChangeListener.Kind.CREATE, "POLICY_CREATED", "policies/" + saved.id(), Representations.policy(saved));
            return Map.entry("policies/" + saved.id(), Representations.policy(saved));
        });
    }

    @PUT
    @Path("policies/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response updatePolicy(@PathParam("id") String id, InputStream body) {
        return respond(() -> {
            authz.requireManager();
            Policy p = CatalogInput.policy(JsonBody.read(body, CatalogInput.POLICY_FIELDS), id, session, realm);
            store().policy(realm, id).orElseThrow(() -> ApiError.notFound("No such policy."));
            Policy saved = store().savePolicy(realm, p);
            catalogChanged(ChangeListener.Kind.UPDATE, "POLICY_UPDATED", "policies/" + id, Representations.policy(saved));
            return Representations.policy(saved);
        });
    }

    @DELETE
    @Path("policies/{id}")
    public Response deletePolicy(@PathParam("id") String id) {
        return deleted(() -> {
            authz.requireManager();
            store().policy(realm, id).orElseThrow(() -> ApiError.notFound("No such policy."));
            if (store().countColumnsUsing(realm, null, id) > 0) {
                throw ApiError.conflict("Sensitive columns still use this policy.");
            }
            store().deletePolicy(realm, id);
            catalogChanged(ChangeListener.Kind.DELETE, "POLICY_DELETED", "policies/" + id, Map.of("id", id));
        });
    }

    // ------------------------------------------------------------------ catalog: columns

    @GET
    @Path("columns")
    @Produces(MediaType.APPLICATION_JSON)
    public Response columns(@QueryParam("datasource") String datasource) {
        return respond(() -> {
            authz.requireCatalogViewer();
            List<SensitiveColumn> columns = datasource == null ? store().columns(realm) : store().columnsOf(realm, datasource);
            return columns.stream().map(Representations::column).toList();
        });
    }

    @GET
    @Path("columns/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response column(@PathParam("id") String id) {
        return respond(() -> {
            authz.requireCatalogViewer();
            return Representations.column(store().column(realm, id).orElseThrow(() -> ApiError.notFound("No such column.")));
        });
    }

    @POST
    @Path("columns")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createColumn(InputStream body) {
        return created(() -> {
            authz.requireManager();
            SensitiveColumn c = checkColumn(CatalogInput.column(JsonBody.read(body, CatalogInput.COLUMN_FIELDS), null), null);
            SensitiveColumn saved = store().saveColumn(realm, c);
            catalogChanged(ChangeListener.Kind.CREATE, "COLUMN_CREATED", "columns/" + saved.id(), Representations.column(saved));
            return Map.entry("columns/" + saved.id(), Representations.column(saved));
        });
    }

    @PUT
    @Path("columns/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response updateColumn(@PathParam("id") String id, InputStream body) {
        return respond(() -> {
            authz.requireManager();
            SensitiveColumn c = CatalogInput.column(JsonBody.read(body, CatalogInput.COLUMN_FIELDS), id);
            store().column(realm, id).orElseThrow(() -> ApiError.notFound("No such column."));
            SensitiveColumn saved = store().saveColumn(realm, checkColumn(c, id));
            catalogChanged(ChangeListener.Kind.UPDATE, "COLUMN_UPDATED", "columns/" + id, Representations.column(saved));
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
    @Path("columns/{id}")
    public Response deleteColumn(@PathParam("id") String id) {
        return deleted(() -> {
            authz.requireManager();
            if (!store().deleteColumn(realm, id)) {
                throw ApiError.notFound("No such column.");
            }
            catalogChanged(ChangeListener.Kind.DELETE, "COLUMN_DELETED", "columns/" + id, Map.of("id", id));
        });
    }

    private void catalogChanged(ChangeListener.Kind kind, String action, String path, Map<String, Object> representation) {
        service().auditCatalog(authz.user(), action, Map.of("resource", path, "value", representation));
        events.changed(kind, action, path, representation);
    }

    // ------------------------------------------------------------------ client scope

    /** Creates the {@code jit-columns} client scope in realms set up without the catalog attribute. Idempotent. */
    @PUT
    @Path("client-scope")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ensureClientScope() {
        return respond(() -> {
            authz.requireRealmManager();
            boolean created = JitColumnsClientScope.ensure(realm);
            ClientScopeModel scope = JitColumnsClientScope.find(realm).orElseThrow();
            Map<String, Object> representation = Map.of("id", scope.getId(), "name", scope.getName(), "created", created);
            if (created) {
                catalogChanged(ChangeListener.Kind.CREATE, "CLIENT_SCOPE_CREATED", "client-scope", representation);
            }
            return representation;
        });
    }

    // ------------------------------------------------------------------ audit

    @GET
    @Path("audit")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response audit(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("format") String format) {
        try {
            authz.requireManager();
            Instant f = instant("from", from);
            Instant t = instant("to", to);
            String fmt = format == null || format.isBlank() ? "json" : format.strip().toLowerCase(java.util.Locale.ROOT);
            store().sealAudit(realm);
            List<AuditEntry> entries = store().audit(realm, f, t);
            return switch (fmt) {
                case "json" -> Response.ok(entries.stream().map(Representations::audit).toList(), MediaType.APPLICATION_JSON_TYPE).build();
                case "csv" -> Response.ok(AuditCsv.write(entries), "text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"jit-columns-audit.csv\"").build();
                default -> throw ApiError.badRequest("format", "format must be json or csv.");
            };
        } catch (DomainException e) {
            throw ApiError.from(e);
        }
    }

    @GET
    @Path("audit/verify")
    @Produces(MediaType.APPLICATION_JSON)
    public Response verify() {
        return respond(() -> {
            authz.requireManager();
            // Seals what is committed, and holds the chain head until this request ends: a consistent view.
            store().sealAudit(realm);
            AuditEntry head = store().auditHead(realm);
            List<AuditEntry> all = store().audit(realm, null, null);
            List<AuditEntry> sealed = all.stream().filter(AuditChain::isSealed).toList();
            AuditChain.Verification v = AuditChain.verify(sealed,
                    head == null ? 0 : head.seq(), head == null ? null : head.hash());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", v.ok());
            m.put("entries", v.entries());
            m.put("pending", all.size() - sealed.size());
            m.put("brokenAt", v.brokenAtSeq());
            m.put("problem", v.problem());
            m.put("headHash", v.headHash());
            return m;
        });
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(field, field + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z.");
        }
    }

    // ------------------------------------------------------------------ plumbing

    private Response respond(Supplier<Object> call) {
        try {
            return Response.ok(call.get(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (DomainException e) {
            throw ApiError.from(e);
        }
    }

    private Response created(Supplier<Map.Entry<String, Map<String, Object>>> call) {
        try {
            Map.Entry<String, Map<String, Object>> e = call.get();
            return Response.created(session.getContext().getUri().getAbsolutePathBuilder().replacePath(
                    session.getContext().getUri().getBaseUri().getPath()).path("admin/realms").path(realm.getName())
                    .path("jit-columns").path(e.getKey()).build()).entity(e.getValue()).type(MediaType.APPLICATION_JSON_TYPE).build();
        } catch (DomainException e) {
            throw ApiError.from(e);
        }
    }

    private Response deleted(Runnable call) {
        try {
            call.run();
            return Response.noContent().build();
        } catch (DomainException e) {
            throw ApiError.from(e);
        }
    }

    private JitColumnsStore store() {
        return session.getProvider(JitColumnsStore.class);
    }

    private AccessService service() {
        return new AccessService(session, realm, events);
    }
}
