package dev.jitcolumns.it.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import dev.jitcolumns.launcher.KeycloakServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keycloak's legacy token exchange (V1, a preview feature with fine-grained admin permissions V1) lets a client that
 * may impersonate users take any user's token without a token of its own. The session it creates is an impersonation
 * that carries no impersonator: it must still act in nobody's name. A Keycloak of its own, since the two features
 * change what every other test relies on.
 */
@ExtendWith(KeycloakHarness.class)
class LegacyTokenExchangeIT {

    private static final String REALM = TestEnvironment.REALM;
    private static final String EXCHANGER = "exchanger";
    private static final String SECRET = "exchanger-secret-of-the-test";

    private static KeycloakServer keycloak;

    @BeforeAll
    static void keycloakWithLegacyTokenExchange(TestEnvironment env) throws Exception {
        Path dist = Path.of(System.getProperty("keycloak.home"));
        keycloak = TestEnvironment.withOurProvidersAndRealm(KeycloakServer.builder(KeycloakServer.copyDistribution(dist,
                        dist.resolveSibling("keycloak-exchange-v1"))).database(env.postgres(), "exchange")
                .option("features", "token-exchange,admin-fine-grained-authz:v1")).start();
        allowTheExchangerToImpersonate();
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void a_user_taken_by_a_clients_token_exchange_requests_nothing_and_its_tokens_carry_no_grants() throws Exception {
        String requestId = created("analyst", Jit.emailRequest());
        assertEquals(200, Http.post(adminApi() + "/requests/" + requestId + "/approve", token("owner"), Map.of("comment", "ok")).status());
        assertTrue(claims(tokenWithGrants("analyst")).path("jit_columns").path("analytics").toString().contains(Jit.EMAIL),
                "in person, the scope carries the grant");

        String exchanged = exchangedToken("analyst");

        JsonNode claims = claims(exchanged);
        assertEquals("analyst", claims.path("preferred_username").asText(), "the exchanged token is the analyst's: " + claims);
        assertTrue(claims.path("jit_columns").isMissingNode(), "it carries no grant: " + claims);
        Http.Reply request = Http.post(userApi() + "/requests", exchanged, Jit.emailRequest());
        assertEquals(403, request.status(), request.toString());
        assertTrue(request.body().contains("is impersonating analyst"), request.toString());
        Http.Reply databaseToken = Http.post(userApi() + "/token", exchanged, Map.of("datasource", "analytics"));
        assertEquals(403, databaseToken.status(), databaseToken.toString());
        assertEquals(200, Http.get(userApi() + "/requests", exchanged).status(), "reads stay open");
    }

    @Test
    void an_approver_taken_by_a_clients_token_exchange_decides_nothing() throws Exception {
        String id = created("analyst", Jit.body("datasource", "analytics", "columns", List.of(Jit.DOB),
                "reason", "Verifying the customer's age", "durationMinutes", 30));

        Http.Reply approved = Http.post(adminApi() + "/requests/" + id + "/approve", exchangedToken("owner"), Map.of("comment", "ok"));

        assertEquals(403, approved.status(), approved.toString());
        assertTrue(approved.body().contains("is impersonating owner"), approved.toString());
        assertEquals("PENDING", Http.get(adminApi() + "/requests/" + id, token("admin")).json().get("status").asText());
    }

    /** Direct naked impersonation: the client's own credentials and the user it wants, no subject token. */
    private static String exchangedToken(String username) {
        Http.Reply reply = Http.postForm(realmUrl() + "/protocol/openid-connect/token", Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", EXCHANGER, "client_secret", SECRET,
                "requested_subject", username, "scope", "openid jit-columns"));
        assertEquals(200, reply.status(), reply.toString());
        return reply.json().get("access_token").asText();
    }

    /**
     * A confidential client that may call our API and ask for the {@code jit-columns} scope, and the V1 permission "impersonate" on the
     * realm's users granted to it by a client policy, as an administrator sets it up in the admin console.
     */
    private static void allowTheExchangerToImpersonate() throws IOException {
        String admin = TestEnvironment.passwordGrant(keycloak.baseUrl() + "/realms/master", "admin-cli", KeycloakServer.BOOTSTRAP_ADMIN,
                KeycloakServer.DEFAULT_ADMIN_PASSWORD, List.of());
        String stock = keycloak.baseUrl() + "/admin/realms/" + REALM;
        expect(201, Http.post(stock + "/clients", admin, Map.of("clientId", EXCHANGER, "secret", SECRET, "publicClient", false,
                "standardFlowEnabled", false, "defaultClientScopes", List.of("basic", "profile", "jit-columns-api"),
                "optionalClientScopes", List.of("jit-columns"))));
        String exchangerId = clientUuid(stock, admin, EXCHANGER);
        String permissions = stock + "/clients/" + clientUuid(stock, admin, "realm-management") + "/authz/resource-server";

        Http.Reply enabled = Http.put(stock + "/users-management-permissions", admin, Map.of("enabled", true));
        expect(200, enabled);
        String impersonate = enabled.json().path("scopePermissions").path("impersonate").asText();
        Http.Reply policy = Http.post(permissions + "/policy/client", admin, Map.of("name", "exchanger impersonates",
                "clients", List.of(exchangerId), "logic", "POSITIVE"));
        expect(201, policy);

        String permission = permissions + "/permission/scope/" + impersonate;
        ObjectNode rep = (ObjectNode) expect(200, Http.get(permission, admin)).json();
        rep.set("resources", ids(Http.get(permission + "/resources", admin), "_id"));
        rep.set("scopes", ids(Http.get(permission + "/scopes", admin), "id"));
        rep.set("policies", Http.JSON.valueToTree(List.of(policy.json().get("id").asText())));
        expect(201, Http.put(permission, admin, rep));
    }

    private static JsonNode ids(Http.Reply list, String idField) {
        return Http.JSON.valueToTree(expect(200, list).json().findValuesAsText(idField));
    }

    private static String clientUuid(String stock, String admin, String clientId) {
        return expect(200, Http.get(stock + "/clients?clientId=" + clientId, admin)).json().get(0).get("id").asText();
    }

    private static Http.Reply expect(int status, Http.Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        return reply;
    }

    private static String created(String username, Object body) {
        Http.Reply created = Http.post(userApi() + "/requests", token(username), body);
        assertEquals(201, created.status(), created.toString());
        return created.json().get("id").asText();
    }

    private static String token(String username) {
        return TestEnvironment.passwordGrant(realmUrl(), TestEnvironment.CLI_CLIENT, username, username, List.of());
    }

    private static String tokenWithGrants(String username) {
        return TestEnvironment.passwordGrant(realmUrl(), TestEnvironment.CLI_CLIENT, username, username, List.of("jit-columns"));
    }

    private static JsonNode claims(String jwt) throws IOException {
        return Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String realmUrl() {
        return keycloak.baseUrl() + "/realms/" + REALM;
    }

    private static String userApi() {
        return realmUrl() + "/jit-columns";
    }

    private static String adminApi() {
        return keycloak.baseUrl() + "/admin/realms/" + REALM + "/jit-columns";
    }
}
