package dev.jitcolumns.keycloak.resource.account;

import dev.jitcolumns.keycloak.token.TokenConfig;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** The user REST API at {@code /realms/{realm}/jit-columns}. */
public final class AccountApiProviderFactory implements RealmResourceProviderFactory {

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
