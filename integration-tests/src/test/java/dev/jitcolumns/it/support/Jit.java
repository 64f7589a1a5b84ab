package dev.jitcolumns.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.TestEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shortcuts over the real REST APIs shared by the jit-columns ITs (no shortcut around HTTP). */
public final class Jit {

    public static final String SSN = "public.customers.ssn";
    public static final String CARD = "public.customers.card_number";
    public static final String EMAIL = "public.customers.email";
    public static final String DOB = "public.customers.date_of_birth";

    private Jit() {
    }

    public static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A valid request for the two-stage ssn column. */
    public static Map<String, Object> ssnRequest() {
        return body("datasource", "analytics", "columns", List.of(SSN), "reason", "Investigating fraud case 42",
                "ticket", "INC-1234", "durationMinutes", 60);
    }

    /** A valid request for the one-stage email column. */
    public static Map<String, Object> emailRequest() {
        return body("datasource", "analytics", "columns", List.of(EMAIL), "reason", "Customer asked for export",
                "durationMinutes", 30);
    }

    public static Http.Reply create(TestEnvironment env, String user, Object body) {
        return Http.post(env.userApi() + "/requests", env.tokenOf(user), body);
    }

    public static JsonNode created(TestEnvironment env, String user, Object body) {
        Http.Reply r = create(env, user, body);
        assertEquals(201, r.status(), r.toString());
        return r.json();
    }

    /** An approved grant on the one-stage date_of_birth column for a fresh user. */
    public record Granted(String username, String userId, String requestId, String grantId, Instant expiresAt) {}

    public static Granted grant(TestEnvironment env, int minutes) {
        String username = Jit.unique("tok");
        String userId = Jit.createUser(env, username);
        JsonNode request = Jit.created(env, username, Jit.body("datasource", "analytics", "columns", List.of(DOB),
                "reason", "Verifying the customer's age", "durationMinutes", minutes));
        Http.Reply approved = Jit.approve(env, env.tokenOf("owner"), request.get("id").asText());
        assertEquals(200, approved.status(), approved.toString());
        JsonNode grant = approved.json().get("grant");
        return new Granted(username, userId, request.get("id").asText(), grant.get("id").asText(),
                Instant.parse(grant.get("expiresAt").asText()));
    }

    /** The grant ids in the admin API's revocation feed. */
    public static List<String> revokedGrantIds(TestEnvironment env) {
        return texts(Http.get(env.adminApi() + "/revocations", env.tokenOf("admin")).json(), "/grantId");
    }

    /** The ids of the realm's active grants, as a manager lists them. */
    public static List<String> activeGrantIds(TestEnvironment env) {
        return texts(Http.get(env.adminApi() + "/grants?active=true&max=500", env.tokenOf("admin")).json(), "/id");
    }

    /** One grant as a manager lists it (among the latest 500). */
    public static JsonNode grantById(TestEnvironment env, String id) {
        return Http.get(env.adminApi() + "/grants?max=500", env.tokenOf("admin")).json().findParents("id").stream()
                .filter(g -> g.get("id").asText().equals(id)).findFirst().orElseThrow();
    }

    /** A database token of the analytics datasource from {@code POST /token}, for a user with a grant there. */
    public static String databaseToken(TestEnvironment env, String username) {
        Http.Reply minted = Http.post(env.userApi() + "/token", env.tokenOf(username), Map.of("datasource", "analytics"));
        assertEquals(200, minted.status(), minted.toString());
        return minted.json().get("access_token").asText();
    }

    /** The ids of the requests a user created by a test may decide now (their password is their username). */
    public static List<String> inbox(TestEnvironment env, String username) {
        Http.Reply r = Http.get(env.adminApi() + "/requests?decidable=true&max=500", env.tokenOf(username, username));
        assertEquals(200, r.status(), r.toString());
        return texts(r.json(), "/id");
    }

    public static Http.Reply approve(TestEnvironment env, String approverToken, String id) {
        return Http.post(env.adminApi() + "/requests/" + id + "/approve", approverToken, Map.of("comment", "ok"));
    }

    public static Http.Reply deny(TestEnvironment env, String approverToken, String id, String comment) {
        return Http.post(env.adminApi() + "/requests/" + id + "/deny", approverToken,
                comment == null ? Map.of() : Map.of("comment", comment));
    }

    // ---- stock admin REST (master admin): users and groups for a test

    /** Gives a client of the realm the client scope jit-columns-api ("default" or "optional"), as the admin console does. */
    public static void giveApiScope(TestEnvironment env, String clientId, String type) {
        Http.Reply given = Http.put(apiScopeOf(env, clientId, type), env.masterAdminToken(), "");
        assertEquals(204, given.status(), given.toString());
    }

    /** Takes it away again. */
    public static void takeApiScope(TestEnvironment env, String clientId, String type) {
        Http.Reply taken = Http.delete(apiScopeOf(env, clientId, type), env.masterAdminToken());
        assertEquals(204, taken.status(), taken.toString());
    }

    private static String apiScopeOf(TestEnvironment env, String clientId, String type) {
        String scope = Http.get(stockAdmin(env) + "/client-scopes", env.masterAdminToken()).json().findParents("name").stream()
                .filter(s -> "jit-columns-api".equals(s.get("name").asText())).findFirst().orElseThrow().get("id").asText();
        return stockAdmin(env) + "/clients/" + clientUuid(env, clientId) + "/" + type + "-client-scopes/" + scope;
    }

    /** The id of a client of the realm, by its client id. */
    public static String clientUuid(TestEnvironment env, String clientId) {
        return Http.get(stockAdmin(env) + "/clients?clientId=" + clientId, env.masterAdminToken()).json().get(0).get("id").asText();
    }

    public static String stockAdmin(TestEnvironment env) {
        return env.keycloakUrl() + "/admin/realms/" + TestEnvironment.REALM;
    }

    /** Creates a top-level group (or a subgroup of parentId) and returns its id. */
    public static String createGroup(TestEnvironment env, String parentId, String name) {
        String url = parentId == null ? stockAdmin(env) + "/groups" : stockAdmin(env) + "/groups/" + parentId + "/children";
        Http.Reply r = Http.post(url, env.masterAdminToken(), Map.of("name", name));
        assertEquals(201, r.status(), r.toString());
        String location = r.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** A user representation of the stock admin REST API: password = username, in the given groups (paths). */
    public static Map<String, Object> user(String username, String... groupPaths) {
        return body("username", username, "enabled", true, "email", username + "@example.test",
                "emailVerified", true, "firstName", "Test", "lastName", username,
                "credentials", List.of(Map.of("type", "password", "value", username, "temporary", false)),
                "groups", List.of(groupPaths));
    }

    /** Creates a user (password = username) in the given groups (paths) and returns its id. */
    public static String createUser(TestEnvironment env, String username, String... groupPaths) {
        Http.Reply r = Http.post(stockAdmin(env) + "/users", env.masterAdminToken(), user(username, groupPaths));
        assertEquals(201, r.status(), r.toString());
        String location = r.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Gives an existing user of the demo realm a realm role (through the stock admin REST API). */
    public static void addRealmRole(TestEnvironment env, String userId, String roleName) {
        JsonNode role = Http.get(stockAdmin(env) + "/roles/" + roleName, env.masterAdminToken()).json();
        Http.Reply r = Http.post(stockAdmin(env) + "/users/" + userId + "/role-mappings/realm", env.masterAdminToken(),
                List.of(Map.of("id", role.get("id").asText(), "name", roleName)));
        assertEquals(204, r.status(), r.toString());
    }

    public static void deleteUser(TestEnvironment env, String userId) {
        Http.Reply r = Http.delete(stockAdmin(env) + "/users/" + userId, env.masterAdminToken());
        assertEquals(204, r.status(), r.toString());
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a one-stage policy decided by a group, a column under it, and returns the column's fqn. */
    public static String columnWithPolicy(TestEnvironment env, String groupPath, int minApprovals, Map<String, Object> extra) {
        String admin = env.tokenOf("admin");
        String policy = unique("p");
        Map<String, Object> p = body("id", policy, "name", "Test policy " + policy,
                "stages", List.of(body("name", "approvers", "approverGroup", groupPath, "minApprovals", minApprovals)),
                "maxDurationMinutes", 120, "reasonMinLength", 5);
        p.putAll(extra);
        Http.Reply r = Http.post(env.adminApi() + "/policies", admin, p);
        assertEquals(201, r.status(), r.toString());
        return addColumn(env, admin, policy, "test_data", "c_" + policy.replace('-', '_'));
    }

    /** Adds a column of public.{@code table} in the analytics datasource under {@code policy}; returns its fqn. */
    public static String addColumn(TestEnvironment env, String adminToken, String policy, String table, String column) {
        Http.Reply r = Http.post(env.adminApi() + "/columns", adminToken, body("datasource", "analytics", "schema", "public",
                "table", table, "column", column, "label", "SECRET", "policy", policy));
        assertEquals(201, r.status(), r.toString());
        return "public." + table + "." + column;
    }

    /** The id of the policy {@link #columnWithPolicy} made for {@code column}. */
    public static String policyOf(String column) {
        return column.substring("public.test_data.c_".length()).replace('_', '-');
    }

    /** The admin URL of that policy. */
    public static String policyUrlOf(TestEnvironment env, String column) {
        return env.adminApi() + "/policies/" + policyOf(column);
    }

    /** Runs an UPDATE of exactly one row of Keycloak's database, e.g. to move a request's deadline into the past. */
    public static void sql(TestEnvironment env, String statement, String id) throws Exception {
        try (Connection c = env.keycloakDatabase(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, id);
            assertEquals(1, ps.executeUpdate(), statement);
        }
    }

    /**
     * Moves a deadline of one row of Keycloak's database (a grant's {@code EXPIRES_AT}, a request's {@code TIMEOUT_AT}...)
     * to a second ago, as if it had passed: the scheduler acts on it at its next run.
     */
    public static void passDeadline(TestEnvironment env, String table, String column, String id) throws Exception {
        try (Connection c = env.keycloakDatabase();
             PreparedStatement ps = c.prepareStatement("update " + table + " set " + column + " = ? where id = ?")) {
            ps.setLong(1, System.currentTimeMillis() - 1000);
            ps.setString(2, id);
            assertEquals(1, ps.executeUpdate(), table + "." + column + " of " + id);
        }
    }

    /** An http URL on a loopback port where nothing listens (yet), e.g. a webhook receiver that is down. */
    public static String unreachableUrl(String path) throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + free.getLocalPort() + path;
        }
    }

    public static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.at(field).asText()));
        return out;
    }
}
