package dev.jitcolumns.it.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import dev.jitcolumns.it.token.RealmJwks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An app that a user signs in to gets a token of the realm, which reaches every API of the realm. Ours take it only
 * from Keycloak's consoles and from clients that a realm manager gave the client scope {@code jit-columns-api}.
 */
@ExtendWith(KeycloakHarness.class)
class ApiClientsIT {

    static final String SCOPE = "jit-columns-api";

    @Test
    void a_new_client_can_neither_ask_nor_take_a_token_nor_decide_until_given_the_scope(TestEnvironment env) {
        String app = newClient(env);
        String requester = Jit.unique("via");
        Jit.createUser(env, requester);
        String id = Jit.created(env, requester, dobRequest()).get("id").asText(); // through the demo CLI, which may

        String requesterViaApp = tokenVia(env, app, requester, List.of());
        Http.Reply ask = Http.post(env.userApi() + "/requests", requesterViaApp, dobRequest());
        assertRefused(ask, app);
        assertRefused(Http.get(env.userApi() + "/requests", requesterViaApp), app);
        assertRefused(Http.post(env.userApi() + "/token", requesterViaApp, Map.of("datasource", "analytics")), app);
        assertRefused(Http.post(env.userApi() + "/requests/" + id + "/cancel", requesterViaApp, Map.of()), app);

        String ownerViaApp = tokenVia(env, app, "owner", List.of());
        assertRefused(Http.get(env.adminApi() + "/requests?decidable=true", ownerViaApp), app);
        assertRefused(Jit.approve(env, ownerViaApp, id), app);
        String adminViaApp = tokenVia(env, app, "admin", List.of());
        assertRefused(Http.post(env.adminApi() + "/datasources", adminViaApp, Map.of("id", Jit.unique("ds"), "name", "x")), app);

        JsonNode mine = Http.get(env.userApi() + "/requests", env.tokenOf(requester)).json();
        assertEquals(1, mine.size(), "the refused request was not created: " + mine);
        assertEquals("PENDING", mine.get(0).get("status").asText(), "neither cancelled nor approved through the app");

        Jit.giveApiScope(env, app, "default");
        Http.Reply approved = Jit.approve(env, tokenVia(env, app, "owner", List.of()), id);
        assertEquals(200, approved.status(), approved.toString());
        String given = tokenVia(env, app, requester, List.of());
        assertEquals(201, Http.post(env.userApi() + "/requests", given, dobRequest()).status());

        Jit.takeApiScope(env, app, "default");
        assertRefused(Http.get(env.userApi() + "/requests", given), app); // a token outlives the scope's removal
    }

    /** Nor does a new client get grant claims into its own tokens: the jit-columns scope is no realm default scope. */
    @Test
    void a_new_client_takes_no_grants_into_its_tokens(TestEnvironment env) throws Exception {
        String app = newClient(env);
        Jit.Granted user = Jit.grant(env, 30);

        Http.Reply asked = Http.postForm(env.realmUrl() + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", app, "username", user.username(), "password", user.username(), "scope", "openid jit-columns"));

        if (asked.status() == 200) {
            assertNull(RealmJwks.claims(asked.json().get("access_token").asText()).getClaim("jit_columns"), asked.toString());
        } else {
            assertEquals("invalid_scope", asked.json().get("error").asText(), asked.toString());
        }
    }

    @Test
    void an_optional_scope_counts_only_in_a_token_that_asked_for_it(TestEnvironment env) {
        String app = newClient(env);
        Jit.giveApiScope(env, app, "optional");

        assertRefused(Http.get(env.userApi() + "/requests", tokenVia(env, app, "analyst", List.of())), app);
        Http.Reply asked = Http.get(env.userApi() + "/requests", tokenVia(env, app, "analyst", List.of(SCOPE)));
        assertEquals(200, asked.status(), asked.toString());
    }

    /**
     * A service account acts in its own name only through its own client: a token for it that another client obtained
     * (here by Keycloak's standard token exchange) is that other client's, which was not given the scope.
     */
    @Test
    void a_service_account_token_exchanged_by_another_client_is_that_clients(TestEnvironment env) {
        String service = Jit.unique("service");
        String serviceUuid = confidentialClient(env, service, Map.of("serviceAccountsEnabled", true));
        String exchanger = Jit.unique("exchanger");
        confidentialClient(env, exchanger, Map.of("attributes", Map.of("standard.token.exchange.enabled", "true")));
        Http.Reply mapper = Http.post(Jit.stockAdmin(env) + "/clients/" + serviceUuid + "/protocol-mappers/models",
                env.masterAdminToken(), Map.of("name", "exchanger audience", "protocol", "openid-connect",
                        "protocolMapper", "oidc-audience-mapper", "config", Map.of("included.client.audience", exchanger,
                                "access.token.claim", "true")));
        assertEquals(201, mapper.status(), mapper.toString());
        String serviceUser = Http.get(Jit.stockAdmin(env) + "/clients/" + serviceUuid + "/service-account-user",
                env.masterAdminToken()).json().get("id").asText();
        Jit.addRealmRole(env, serviceUser, "jit-columns-admin");

        String own = clientCredentials(env, service);
        Http.Reply direct = Http.get(env.adminApi() + "/datasources", own);
        assertEquals(200, direct.status(), "its own client acts for it: " + direct);

        Http.Reply exchanged = Http.postForm(env.realmUrl() + "/protocol/openid-connect/token", Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", exchanger,
                "client_secret", exchanger, "subject_token", own,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));
        assertEquals(200, exchanged.status(), exchanged.toString());
        assertRefused(Http.get(env.adminApi() + "/datasources", exchanged.json().get("access_token").asText()), exchanger);
    }

    /** Whoever holds a client's secret is no approver, even when its service account sits in an approver group. */
    @Test
    void a_service_account_in_an_approver_group_decides_nothing(TestEnvironment env) {
        String bot = Jit.unique("bot");
        String botUuid = confidentialClient(env, bot, Map.of("serviceAccountsEnabled", true));
        String botUser = Http.get(Jit.stockAdmin(env) + "/clients/" + botUuid + "/service-account-user", env.masterAdminToken())
                .json().get("id").asText();
        String owners = Http.get(Jit.stockAdmin(env) + "/groups?search=data-owners&exact=true", env.masterAdminToken())
                .json().get(0).get("id").asText();
        assertEquals(204, Http.put(Jit.stockAdmin(env) + "/users/" + botUser + "/groups/" + owners, env.masterAdminToken(), "").status());
        String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

        String botToken = clientCredentials(env, bot);
        for (Http.Reply decided : List.of(Jit.approve(env, botToken, id), Jit.deny(env, botToken, id, "no"))) {
            assertEquals(403, decided.status(), decided.toString());
            assertTrue(decided.body().contains("Service accounts do not decide requests"), decided.body());
        }

        JsonNode request = Http.get(env.adminApi() + "/requests/" + id, env.tokenOf("admin")).json();
        assertEquals("PENDING", request.get("status").asText(), request.toString());
        assertEquals(0, request.get("decisions").size(), request.toString());
        assertEquals(200, Jit.approve(env, env.tokenOf("owner"), id).status(), "a person of the group still decides it");
    }

    private static void assertRefused(Http.Reply reply, String client) {
        assertEquals(403, reply.status(), reply.toString());
        assertTrue(reply.body().contains("'" + client + "'") && reply.body().contains(SCOPE), reply.body());
    }

    private static Map<String, Object> dobRequest() {
        return Jit.body("datasource", "analytics", "columns", List.of(Jit.DOB), "reason", "Verifying the customer's age",
                "durationMinutes", 30);
    }

    /** A public client with password grants, created as an administrator would: the realm's default scopes only. */
    private static String newClient(TestEnvironment env) {
        String clientId = Jit.unique("app");
        Http.Reply created = Http.post(Jit.stockAdmin(env) + "/clients", env.masterAdminToken(), Map.of(
                "clientId", clientId, "publicClient", true, "directAccessGrantsEnabled", true, "enabled", true));
        assertEquals(201, created.status(), created.toString());
        return clientId;
    }

    /** A confidential client whose secret is its client id; answers its id. */
    private static String confidentialClient(TestEnvironment env, String clientId, Map<String, Object> extra) {
        Map<String, Object> client = Jit.body("clientId", clientId, "publicClient", false, "secret", clientId, "enabled", true,
                "standardFlowEnabled", false);
        client.putAll(extra);
        Http.Reply created = Http.post(Jit.stockAdmin(env) + "/clients", env.masterAdminToken(), client);
        assertEquals(201, created.status(), created.toString());
        return Jit.clientUuid(env, clientId);
    }

    private static String clientCredentials(TestEnvironment env, String clientId) {
        Http.Reply r = Http.postForm(env.realmUrl() + "/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientId));
        assertEquals(200, r.status(), r.toString());
        return r.json().get("access_token").asText();
    }

    private static String tokenVia(TestEnvironment env, String clientId, String username, List<String> scopes) {
        return TestEnvironment.passwordGrant(env.realmUrl(), clientId, username, username, scopes);
    }
}
