package dev.jitcolumns.keycloak.token;

import dev.jitcolumns.keycloak.model.CachedGrants;
import dev.jitcolumns.keycloak.model.Impersonation;
import java.util.List;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.AccessToken;

/**
 * Puts the user's active grants into access tokens (and introspection answers) of the clients that have
 * the {@code jit-columns} client scope. Runs on every issue and refresh, so an ended grant drops out. A token that
 * carries grants lives no longer than {@code token-max-lifetime}, as one from {@code POST /token} does, and is audited
 * ({@link ScopeTokenAudit}).
 */
public final class JitColumnsClaimsMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "jit-columns-claims";
    static final String COLUMNS_CLAIM_NAME = "jit.columns.claim.name";
    static final String GRANTS_CLAIM_NAME = "jit.grants.claim.name";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(COLUMNS_CLAIM_NAME).label("Columns claim name")
            .helpText("Claim listing the granted columns by datasource (schema.table.column).")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue(GrantClaims.COLUMNS_CLAIM).add()
            .property().name(GRANTS_CLAIM_NAME).label("Grants claim name")
            .helpText("Claim listing the ids of the grants the token carries (the database checks them against revocations).")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue(GrantClaims.GRANTS_CLAIM).add()
            .build();

    /** Read once every provider factory is initialised: the same setting {@code POST /token} uses. */
    private volatile TokenConfig tokenConfig = TokenConfig.DEFAULT;

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        tokenConfig = TokenConfig.of(factory);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "jit-columns grants";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the user's active just-in-time column grants, with each datasource as an audience; "
                + "lowers the token's expiry to the earliest grant end and to the configured token-max-lifetime.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel mapping, KeycloakSession session,
                                            UserSessionModel userSession, ClientSessionContext context) {
        GrantClaims claims = addGrants(token, mapping, session, userSession);
        if (!claims.isEmpty()) {
            ScopeTokenAudit.issued(session, userSession, context.getClientSession(), token, claims);
        }
        return token;
    }

    @Override
    public AccessToken transformIntrospectionToken(AccessToken token, ProtocolMapperModel mapping, KeycloakSession session,
                                                   UserSessionModel userSession, ClientSessionContext context) {
        addGrants(token, mapping, session, userSession);
        return token;
    }

    /** The user's grants, none under impersonation (see {@link Impersonation}). */
    private GrantClaims addGrants(AccessToken token, ProtocolMapperModel mapping, KeycloakSession session,
                                  UserSessionModel userSession) {
        GrantClaims claims = GrantClaims.of(Impersonation.impersonatorOf(userSession).isPresent() ? List.of()
                : CachedGrants.active(session, userSession.getRealm(), userSession.getUser()));
        claims.applyTo(token,
                mapping.getConfig().getOrDefault(COLUMNS_CLAIM_NAME, GrantClaims.COLUMNS_CLAIM),
                mapping.getConfig().getOrDefault(GRANTS_CLAIM_NAME, GrantClaims.GRANTS_CLAIM),
                tokenConfig.maxLifetimeSeconds());
        return claims;
    }

    /** The mapper as the {@code jit-columns} client scope carries it. */
    public static ProtocolMapperModel model() {
        ProtocolMapperModel model = new ProtocolMapperModel();
        model.setName("jit-columns grants");
        model.setProtocol("openid-connect");
        model.setProtocolMapper(PROVIDER_ID);
        model.setConfig(new java.util.HashMap<>(java.util.Map.of(
                COLUMNS_CLAIM_NAME, GrantClaims.COLUMNS_CLAIM,
                GRANTS_CLAIM_NAME, GrantClaims.GRANTS_CLAIM,
                "access.token.claim", "true",
                "introspection.token.claim", "true")));
        return model;
    }
}
