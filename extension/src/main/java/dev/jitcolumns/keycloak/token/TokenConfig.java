package dev.jitcolumns.keycloak.token;

import org.keycloak.Config;

/**
 * Settings of {@code POST /token}, from {@code --spi-realm-restapi-extension--jit-columns--token-max-lifetime}
 * (seconds, default {@value #DEFAULT_MAX_LIFETIME}): the longest a database token may live, whatever the
 * realm's access token lifespan.
 */
public record TokenConfig(long maxLifetimeSeconds) {

    public static final long DEFAULT_MAX_LIFETIME = 300;

    public static TokenConfig from(Config.Scope scope) {
        long max = scope.getLong("token-max-lifetime", DEFAULT_MAX_LIFETIME);
        if (max <= 0) {
            throw new IllegalArgumentException("jit-columns: token-max-lifetime must be a positive number of seconds, not " + max);
        }
        return new TokenConfig(max);
    }
}
