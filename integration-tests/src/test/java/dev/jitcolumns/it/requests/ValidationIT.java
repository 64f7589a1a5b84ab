package dev.jitcolumns.it.requests;

import static dev.jitcolumns.it.support.Jit.CARD;
import static dev.jitcolumns.it.support.Jit.EMAIL;
import static dev.jitcolumns.it.support.Jit.SSN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input: 400 naming the field, and nothing written. */
@ExtendWith(KeycloakHarness.class)
class ValidationIT {

    static Map<String, Object> ssn(Object... overrides) {
        Map<String, Object> body = new HashMap<>(Jit.ssnRequest());
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                body.remove((String) overrides[i]);
            } else {
                body.put((String) overrides[i], overrides[i + 1]);
            }
        }
        return body;
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("unknown datasource", ssn("datasource", "nope"), "datasource"),
                Arguments.of("datasource missing", ssn("datasource", null), "datasource"),
                Arguments.of("column not in the catalog", ssn("columns", List.of("public.customers.name")), "columns"),
                Arguments.of("unknown column shape", ssn("columns", List.of("garbage")), "columns"),
                Arguments.of("empty column list", ssn("columns", List.of()), "columns"),
                Arguments.of("duplicate columns", ssn("columns", List.of(SSN, SSN)), "columns"),
                Arguments.of("duration zero", ssn("durationMinutes", 0), "durationMinutes"),
                Arguments.of("duration negative", ssn("durationMinutes", -5), "durationMinutes"),
                Arguments.of("duration above policy maximum", ssn("durationMinutes", 481), "durationMinutes"),
                Arguments.of("strictest union: maximum of the stricter policy", ssn("columns", List.of(SSN, EMAIL), "durationMinutes", 300), "durationMinutes"),
                Arguments.of("reason too short", ssn("reason", "short"), "reason"),
                Arguments.of("reason missing", ssn("reason", null), "reason"),
                Arguments.of("reason with control characters", ssn("reason", "Investigating \u0000\u0007 fraud case 42"), "reason"),
                Arguments.of("ticket not matching", ssn("ticket", "ticket 7"), "ticket"),
                Arguments.of("ticket missing where a pattern is set", ssn("ticket", null), "ticket"),
                Arguments.of("duration of wrong type", ssn("durationMinutes", "60"), "durationMinutes"),
                Arguments.of("duration not an integer", ssn("durationMinutes", 1.5), "durationMinutes"),
                Arguments.of("columns of wrong type", ssn("columns", SSN), "columns"),
                Arguments.of("column of wrong type", ssn("columns", List.of(1)), "columns"),
                Arguments.of("breakGlass of wrong type", ssn("breakGlass", "yes"), "breakGlass"),
                Arguments.of("break glass not allowed by the policy", ssn("breakGlass", true), "breakGlass"),
                Arguments.of("break glass longer than allowed", Jit.body("datasource", "analytics", "columns", List.of(EMAIL),
                        "reason", "Production incident 99", "durationMinutes", 31, "breakGlass", true), "durationMinutes"),
                Arguments.of("unknown field", ssn("admin", true), "admin"),
                Arguments.of("malformed JSON", "{\"datasource\": ", "body"),
                Arguments.of("not an object", "[1,2]", "body"),
                Arguments.of("oversized body", ssn("reason", "x".repeat(70 * 1024)), "body"),
                Arguments.of("two columns, one unknown", ssn("columns", List.of(CARD, "public.orders.total")), "columns"));
    }

    static long rows(TestEnvironment env, String table) throws Exception {
        try (Connection c = env.keycloakDatabase();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void a_bad_request_is_400_naming_the_field_and_writes_nothing(String name, Object body, String field, TestEnvironment env) throws Exception {
        long requests = rows(env, "JIT_REQUEST");
        long audit = rows(env, "JIT_AUDIT");

        Http.Reply reply = Jit.create(env, "analyst", body);

        assertEquals(400, reply.status(), reply.toString());
        JsonNode error = reply.json();
        assertEquals("invalid_request", error.get("error").asText());
        assertEquals(field, error.get("field").asText(), reply.toString());
        assertFalse(error.get("message").asText().isBlank());
        assertFalse(reply.body().contains("Exception"), "no internals in messages");
        assertEquals(requests, rows(env, "JIT_REQUEST"), "nothing half-written");
        assertEquals(audit, rows(env, "JIT_AUDIT"), "nothing audited");
    }

    /** PostgreSQL's text cannot hold U+0000: any text field refuses it before anything is written. */
    @Test
    void a_nul_character_in_a_text_is_400_naming_the_field(TestEnvironment env) {
        String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

        Http.Reply denied = Jit.deny(env, env.tokenOf("owner"), id, "Not\u0000 now");

        assertEquals(400, denied.status(), denied.toString());
        assertEquals("comment", denied.json().get("field").asText(), denied.toString());
        assertEquals("PENDING", Http.get(env.adminApi() + "/requests/" + id, env.tokenOf("admin")).json().get("status").asText());
    }

    @Nested
    class Authentication {

        @Test
        void no_token_is_401(TestEnvironment env) {
            Http.Reply reply = Http.post(env.userApi() + "/requests", null, Jit.ssnRequest());
            assertEquals(401, reply.status());
            assertEquals("unauthorized", reply.json().get("error").asText());
        }

        @Test
        void a_garbage_token_is_401_on_both_apis(TestEnvironment env) {
            assertEquals(401, Http.get(env.userApi() + "/grants", "not.a.token").status());
            Http.Reply admin = Http.get(env.adminApi() + "/requests", "not.a.token");
            assertEquals(401, admin.status());
            // Keycloak's admin root refuses it before our resource runs: its own error body, as the README says.
            assertEquals("HTTP 401 Unauthorized", admin.json().get("error").asText(), admin.toString());
        }
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("admin", "owner", "/requests?max=ten", "max"),
                Arguments.of("admin", "owner", "/requests?first=-x", "first"),
                Arguments.of("admin", "owner", "/requests?decidable=yes", "decidable"),
                Arguments.of("admin", "owner", "/requests?decidable=true&status=APPROVED", "status"),
                Arguments.of("admin", "owner", "/requests?status=maybe", "status"),
                Arguments.of("admin", "owner", "/grants?active=1", "active"),
                Arguments.of("admin", "owner", "/grants?max=1e3", "max"),
                Arguments.of("admin", "admin", "/audit?max=all", "max"),
                Arguments.of("admin", "admin", "/audit?from=%2B999999999-01-01T00:00:00Z", "from"),
                Arguments.of("admin", "admin", "/audit?format=csv&to=-999999999-01-01T00:00:00Z", "to"),
                Arguments.of("admin", "admin", "/revocations?max=%20five", "max"),
                Arguments.of("user", "analyst", "/requests?max=ten", "max"),
                Arguments.of("user", "analyst", "/requests?first=1.5", "first"));
    }

    /** JAX-RS would answer 404 for a value it cannot convert, and read active=1 as false: every list. */
    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("badQueries")
    void a_bad_query_parameter_is_400_naming_it(String api, String user, String query, String field, TestEnvironment env) {
        Http.Reply reply = Http.get((api.equals("admin") ? env.adminApi() : env.userApi()) + query, env.tokenOf(user));
        assertEquals(400, reply.status(), reply.toString());
        assertEquals(field, reply.json().get("field").asText(), reply.toString());
    }

    @Nested
    class Defaults {

        @Test
        void duration_defaults_to_the_policy_default(TestEnvironment env) {
            JsonNode created = Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(EMAIL),
                    "reason", "Default duration please"));
            assertEquals(60, created.get("durationMinutes").asInt());
        }

        /** What one request may name: its grant and its audit entry keep the names in columns of a bounded length. */
        @Test
        void a_request_names_at_most_fifty_columns(TestEnvironment env) {
            String column = Jit.columnWithPolicy(env, "/data-owners", 1, Map.of());
            String admin = env.tokenOf("admin");
            List<String> columns = new java.util.ArrayList<>(List.of(column));
            for (int i = 1; i <= 50; i++) {
                columns.add(Jit.addColumn(env, admin, Jit.policyOf(column), "test_data",
                        column.substring("public.test_data.".length()) + "_" + i));
            }
            Http.Reply tooMany = Jit.create(env, "analyst", Jit.body("datasource", "analytics", "columns", columns,
                    "reason", "All of the test data", "durationMinutes", 30));
            assertEquals(400, tooMany.status(), tooMany.toString());
            assertEquals("columns", tooMany.json().get("field").asText(), tooMany.toString());
            Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", columns.subList(0, 50),
                    "reason", "All of the test data", "durationMinutes", 30));
        }

        /** A ticket is checked as it is kept: without the blanks around it, and blank is none. */
        @Test
        void a_ticket_is_checked_as_it_is_kept(TestEnvironment env) {
            String required = Jit.columnWithPolicy(env, "/data-owners", 1, Map.of("ticketPattern", ".+"));
            Http.Reply blank = Jit.create(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(required),
                    "reason", "Checking the ticket rules", "ticket", "   ", "durationMinutes", 30));
            assertEquals(400, blank.status(), blank.toString());
            assertEquals("ticket", blank.json().get("field").asText(), blank.toString());

            String incident = Jit.columnWithPolicy(env, "/data-owners", 1, Map.of("ticketPattern", "INC-[0-9]+"));
            JsonNode padded = Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(incident),
                    "reason", "Checking the ticket rules", "ticket", " INC-7 ", "durationMinutes", 30));
            assertEquals("INC-7", padded.get("ticket").asText(), padded.toString());
        }

        @Test
        void columns_of_two_policies_need_every_stage_of_each(TestEnvironment env) {
            JsonNode created = Jit.created(env, "analyst", ssn("columns", List.of(EMAIL, SSN)));
            assertEquals(List.of("data-owner", "security"), Jit.texts(created.get("stages"), "/name"));
        }
    }
}
