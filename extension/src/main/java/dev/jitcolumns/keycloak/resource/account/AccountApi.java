package dev.jitcolumns.keycloak.resource.account;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.AccessService;
import dev.jitcolumns.keycloak.model.DomainException;
import dev.jitcolumns.keycloak.model.Impersonation;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.model.Policy;
import dev.jitcolumns.keycloak.model.SensitiveColumn;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.resource.JsonBody;
import dev.jitcolumns.keycloak.resource.QueryParams;
import dev.jitcolumns.keycloak.resource.Representations;
import dev.jitcolumns.keycloak.token.ApiClientScope;
import dev.jitcolumns.keycloak.events.KeycloakEvents;
import dev.jitcolumns.keycloak.token.DatabaseTokens;
import dev.jitcolumns.keycloak.token.TokenConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * The requesting user's API at {@code /realms/{realm}/jit-columns}: bearer token of a user of the realm,
 * CORS for browsers on the origins of the token's client, errors {@code {error, field?, message}}.
 */
public final class AccountApi {

    private static final Set<String> REQUEST_FIELDS = Set.of("datasource", "columns", "reason", "ticket", "durationMinutes", "breakGlass");
    private static final Set<String> TOKEN_FIELDS = Set.of("datasource");
    private static final Set<String> EXTEND_FIELDS = Set.of("durationMinutes", "reason", "ticket");
    private static final int MAX_PAGE = 500;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final TokenConfig tokenConfig;
    private AuthResult auth;
    private Cors cors;

    AccountApi(KeycloakSession session, TokenConfig tokenConfig) {
        this.session = session;
        this.tokenConfig = tokenConfig;
        this.realm = session.getContext().getRealm();
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflight() {
        return Cors.builder().preflight().allowedMethods("GET", "POST", "OPTIONS").auth().add(Response.ok());
    }

    @GET
    @Path("catalog")
    @Produces(MediaType.APPLICATION_JSON)
    public Response catalog() {
        return respond(() -> {
            authenticate();
            JitColumnsStore store = store();
            Map<String, Policy> policies = new LinkedHashMap<>();
            store.policies(realm).forEach(p -> policies.put(p.id(), p));
            List<Map<String, Object>> datasources = store.datasources(realm).stream().map(d -> {
                Map<String, Object> m = Representations.datasource(d);
                m.put("columns", store.columnsOf(realm, d.id()).stream()
                        .filter(c -> policies.containsKey(c.policy()))
                        .map(c -> catalogColumn(c, policies.get(c.policy()))).toList());
                return m;
            }).toList();
            return Response.ok(Map.of("datasources", datasources));
        });
    }

    private static Map<String, Object> catalogColumn(SensitiveColumn c, Policy p) {
        Map<String, Object> m = Representations.column(c);
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("id", p.id());
        policy.put("name", p.name());
        policy.put("stages", p.stages().stream().map(Representations::stage).toList());
        policy.put("maxDurationMinutes", p.maxDurationMinutes());
        policy.put("defaultDurationMinutes", p.defaultDurationMinutes());
        policy.put("reasonMinLength", p.reasonMinLength());
        policy.put("ticketPattern", p.ticketPattern());
        policy.put("breakGlassMaxMinutes", p.breakGlassMaxMinutes());
        m.put("policySummary", policy);
        m.put("maxDurationMinutes", p.maxDurationMinutes());
        return m;
    }

    @POST
    @Path("requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        return respond(() -> {
            authenticate();
            JsonBody in = JsonBody.read(body, REQUEST_FIELDS);
            AccessService.NewRequest request = new AccessService.NewRequest(
                    in.string("datasource", true, 63), in.strings("columns", true), in.string("reason", true, 2048),
                    in.string("ticket", false, 255), in.integer("durationMinutes", false), in.bool("breakGlass"));
            AccessRequest created = service().create(auth.getUser(), request);
            return Response.created(location(created.id())).entity(Representations.request(created));
        });
    }

    @GET
    @Path("requests")
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("first") String first, @QueryParam("max") String max) {
        return respond(() -> {
            authenticate();
            return Response.ok(Representations.requests(store().requestsOf(realm, auth.getUser().getId(),
                    QueryParams.first(first), QueryParams.max(max, 100, MAX_PAGE))));
        });
    }

    @GET
    @Path("requests/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        return respond(() -> {
            authenticate();
            AccessRequest r = store().request(realm, id).filter(x -> x.requesterId().equals(auth.getUser().getId()))
                    .orElseThrow(() -> ApiError.notFound("No such request."));
            return Response.ok(Representations.request(r));
        });
    }

    @POST
    @Path("requests/{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    public Response cancel(@PathParam("id") String id) {
        return respond(() -> {
            authenticate();
            return Response.ok(Representations.request(service().cancel(auth.getUser(), id)));
        });
    }

    @POST
    @Path("requests/{id}/extend")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response extend(@PathParam("id") String id, InputStream body) {
        return respond(() -> {
            authenticate();
            JsonBody in = JsonBody.read(body, EXTEND_FIELDS);
            Integer duration = in.integer("durationMinutes", false);
            String reason = in.string("reason", true, 2048);
            AccessRequest created = service().extend(auth.getUser(), id, duration, reason, in.string("ticket", false, 255));
            return Response.created(location(created.id())).entity(Representations.request(created));
        });
    }

    @POST
    @Path("token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(InputStream body) {
        return respond(() -> {
            authenticate();
            String datasource = JsonBody.read(body, TOKEN_FIELDS).string("datasource", true, 63);
            return Response.ok(new DatabaseTokens(session, realm, tokenConfig).issue(auth.getUser(),
                    auth.getClient().getClientId(), datasource, KeycloakEvents.user(session, realm, auth)));
        });
    }

    @GET
    @Path("grants")
    @Produces(MediaType.APPLICATION_JSON)
    public Response grants() {
        return respond(() -> {
            authenticate();
            return Response.ok(store().activeGrants(realm, auth.getUser().getId()).stream().map(Representations::grant).toList());
        });
    }

    /**
     * Runs a call; our refusals become their status and body, with the CORS headers for an origin that
     * {@link #authenticate()} allowed.
     */
    private Response respond(Supplier<Response.ResponseBuilder> call) {
        cors = Cors.builder().auth().allowedMethods("GET", "POST", "OPTIONS").exposedHeaders("Location");
        Response.ResponseBuilder rb;
        try {
            rb = call.get();
        } catch (DomainException e) {
            rb = Response.fromResponse(ApiError.from(e).getResponse());
        } catch (WebApplicationException e) {
            rb = Response.fromResponse(e.getResponse());
        }
        return cors.add(rb);
    }

    /**
     * The caller's bearer token; a browser's call from an origin that is not a Web Origin of the token's client (nor
     * Keycloak's own) is refused here, before anything is read or written, and its answer carries no CORS header.
     * Without a valid token there is no client to ask: the 401 is readable from any origin, as Keycloak's own
     * endpoints answer before they know the client, so that a page can tell an expired token from a network failure.
     */
    private void authenticate() {
        auth = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        if (auth == null) {
            cors.allowAllOrigins();
            throw ApiError.unauthorized();
        }
        try {
            cors.checkAllowedOrigins(auth.getToken());
        } catch (ForbiddenException e) {
            throw ApiError.forbidden("This origin is not a web origin of the client the token was issued to.");
        }
        if (auth.getUser().getServiceAccountClientLink() != null) {
            // as Keycloak's own account API: a client's secret (the agent's, say) must not become a requester
            throw ApiError.forbidden("Service accounts do not request access to columns.");
        }
        if (!ApiClientScope.mayActForUsers(auth.getClient(), auth.getToken())) {
            throw ApiError.forbidden(ApiClientScope.refusal(auth.getClient()));
        }
        if (!"GET".equals(session.getContext().getHttpRequest().getHttpMethod())) {
            Impersonation.requireInPerson(Impersonation.impersonatorOf(auth.getSession()), auth.getUser().getUsername());
        }
    }

    private java.net.URI location(String id) {
        return UriBuilder.fromUri(session.getContext().getUri().getBaseUri())
                .path("realms").path(realm.getName()).path(AccountApiProviderFactory.PROVIDER_ID)
                .path("requests").path(id).build();
    }

    private JitColumnsStore store() {
        return session.getProvider(JitColumnsStore.class);
    }

    private AccessService service() {
        return new AccessService(session, realm, KeycloakEvents.user(session, realm, auth));
    }

}
