package dev.jitcolumns.keycloak.resource.account;

import dev.jitcolumns.keycloak.token.TokenConfig;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The user REST API at {@code /realms/{realm}/jit-columns}. */
public final class AccountApiProviderFactory implements RealmResourceProviderFactory, ServerInfoAwareProviderFactory,
        TokenConfig.Source {

    public static final String PROVIDER_ID = "jit-columns";

    private TokenConfig tokenConfig;

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new AccountApi(session, tokenConfig);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        tokenConfig = TokenConfig.from(config);
    }

    @Override
    public TokenConfig tokenConfig() {
        return tokenConfig;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return Map.of("token-max-lifetime", Long.toString(tokenConfig.maxLifetimeSeconds()));
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("token-max-lifetime").type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(TokenConfig.DEFAULT_MAX_LIFETIME)
                .helpText("Longest lifetime, in seconds, of a token carrying grants: from POST /token and from the jit-columns client scope.").add()
                .build();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
