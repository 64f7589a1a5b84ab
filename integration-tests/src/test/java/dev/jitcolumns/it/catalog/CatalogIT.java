package dev.jitcolumns.it.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalog: seeded from realm-config, read by users, managed by realm managers only. */
@ExtendWith(KeycloakHarness.class)
class CatalogIT {

    /** A policy with every field of the design set (two stages: one decided by a group, one by a realm role). */
    static Map<String, Object> fullPolicy(String id, int maxDurationMinutes) {
        return Jit.body("id", id, "name", "Every field " + id,
                "stages", List.of(Jit.body("name", "owners", "approverGroup", "/data-owners", "minApprovals", 2),
                        Jit.body("name", "approvers", "approverRole", "jit-columns-approver", "minApprovals", 1)),
                "maxDurationMinutes", maxDurationMinutes, "defaultDurationMinutes", 45, "pendingTimeoutMinutes", 720,
                "escalateAfterMinutes", 60, "escalationGroup", "/data-governance", "reasonMinLength", 15,
                "ticketPattern", "SEC-[0-9]{4}", "breakGlassMaxMinutes", 20);
    }

    static Map<String, Object> column(String datasource, String policy, String name) {
        return Jit.body("datasource", datasource, "schema", "public", "table", "invoices", "column", name,
                "label", "PCI", "description", "Bank account of " + name, "policy", policy);
    }

    static Http.Reply expect(int status, Http.Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        return reply;
    }

    /** Creates a datasource, a policy and a column of both, changes each, reads the changes back and deletes them. */
    static void createChangeAndDeleteOneOfEach(TestEnvironment env, String token) {
        String api = env.adminApi();
        String datasource = Jit.unique("ds");
        String policyId = Jit.unique("p");
        expect(201, Http.post(api + "/datasources", token, Map.of("id", datasource, "name", "Billing")));
        Map<String, Object> policy = fullPolicy(policyId, 120);
        expect(201, Http.post(api + "/policies", token, policy));
        Map<String, Object> column = column(datasource, policyId, "iban");
        String columnId = expect(201, Http.post(api + "/columns", token, column)).json().get("id").asText();

        expect(200, Http.put(api + "/datasources/" + datasource, token, Map.of("name", "Billing DB", "description", "Invoices")));
        policy.put("maxDurationMinutes", 90);
        expect(200, Http.put(api + "/policies/" + policyId, token, policy));
        column.put("label", "SECRET");
        expect(200, Http.put(api + "/columns/" + columnId, token, column));

        assertEquals("Billing DB", expect(200, Http.get(api + "/datasources/" + datasource, token)).json().get("name").asText());
        assertEquals(90, expect(200, Http.get(api + "/policies/" + policyId, token)).json().get("maxDurationMinutes").asInt());
        assertEquals("SECRET", expect(200, Http.get(api + "/columns/" + columnId, token)).json().get("label").asText());

        for (String path : List.of("/columns/" + columnId, "/policies/" + policyId, "/datasources/" + datasource)) {
            expect(204, Http.delete(api + path, token));
            expect(404, Http.get(api + path, token));
        }
    }

    @Nested
    class DemoCatalog {

        @Test
        void the_user_catalog_shows_the_seeded_analytics_columns(TestEnvironment env) {
            Http.Reply reply = Http.get(env.userApi() + "/catalog", env.tokenOf("analyst"));

            assertEquals(200, reply.status(), reply.toString());
            JsonNode analytics = null;
            for (JsonNode d : reply.json().get("datasources")) {
                if (d.get("id").asText().equals("analytics")) {
                    analytics = d;
                }
            }
            assertTrue(analytics != null, reply.toString());
            List<String> fqns = Jit.texts(analytics.get("columns"), "/fqn");
            assertTrue(fqns.containsAll(List.of(Jit.SSN, Jit.CARD, Jit.DOB, Jit.EMAIL)), fqns.toString());
            for (JsonNode c : analytics.get("columns")) {
                if (c.get("fqn").asText().equals(Jit.SSN)) {
                    assertEquals("PII", c.get("label").asText());
                    assertEquals("standard", c.get("policy").asText());
                    assertEquals(480, c.get("maxDurationMinutes").asInt());
                    assertEquals(List.of("data-owner", "security"), Jit.texts(c.at("/policySummary/stages"), "/name"));
                }
                if (c.get("fqn").asText().equals(Jit.EMAIL)) {
                    assertEquals(30, c.at("/policySummary/breakGlassMaxMinutes").asInt());
                }
            }
        }

        @Test
        void approvers_and_managers_read_the_admin_catalog(TestEnvironment env) {
            Http.Reply policies = Http.get(env.adminApi() + "/policies", env.tokenOf("owner"));
            assertEquals(200, policies.status(), policies.toString());
            assertTrue(Jit.texts(policies.json(), "/id").containsAll(List.of("standard", "personal-data")));
            Http.Reply standard = Http.get(env.adminApi() + "/policies/standard", env.tokenOf("admin"));
            assertEquals("/data-owners", standard.json().at("/stages/0/approverGroup").asText());
            assertEquals("[A-Z]+-[0-9]+", standard.json().get("ticketPattern").asText());
            assertEquals(200, Http.get(env.adminApi() + "/columns?datasource=analytics", env.tokenOf("admin")).status());
            assertEquals(403, Http.get(env.adminApi() + "/policies", env.tokenOf("analyst")).status());
        }
    }

    /** The catalog is cached per node; a change must reach the very next request. */
    @Nested
    class Changes {

        @Test
        void a_policy_or_column_change_applies_to_the_next_request(TestEnvironment env) {
            String fqn = Jit.columnWithPolicy(env, "/data-owners", 1, Map.of());
            String column = fqn.substring(fqn.lastIndexOf('.') + 1);
            String policy = column.substring(2).replace('_', '-');
            Map<String, Object> request = Jit.body("datasource", "analytics", "columns", List.of(fqn),
                    "reason", "Quarterly check", "durationMinutes", 60);
            Http.Reply pending = Jit.create(env, "analyst", request);
            assertEquals(201, pending.status(), pending.toString());

            Map<String, Object> stricter = Jit.body("id", policy, "name", "Stricter",
                    "stages", List.of(Jit.body("name", "approvers", "approverGroup", "/data-owners", "minApprovals", 1)),
                    "maxDurationMinutes", 30, "reasonMinLength", 5);
            assertEquals(200, Http.put(env.adminApi() + "/policies/" + policy, env.tokenOf("admin"), stricter).status());
            Http.Reply tooLong = Jit.create(env, "analyst", request);
            assertEquals(400, tooLong.status(), tooLong.toString());
            assertEquals("durationMinutes", tooLong.json().get("field").asText());

            String columnId = null;
            for (JsonNode c : Http.get(env.adminApi() + "/columns?datasource=analytics", env.tokenOf("admin")).json()) {
                columnId = c.get("fqn").asText().equals(fqn) ? c.get("id").asText() : columnId;
            }
            assertEquals(204, Http.delete(env.adminApi() + "/columns/" + columnId, env.tokenOf("admin")).status());
            Http.Reply gone = Jit.create(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(fqn),
                    "reason", "Quarterly check", "durationMinutes", 10));
            assertEquals(400, gone.status(), gone.toString());
            assertEquals("columns", gone.json().get("field").asText());
            // leave no request of analyst pending in the data owners' inbox (the browser story reads it)
            assertEquals(200, Http.post(env.userApi() + "/requests/" + pending.json().get("id").asText() + "/cancel",
                    env.tokenOf("analyst"), Map.of()).status());
        }
    }

    @Nested
    class ColumnTakenOut {

        @Test
        void a_pending_request_on_it_can_be_denied_not_approved(TestEnvironment env) {
            String column = Jit.columnWithPolicy(env, "/data-owners", 1, Map.of());
            String approve = Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                    "reason", "Check the column", "durationMinutes", 30)).get("id").asText();
            String deny = Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                    "reason", "Check the column", "durationMinutes", 30)).get("id").asText();
            String admin = env.tokenOf("admin");
            String columnId = null;
            for (JsonNode c : expect(200, Http.get(env.adminApi() + "/columns?datasource=analytics", admin)).json()) {
                columnId = c.get("fqn").asText().equals(column) ? c.get("id").asText() : columnId;
            }
            expect(204, Http.delete(env.adminApi() + "/columns/" + columnId, admin));

            Http.Reply approved = Jit.approve(env, env.tokenOf("owner"), approve);
            assertEquals(409, approved.status(), approved.toString());
            assertTrue(approved.json().get("message").asText().contains("no longer in the catalog"), approved.toString());
            assertEquals(200, Jit.deny(env, env.tokenOf("owner"), deny, "Column removed").status());
        }
    }

    @Nested
    class Management {

        @Test
        void a_manager_creates_reads_updates_and_deletes_a_datasource(TestEnvironment env) {
            String admin = env.tokenOf("admin");
            String id = Jit.unique("ds");

            Http.Reply created = Http.post(env.adminApi() + "/datasources", admin, Map.of("id", id, "name", "Billing"));
            assertEquals(201, created.status(), created.toString());
            assertTrue(created.header("Location").endsWith("/admin/realms/acme/jit-columns/datasources/" + id), created.header("Location"));
            assertEquals(409, Http.post(env.adminApi() + "/datasources", admin, Map.of("id", id, "name", "Again")).status());

            Http.Reply updated = Http.put(env.adminApi() + "/datasources/" + id, admin, Map.of("name", "Billing DB", "description", "d"));
            assertEquals(200, updated.status(), updated.toString());
            assertEquals("Billing DB", Http.get(env.adminApi() + "/datasources/" + id, admin).json().get("name").asText());

            assertEquals(204, Http.delete(env.adminApi() + "/datasources/" + id, admin).status());
            assertEquals(404, Http.get(env.adminApi() + "/datasources/" + id, admin).status());
            assertEquals(404, Http.delete(env.adminApi() + "/datasources/" + id, admin).status());
        }

        @Test
        void a_master_realm_administrator_manages_it_too(TestEnvironment env) {
            createChangeAndDeleteOneOfEach(env, env.masterAdminToken());
        }

        @Test
        void the_realm_role_jit_columns_admin_alone_manages_it(TestEnvironment env) {
            String username = Jit.unique("catalog");
            String userId = Jit.createUser(env, username);
            try {
                Jit.addRealmRole(env, userId, "jit-columns-admin");
                String token = env.tokenOf(username);
                assertEquals(403, Http.put(env.adminApi() + "/client-scope", token, "").status(), "not a realm manager");

                createChangeAndDeleteOneOfEach(env, token);
            } finally {
                Jit.deleteUser(env, userId);
            }
        }

        @Test
        void a_policy_keeps_every_field_of_the_design_through_create_read_and_update(TestEnvironment env) {
            String admin = env.tokenOf("admin");
            String id = Jit.unique("p");
            Map<String, Object> policy = fullPolicy(id, 120);

            Http.Reply created = expect(201, Http.post(env.adminApi() + "/policies", admin, policy));

            assertEquals(env.adminApi() + "/policies/" + id, created.header("Location"));
            assertEquals(Http.JSON.valueToTree(policy), created.json());
            assertEquals(Http.JSON.valueToTree(policy), expect(200, Http.get(created.header("Location"), admin)).json());

            Map<String, Object> changed = Jit.body("id", id, "name", "Changed " + id,
                    "stages", List.of(Jit.body("name", "security", "approverGroup", "/security-officers", "minApprovals", 1)),
                    "maxDurationMinutes", 240, "defaultDurationMinutes", 30, "pendingTimeoutMinutes", 60,
                    "escalateAfterMinutes", 20, "escalationGroup", "/data-owners", "reasonMinLength", 3,
                    "ticketPattern", "[A-Z]{3}-[0-9]+", "breakGlassMaxMinutes", 0);
            assertEquals(Http.JSON.valueToTree(changed), expect(200, Http.put(created.header("Location"), admin, changed)).json());
            assertEquals(Http.JSON.valueToTree(changed), Http.get(created.header("Location"), admin).json());
            expect(204, Http.delete(created.header("Location"), admin));
        }

        @Test
        void a_group_path_is_stored_as_keycloak_writes_it_so_that_its_members_see_their_requests(TestEnvironment env) {
            String admin = env.tokenOf("admin");
            String id = Jit.unique("p");
            Map<String, Object> policy = Jit.body("id", id, "name", "Loosely written " + id,
                    "stages", List.of(Jit.body("name", "owners", "approverGroup", "data-owners")),
                    "maxDurationMinutes", 60, "escalateAfterMinutes", 30, "escalationGroup", "/data-governance/");
            JsonNode created = expect(201, Http.post(env.adminApi() + "/policies", admin, policy)).json();
            assertEquals("/data-owners", created.at("/stages/0/approverGroup").asText());
            assertEquals("/data-governance", created.get("escalationGroup").asText());

            String column = "c_" + id.replace('-', '_');
            expect(201, Http.post(env.adminApi() + "/columns", admin, Jit.body("datasource", "analytics", "schema", "public",
                    "table", "test_data", "column", column, "label", "SECRET", "policy", id)));
            String request = Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns",
                    List.of("public.test_data." + column), "reason", "Check the path", "durationMinutes", 30)).get("id").asText();
            assertTrue(Jit.texts(expect(200, Http.get(env.adminApi() + "/requests?decidable=true&max=500", env.tokenOf("owner")))
                    .json(), "/id").contains(request), "in the inbox of the group's member");
            expect(400, Http.post(env.adminApi() + "/policies", admin, Jit.body("id", Jit.unique("p"), "name", "No such group",
                    "stages", List.of(Jit.body("name", "x", "approverGroup", "nobody-here")), "maxDurationMinutes", 60)));
        }

        @Test
        void a_column_is_created_at_its_location_and_read_by_its_id(TestEnvironment env) {
            String admin = env.tokenOf("admin");
            String policy = Jit.unique("p");
            expect(201, Http.post(env.adminApi() + "/policies", admin, fullPolicy(policy, 120)));
            Map<String, Object> column = column("analytics", policy, "c_" + policy.replace('-', '_'));

            Http.Reply created = expect(201, Http.post(env.adminApi() + "/columns", admin, column));

            String id = created.json().get("id").asText();
            assertEquals(env.adminApi() + "/columns/" + id, created.header("Location"));
            Map<String, Object> expected = new LinkedHashMap<>(column);
            expected.put("id", id);
            expected.put("fqn", "public.invoices." + column.get("column"));
            assertEquals(Http.JSON.valueToTree(expected), expect(200, Http.get(created.header("Location"), admin)).json());
            Http.Reply unknown = expect(404, Http.get(env.adminApi() + "/columns/" + UUID.randomUUID(), admin));
            assertEquals("not_found", unknown.json().get("error").asText());

            expect(204, Http.delete(created.header("Location"), admin));
            expect(204, Http.delete(env.adminApi() + "/policies/" + policy, admin));
        }

        @Test
        void things_in_use_are_not_deleted(TestEnvironment env) {
            String admin = env.tokenOf("admin");
            assertEquals(409, Http.delete(env.adminApi() + "/datasources/analytics", admin).status());
            assertEquals(409, Http.delete(env.adminApi() + "/policies/standard", admin).status());
        }

        @Test
        void columns_and_policies_are_managed(TestEnvironment env) {
            String admin = env.tokenOf("admin");
            String fqn = Jit.columnWithPolicy(env, "/data-owners", 1, Map.of("ticketPattern", "T-[0-9]+"));
            JsonNode column = null;
            for (JsonNode c : Http.get(env.adminApi() + "/columns", admin).json()) {
                if (c.get("fqn").asText().equals(fqn)) {
                    column = c;
                }
            }
            assertTrue(column != null);
            String id = column.get("id").asText();
            Map<String, Object> dup = Jit.body("datasource", "analytics", "schema", "public", "table", "test_data",
                    "column", column.get("column").asText(), "label", "PII", "policy", column.get("policy").asText());
            assertEquals(409, Http.post(env.adminApi() + "/columns", admin, dup).status());
            dup.put("label", "PHI");
            Http.Reply put = Http.put(env.adminApi() + "/columns/" + id, admin, dup);
            assertEquals(200, put.status(), put.toString());
            assertEquals("PHI", put.json().get("label").asText());
            assertEquals(204, Http.delete(env.adminApi() + "/columns/" + id, admin).status());
            assertEquals(204, Http.delete(env.adminApi() + "/policies/" + column.get("policy").asText(), admin).status());
        }
    }

    static Stream<Arguments> badCatalogBodies() {
        Map<String, Object> stage = Map.of("name", "s", "approverGroup", "/data-owners", "minApprovals", 1);
        return Stream.of(
                Arguments.of("policies", Jit.body("id", "BAD ID", "name", "x", "stages", List.of(stage), "maxDurationMinutes", 60), "id"),
                Arguments.of("policies", Jit.body("id", "p-nogroup", "name", "x", "stages", List.of(Map.of("name", "s", "approverGroup", "/nope")), "maxDurationMinutes", 60), "stages"),
                Arguments.of("policies", Jit.body("id", "p-nostages", "name", "x", "stages", List.of(), "maxDurationMinutes", 60), "stages"),
                Arguments.of("policies", Jit.body("id", "p-both", "name", "x", "stages", List.of(Map.of("name", "s", "approverGroup", "/data-owners", "approverRole", "jit-columns-admin")), "maxDurationMinutes", 60), "stages"),
                // roles every user holds (the realm's default role and what it contains): every user would approve
                Arguments.of("policies", Jit.body("id", "p-default-role", "name", "x", "stages", List.of(Map.of("name", "s", "approverRole", "default-roles-acme")), "maxDurationMinutes", 60), "stages"),
                Arguments.of("policies", Jit.body("id", "p-offline", "name", "x", "stages", List.of(Map.of("name", "s", "approverRole", "offline_access")), "maxDurationMinutes", 60), "stages"),
                Arguments.of("policies", Jit.body("id", "p-min", "name", "x", "stages", List.of(Map.of("name", "s", "approverGroup", "/data-owners", "minApprovals", 0)), "maxDurationMinutes", 60), "stages"),
                Arguments.of("policies", Jit.body("id", "p-max", "name", "x", "stages", List.of(stage), "maxDurationMinutes", 0), "maxDurationMinutes"),
                Arguments.of("policies", Jit.body("id", "p-regex", "name", "x", "stages", List.of(stage), "maxDurationMinutes", 60, "ticketPattern", "(["), "ticketPattern"),
                Arguments.of("policies", Jit.body("id", "p-bg", "name", "x", "stages", List.of(stage), "maxDurationMinutes", 60, "breakGlassMaxMinutes", 61), "breakGlassMaxMinutes"),
                Arguments.of("policies", Jit.body("id", "p-esc", "name", "x", "stages", List.of(stage), "maxDurationMinutes", 60, "escalateAfterMinutes", 10), "escalationGroup"),
                Arguments.of("columns", Jit.body("datasource", "nope", "schema", "public", "table", "t", "column", "c", "label", "PII", "policy", "standard"), "datasource"),
                Arguments.of("columns", Jit.body("datasource", "analytics", "schema", "public", "table", "t", "column", "c", "label", "PII", "policy", "nope"), "policy"),
                Arguments.of("columns", Jit.body("datasource", "analytics", "schema", "public", "table", "t; drop", "column", "c", "label", "PII", "policy", "standard"), "table"),
                Arguments.of("columns", Jit.body("datasource", "analytics", "schema", "public", "table", "t", "column", "c", "label", "", "policy", "standard"), "label"),
                Arguments.of("datasources", Jit.body("id", "x-1"), "name"),
                Arguments.of("datasources", "{oops", "body"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("badCatalogBodies")
    void bad_catalog_input_is_400_naming_the_field(String resource, Object body, String field, TestEnvironment env) {
        Http.Reply reply = Http.post(env.adminApi() + "/" + resource, env.tokenOf("admin"), body);

        assertEquals(400, reply.status(), reply.toString());
        assertEquals(field, reply.json().get("field").asText(), reply.toString());
    }

    /** Refusals aim at a catalog of the scenario's own; the whole catalog is read back after each. */
    @Nested
    class Authorisation {
        static String datasource;
        static String policy;
        static String columnId;

        @BeforeAll
        static void aCatalogOfItsOwn(TestEnvironment env) {
            String admin = env.tokenOf("admin");
            datasource = Jit.unique("ds");
            policy = Jit.unique("p");
            expect(201, Http.post(env.adminApi() + "/datasources", admin, Map.of("id", datasource, "name", "Refusals")));
            expect(201, Http.post(env.adminApi() + "/policies", admin, fullPolicy(policy, 120)));
            columnId = expect(201, Http.post(env.adminApi() + "/columns", admin, column(datasource, policy, "iban")))
                    .json().get("id").asText();
        }

        @AfterAll
        static void removeIt(TestEnvironment env) {
            String admin = env.tokenOf("admin");
            expect(204, Http.delete(env.adminApi() + "/columns/" + columnId, admin));
            expect(204, Http.delete(env.adminApi() + "/policies/" + policy, admin));
            expect(204, Http.delete(env.adminApi() + "/datasources/" + datasource, admin));
        }

        /** user, method, path (DS, POLICY, COLUMN stand for the scenario's own). */
        static Stream<Arguments> edits() {
            List<List<String>> edits = List.of(
                    List.of("POST", "datasources"), List.of("PUT", "datasources/DS"), List.of("DELETE", "datasources/DS"),
                    List.of("POST", "policies"), List.of("PUT", "policies/POLICY"), List.of("DELETE", "policies/POLICY"),
                    List.of("POST", "columns"), List.of("PUT", "columns/COLUMN"), List.of("DELETE", "columns/COLUMN"));
            return Stream.of("analyst", "owner").flatMap(user -> edits.stream().map(e -> Arguments.of(user, e.get(0), e.get(1))));
        }

        /** A valid body: the refusal is for who asks, not for what. */
        private static Object bodyFor(String path) {
            if (path.startsWith("datasources")) {
                return Map.of("id", path.contains("/") ? datasource : Jit.unique("ds"), "name", "Hijacked");
            }
            if (path.startsWith("policies")) {
                return fullPolicy(path.contains("/") ? policy : Jit.unique("p"), 480);
            }
            return column(datasource, policy, path.contains("/") ? "iban" : "other");
        }

        private static JsonNode catalog(TestEnvironment env) {
            String admin = env.tokenOf("admin");
            return Http.JSON.valueToTree(Map.of(
                    "datasources", expect(200, Http.get(env.adminApi() + "/datasources", admin)).json(),
                    "policies", expect(200, Http.get(env.adminApi() + "/policies", admin)).json(),
                    "columns", expect(200, Http.get(env.adminApi() + "/columns", admin)).json()));
        }

        @ParameterizedTest(name = "{0}: {1} {2}")
        @MethodSource("edits")
        void approvers_and_plain_users_do_not_edit_the_catalog(String user, String method, String path, TestEnvironment env) {
            JsonNode before = catalog(env);
            String url = env.adminApi() + "/" + path.replace("DS", datasource).replace("POLICY", policy).replace("COLUMN", columnId);
            String token = env.tokenOf(user);

            Http.Reply reply = switch (method) {
                case "POST" -> Http.post(url, token, bodyFor(path));
                case "PUT" -> Http.put(url, token, bodyFor(path));
                default -> Http.delete(url, token);
            };

            assertEquals(403, reply.status(), user + ": " + reply);
            assertEquals("forbidden", reply.json().get("error").asText());
            assertEquals(before, catalog(env), "the catalog is unchanged");
        }
    }
}
