package dev.jitcolumns.agent;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the agent needs: the realm it trusts, the service account it reads the feed with, and the databases it keeps
 * in step (each reached as a role holding {@code jit_columns_admin}).
 *
 * @param realmUrl     e.g. {@code https://sso.example.com/realms/acme}: the tokens' issuer
 * @param interval     between two runs; a revocation reaches the databases within about this long
 * @param purgeEvery   between two calls of {@code jit_columns.purge()}
 */
public record AgentSettings(URI realmUrl, String clientId, String clientSecret, List<Database> databases,
                            Duration interval, Duration purgeEvery) {

    public record Database(String jdbcUrl, String user, String password) {
    }

    static final String USAGE = """
            jit-columns agent: keeps protected PostgreSQL databases in step with a Keycloak realm (its JWKS and the
            grants revoked there). Settings, from the environment:
              JIT_AGENT_REALM_URL      the realm, e.g. https://sso.example.com/realms/acme          (required)
              JIT_AGENT_CLIENT_ID      its client with a service account holding jit-columns-sync  (jit-columns-agent)
              JIT_AGENT_CLIENT_SECRET  that client's secret                                        (required)
              JIT_AGENT_DATABASES      JDBC URLs of the protected databases, comma-separated       (required)
              JIT_AGENT_DB_USER        a role holding jit_columns_admin in each of them            (required)
              JIT_AGENT_DB_PASSWORD    its password
              JIT_AGENT_INTERVAL       seconds between two runs                                    (5)
              JIT_AGENT_PURGE          seconds between two calls of jit_columns.purge()           (300)
            """;

    public AgentSettings {
        if (databases.isEmpty()) {
            throw new IllegalArgumentException("JIT_AGENT_DATABASES: at least one JDBC URL is needed");
        }
        if (interval.isNegative() || interval.isZero() || purgeEvery.isNegative() || purgeEvery.isZero()) {
            throw new IllegalArgumentException("JIT_AGENT_INTERVAL and JIT_AGENT_PURGE must be positive");
        }
    }

    /** Reads the settings above; an {@link IllegalArgumentException} names the first missing or malformed one. */
    public static AgentSettings fromEnvironment(Map<String, String> env) {
        URI realm = realmUrl(required(env, "JIT_AGENT_REALM_URL"));
        String user = required(env, "JIT_AGENT_DB_USER");
        String password = env.getOrDefault("JIT_AGENT_DB_PASSWORD", "");
        List<Database> databases = Arrays.stream(required(env, "JIT_AGENT_DATABASES").split(","))
                .map(String::strip).filter(url -> !url.isEmpty())
                .map(url -> new Database(jdbcUrl(url), user, password)).toList();
        return new AgentSettings(realm, env.getOrDefault("JIT_AGENT_CLIENT_ID", "jit-columns-agent"),
                required(env, "JIT_AGENT_CLIENT_SECRET"), databases,
                seconds(env, "JIT_AGENT_INTERVAL", 5), seconds(env, "JIT_AGENT_PURGE", 300));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value.strip();
    }

    private static URI realmUrl(String value) {
        URI uri;
        try {
            uri = URI.create(value.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JIT_AGENT_REALM_URL is not a URL: " + value);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getPath() == null
                || !uri.getPath().matches(".*/realms/[^/]+")) {
            throw new IllegalArgumentException("JIT_AGENT_REALM_URL must be a realm's URL, http(s)://host/realms/<realm>: " + value);
        }
        return uri;
    }

    private static String jdbcUrl(String value) {
        if (!value.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("JIT_AGENT_DATABASES: not a PostgreSQL JDBC URL: " + value);
        }
        return value;
    }

    private static Duration seconds(Map<String, String> env, String name, int otherwise) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return Duration.ofSeconds(otherwise);
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of seconds: " + value);
        }
    }

    /** {@code .../realms/acme} to {@code .../admin/realms/acme}: where the realm's admin API lives. */
    URI adminApi() {
        String s = realmUrl.toString();
        int at = s.lastIndexOf("/realms/");
        return URI.create(s.substring(0, at) + "/admin" + s.substring(at) + "/jit-columns");
    }
}
