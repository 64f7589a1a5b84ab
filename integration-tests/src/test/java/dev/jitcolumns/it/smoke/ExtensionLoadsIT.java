package dev.jitcolumns.it.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension jar loads into a real Keycloak 26.7.3 on PostgreSQL and each kind of provider answers. */
@ExtendWith(KeycloakHarness.class)
class ExtensionLoadsIT {

    @Test
    void server_info_lists_our_providers(TestEnvironment env) {
        JsonNode providers = Http.get(env.keycloakUrl() + "/admin/serverinfo", env.masterAdminToken()).json().get("providers");

        assertTrue(providers.at("/realm-restapi-extension/providers").has("jit-columns"), "user REST provider");
        assertTrue(providers.at("/admin-realm-restapi-extension/providers").has("jit-columns"), "admin REST provider");
        assertTrue(providers.at("/jpa-entity-provider/providers").has("jit-columns"), "JPA entity provider");
    }

    @Test
    void liquibase_created_our_tables_in_postgres(TestEnvironment env) throws Exception {
        try (Connection c = env.keycloakDatabase();
             ResultSet rs = c.createStatement().executeQuery(
                     "select table_name from information_schema.tables where table_name like 'jit\\_%' order by 1")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            assertTrue(tables.contains("jit_datasource"), "tables: " + tables);
        }
    }

    @Nested
    class UserApi {
        @Test
        void answers_401_without_a_token(TestEnvironment env) {
            Http.Reply reply = Http.get(env.userApi() + "/catalog", null);

            assertEquals(401, reply.status(), reply.toString());
            assertEquals("unauthorized", reply.json().get("error").asText());
        }

        @Test
        void answers_401_with_a_forged_token(TestEnvironment env) {
            String token = env.tokenOf("analyst");
            String forged = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";

            assertEquals(401, Http.get(env.userApi() + "/catalog", forged).status());
        }

        @Test
        void answers_a_user_with_a_token(TestEnvironment env) {
            Http.Reply reply = Http.get(env.userApi() + "/catalog", env.tokenOf("analyst"));

            assertEquals(200, reply.status(), reply.toString());
            assertTrue(reply.json().get("datasources").isArray(), reply.toString());
        }
    }

    @Nested
    class AdminApi {
        @Test
        void answers_401_without_a_token(TestEnvironment env) {
            assertEquals(401, Http.get(env.adminApi() + "/datasources", null).status());
        }

        @Test
        void answers_a_realm_manager(TestEnvironment env) {
            Http.Reply reply = Http.get(env.adminApi() + "/datasources", env.tokenOf("admin"));

            assertEquals(200, reply.status(), reply.toString());
            assertTrue(reply.json().isArray(), reply.toString());
        }

        @Test
        void refuses_a_user_without_admin_roles(TestEnvironment env) {
            assertEquals(403, Http.get(env.adminApi() + "/datasources", env.tokenOf("analyst")).status());
        }
    }
}
