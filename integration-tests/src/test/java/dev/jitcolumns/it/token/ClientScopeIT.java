package dev.jitcolumns.it.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code jit-columns} client scope: seeded in the demo realm, created on demand in others. */
@ExtendWith(KeycloakHarness.class)
class ClientScopeIT {

    @Test
    void the_demo_realm_has_it_with_our_mapper_as_an_optional_scope_of_the_client_its_attribute_names(TestEnvironment env) {
        JsonNode scope = scopeNamed(env, TestEnvironment.REALM);

        assertEquals("jit-columns-claims", scope.at("/protocolMappers/0/protocolMapper").asText(), scope.toString());
        String cli = Jit.clientUuid(env, TestEnvironment.CLI_CLIENT);
        Http.Reply optional = Http.get(Jit.stockAdmin(env) + "/clients/" + cli + "/optional-client-scopes", env.masterAdminToken());
        assertTrue(optional.body().contains("\"jit-columns\""), optional.toString());
        // a client the realm had when the scope was made, not named: its tokens never carry grants unless a manager says so
        String agent = Jit.clientUuid(env, "jit-columns-agent");
        Http.Reply agents = Http.get(Jit.stockAdmin(env) + "/clients/" + agent + "/optional-client-scopes", env.masterAdminToken());
        assertEquals(200, agents.status(), agents.toString());
        assertFalse(agents.body().contains("\"jit-columns\""), agents.toString());
    }

    @Test
    void the_demo_realm_gives_jit_columns_api_to_its_cli_as_its_attribute_names_it(TestEnvironment env) {
        String cli = Jit.clientUuid(env, TestEnvironment.CLI_CLIENT);
        Http.Reply defaults = Http.get(Jit.stockAdmin(env) + "/clients/" + cli + "/default-client-scopes", env.masterAdminToken());
        assertTrue(defaults.body().contains("\"jit-columns-api\""), defaults.toString());
        String agent = Jit.clientUuid(env, "jit-columns-agent");
        Http.Reply agents = Http.get(Jit.stockAdmin(env) + "/clients/" + agent + "/default-client-scopes", env.masterAdminToken());
        assertFalse(agents.body().contains("\"jit-columns-api\""), "a service account acts in its own name: " + agents);
    }

    @Test
    void another_realm_gets_it_once_from_a_realm_manager(TestEnvironment env) {
        String realm = Jit.unique("other");
        assertEquals(201, Http.post(env.keycloakUrl() + "/admin/realms", env.masterAdminToken(),
                Map.of("realm", realm, "enabled", true)).status());
        String url = env.keycloakUrl() + "/admin/realms/" + realm + "/jit-columns/client-scope";

        Http.Reply first = Http.put(url, env.masterAdminToken(), "");
        Http.Reply second = Http.put(url, env.masterAdminToken(), "");

        assertEquals(200, first.status(), first.toString());
        assertTrue(first.json().get("created").asBoolean());
        assertTrue(first.json().at("/apiScope/created").asBoolean(), first.toString());
        assertEquals("jit-columns-api", first.json().at("/apiScope/name").asText());
        assertFalse(second.json().get("created").asBoolean());
        assertFalse(second.json().at("/apiScope/created").asBoolean());
        assertEquals("jit-columns-claims", scopeNamed(env, realm).at("/protocolMappers/0/protocolMapper").asText());
    }

    @Test
    void is_refused_to_users_without_manage_realm(TestEnvironment env) {
        Http.Reply analyst = Http.put(env.adminApi() + "/client-scope", env.tokenOf("analyst"), "");
        Http.Reply catalogAdmin = Http.put(env.adminApi() + "/client-scope", env.tokenOf("owner"), "");

        assertEquals(403, analyst.status(), analyst.toString());
        assertEquals(403, catalogAdmin.status(), catalogAdmin.toString());
    }

    private static JsonNode scopeNamed(TestEnvironment env, String realm) {
        for (JsonNode scope : Http.get(env.keycloakUrl() + "/admin/realms/" + realm + "/client-scopes", env.masterAdminToken()).json()) {
            if ("jit-columns".equals(scope.get("name").asText())) {
                return scope;
            }
        }
        throw new AssertionError("no jit-columns client scope in realm " + realm);
    }
}
