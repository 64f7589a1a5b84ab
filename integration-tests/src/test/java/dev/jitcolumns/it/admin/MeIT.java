package dev.jitcolumns.it.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GET /admin/realms/{realm}/jit-columns/me}: what the caller may use, which the admin console shows its pages
 * from. Each answer is checked against the API itself: a call of each kind is refused (403) exactly when the answer
 * says no.
 */
@ExtendWith(KeycloakHarness.class)
class MeIT {

    /** A call that needs each capability; none changes anything (the datasource does not exist). */
    private static final Map<String, String[]> PROBES = new LinkedHashMap<>();

    static {
        PROBES.put("requests", new String[] {"GET", "/requests?max=1"});
        PROBES.put("grants", new String[] {"GET", "/grants?max=1"});
        PROBES.put("viewCatalog", new String[] {"GET", "/datasources"});
        PROBES.put("manageCatalog", new String[] {"DELETE", "/datasources/no-such-datasource"});
        PROBES.put("webhook", new String[] {"GET", "/webhook"});
        PROBES.put("audit", new String[] {"GET", "/audit?max=1"});
    }

    /** Who (demo users by name, the others created here) to username. */
    private static final Map<String, String> USERS = new HashMap<>(Map.of("admin", "admin", "owner", "owner", "analyst", "analyst"));
    private static final List<String> CREATED = new ArrayList<>();

    @BeforeAll
    static void users(TestEnvironment env) {
        String catalogAdmin = Jit.unique("catalog-admin");
        String id = Jit.createUser(env, catalogAdmin);
        Jit.addRealmRole(env, id, "jit-columns-admin");
        CREATED.add(id);
        USERS.put("jit-columns-admin only", catalogAdmin);

        String viewer = Jit.unique("viewer");
        id = Jit.createUser(env, viewer);
        addRealmManagementRole(env, id, "view-realm");
        CREATED.add(id);
        USERS.put("view-realm only", viewer);
    }

    @AfterAll
    static void removeUsers(TestEnvironment env) {
        CREATED.forEach(id -> Jit.deleteUser(env, id));
    }

    /** Who, and what they may use (the rest is false). */
    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("admin", "requests grants viewCatalog manageCatalog webhook audit"),
                Arguments.of("jit-columns-admin only", "requests grants viewCatalog manageCatalog audit"),
                Arguments.of("owner", "requests grants viewCatalog"),
                Arguments.of("view-realm only", "viewCatalog"),
                Arguments.of("analyst", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void the_answer_is_what_the_api_lets_the_caller_do(String who, String allowed, TestEnvironment env) {
        String token = env.tokenOf(USERS.get(who));
        Http.Reply me = Http.get(env.adminApi() + "/me", token);
        assertEquals(200, me.status(), me.toString());

        Map<String, Boolean> answer = new LinkedHashMap<>();
        me.json().fields().forEachRemaining(e -> answer.put(e.getKey(), e.getValue().asBoolean()));
        Map<String, Boolean> wanted = new LinkedHashMap<>();
        PROBES.keySet().forEach(capability -> wanted.put(capability, List.of(allowed.split(" ")).contains(capability)));
        assertEquals(wanted, answer, who);

        PROBES.forEach((capability, probe) -> {
            String url = env.adminApi() + probe[1];
            Http.Reply reply = probe[0].equals("GET") ? Http.get(url, token) : Http.delete(url, token);
            assertEquals(!answer.get(capability), reply.status() == 403, who + ", " + capability + ": " + reply);
        });
    }

    private static void addRealmManagementRole(TestEnvironment env, String userId, String role) {
        String master = env.masterAdminToken();
        String clients = Jit.stockAdmin(env) + "/clients";
        String realmManagement = Http.get(clients + "?clientId=realm-management", master).json().get(0).get("id").asText();
        JsonNode representation = Http.get(clients + "/" + realmManagement + "/roles/" + role, master).json();
        assertEquals(204, Http.post(Jit.stockAdmin(env) + "/users/" + userId + "/role-mappings/clients/" + realmManagement, master,
                List.of(Map.of("id", representation.get("id").asText(), "name", role))).status());
    }
}
