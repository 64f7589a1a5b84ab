package dev.jitcolumns.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("JIT_AGENT_REALM_URL", "https://sso.example.com/auth/realms/acme/");
        env.put("JIT_AGENT_CLIENT_SECRET", "s3cret");
        env.put("JIT_AGENT_DATABASES", "jdbc:postgresql://db1/analytics, jdbc:postgresql://db2/billing");
        env.put("JIT_AGENT_DB_USER", "jit_agent");
        return env;
    }

    @Test
    void reads_the_environment_with_defaults() {
        AgentSettings s = AgentSettings.fromEnvironment(complete());

        assertEquals("https://sso.example.com/auth/realms/acme", s.realmUrl().toString());
        assertEquals("https://sso.example.com/auth/admin/realms/acme/jit-columns", s.adminApi().toString());
        assertEquals("jit-columns-agent", s.clientId());
        assertEquals(List.of("jdbc:postgresql://db1/analytics", "jdbc:postgresql://db2/billing"),
                s.databases().stream().map(AgentSettings.Database::jdbcUrl).toList());
        assertEquals(Duration.ofSeconds(5), s.interval());
        assertEquals(Duration.ofMinutes(5), s.purgeEvery());
    }

    @Test
    void each_missing_or_malformed_setting_is_named() {
        for (String required : List.of("JIT_AGENT_REALM_URL", "JIT_AGENT_CLIENT_SECRET", "JIT_AGENT_DATABASES", "JIT_AGENT_DB_USER")) {
            Map<String, String> env = complete();
            env.remove(required);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentSettings.fromEnvironment(env));
            assertEquals(required + " is not set", e.getMessage());
        }
        assertRefused("JIT_AGENT_REALM_URL", "https://sso.example.com/", "must be a realm's URL");
        assertRefused("JIT_AGENT_REALM_URL", "ftp://sso.example.com/realms/acme", "must be a realm's URL");
        assertRefused("JIT_AGENT_DATABASES", "jdbc:mysql://db/x", "not a PostgreSQL JDBC URL");
        assertRefused("JIT_AGENT_DATABASES", " , ", "at least one JDBC URL");
        assertRefused("JIT_AGENT_INTERVAL", "soon", "JIT_AGENT_INTERVAL must be a number of seconds");
        assertRefused("JIT_AGENT_INTERVAL", "0", "must be positive");
    }

    private static void assertRefused(String name, String value, String message) {
        Map<String, String> env = complete();
        env.put(name, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentSettings.fromEnvironment(env));
        assertEquals(true, e.getMessage().contains(message), e.getMessage());
    }
}
