package dev.jitcolumns.keycloak.token;

import dev.jitcolumns.keycloak.model.Grant;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.Urls;

/**
 * Mints the token of {@code POST /token}: for one datasource, signed with the realm's active RS256 key (the
 * realm JWKS verifies it), living no longer than the realm's access token lifespan, the configured maximum
 * and the earliest of the grants it carries.
 */
public final class DatabaseTokenMinter {

    public record Minted(String token, String jti, long expiresIn, List<String> columns, List<String> grantIds) {}

    /**
     * The token's {@code typ}. Not {@code Bearer}: Keycloak accepts a Bearer token of its realm on its own APIs (and
     * ours), and this one is handed to databases, whose logs may keep it; with it, nobody can sign in to Keycloak.
     */
    public static final String TOKEN_TYPE = "JIT-Columns-Database";

    private final KeycloakSession session;
    private final long maxLifetimeSeconds;

    public DatabaseTokenMinter(KeycloakSession session, long maxLifetimeSeconds) {
        this.session = session;
        this.maxLifetimeSeconds = maxLifetimeSeconds;
    }

    /** @param grants the user's active grants on {@code datasource}, at least one */
    public Minted mint(RealmModel realm, UserModel user, String azp, String datasource, List<Grant> grants) {
        long now = Instant.now().getEpochSecond();
        AccessToken token = new AccessToken();
        token.id(UUID.randomUUID().toString());
        token.issuer(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        token.subject(user.getId());
        token.type(TOKEN_TYPE);
        token.issuedFor(azp);
        token.iat(now);
        token.exp(now + realm.getAccessTokenLifespan());
        token.setPreferredUsername(user.getUsername());
        GrantClaims claims = GrantClaims.of(grants);
        claims.applyTo(token, GrantClaims.COLUMNS_CLAIM, GrantClaims.GRANTS_CLAIM, maxLifetimeSeconds);

        SignatureProvider rs256 = session.getProvider(SignatureProvider.class, Algorithm.RS256);
        String jwt = new JWSBuilder().type("JWT").jsonContent(token).sign(rs256.signer());
        return new Minted(jwt, token.getId(), token.getExp() - now,
                claims.columnsByDatasource().get(datasource), claims.grantIds());
    }
}
