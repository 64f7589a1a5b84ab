package dev.jitcolumns.keycloak.token;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * Settings of the tokens that carry grants, from {@code --spi-realm-restapi-extension--jit-columns--token-max-lifetime}
 * (seconds, default {@value #DEFAULT_MAX_LIFETIME}): the longest such a token may live, whatever the realm's access
 * token lifespan. It applies to both routes: {@code POST /token} and ordinary OIDC tokens with the
 * {@code jit-columns} client scope. The option belongs to the user REST API's provider factory, which reads it
 * ({@link #from}) and hands it out ({@link Source}); the claims mapper finds it there ({@link #of}).
 */
public record TokenConfig(long maxLifetimeSeconds) {

    public static final long DEFAULT_MAX_LIFETIME = 300;
    public static final TokenConfig DEFAULT = new TokenConfig(DEFAULT_MAX_LIFETIME);

    /** The provider factory that reads the option from its {@link Config.Scope}. */
    public interface Source {
        TokenConfig tokenConfig();
    }

    public static TokenConfig from(Config.Scope scope) {
        long max = scope.getLong("token-max-lifetime", DEFAULT_MAX_LIFETIME);
        if (max <= 0) {
            throw new IllegalArgumentException("jit-columns: token-max-lifetime must be a positive number of seconds, not " + max);
        }
        return new TokenConfig(max);
    }

    /**
     * The setting as the user REST API's factory read it; the default when that provider is disabled. Call it
     * once every factory is initialised (from {@code postInit} on).
     */
    public static TokenConfig of(KeycloakSessionFactory factory) {
        return factory.getProviderFactoriesStream(RealmResourceProvider.class)
                .filter(Source.class::isInstance).map(f -> ((Source) f).tokenConfig())
                .findFirst().orElse(DEFAULT);
    }
}
