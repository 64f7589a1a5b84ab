package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.DomainException;
import dev.jitcolumns.keycloak.model.Grant;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.resource.QueryParams;
import dev.jitcolumns.keycloak.resource.Representations;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code /revocations}: what the agent applies to the protected databases. */
public final class RevocationFeed extends AdminResource {

    private static final Duration FEED_AFTER_END = Duration.ofMinutes(10);
    private static final int FEED_PAGE = 1_000;
    private static final int MAX_FEED_PAGE = 10_000;

    RevocationFeed(AdminResource parent) {
        super(parent);
    }

    /**
     * The feed the agent applies to the protected databases ({@code jit_columns.revoke_grant}): grants revoked while
     * a token may still carry them. Tokens never outlive their grants, so a revoked grant leaves the feed
     * {@link #FEED_AFTER_END} after the end it had. Paged in revocation order: a full page carries a
     * {@code Link: <...>; rel="next"} header to the page after its last entry.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response revocations(@QueryParam("after") String after, @QueryParam("max") String max) {
        try {
            authz.requireSync();
            int m = QueryParams.max(max, FEED_PAGE, MAX_FEED_PAGE);
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
}
