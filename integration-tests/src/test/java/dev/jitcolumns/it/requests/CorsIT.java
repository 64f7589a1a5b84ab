package dev.jitcolumns.it.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A single-page application on another origin calls the user API with its user's token: the preflight is answered
 * without a token, real answers carry {@code Access-Control-Allow-Origin} for the Web Origins of the client the token
 * was issued to, and a call from any other origin is refused (as Keycloak's own APIs do) before anything is done.
 */
@ExtendWith(KeycloakHarness.class)
class CorsIT {

    private static String clientId;
    private static String clientUuid;
    private static String userId;
    private static String username;
    private static String webApp;

    @BeforeAll
    static void aClientWithAWebOrigin(TestEnvironment env) {
        clientId = Jit.unique("spa");
        webApp = "https://" + clientId + ".example.test";
        Http.Reply client = Http.post(Jit.stockAdmin(env) + "/clients", env.masterAdminToken(), Jit.body(
                "clientId", clientId, "publicClient", true, "standardFlowEnabled", true, "directAccessGrantsEnabled", true,
                "redirectUris", List.of(webApp + "/*"), "webOrigins", List.of(webApp)));
        assertEquals(201, client.status(), client.toString());
        String location = client.header("Location");
        clientUuid = location.substring(location.lastIndexOf('/') + 1);
        Jit.giveApiScope(env, clientId, "default");
        username = Jit.unique("cors");
        userId = Jit.createUser(env, username);
    }

    @AfterAll
    static void removeThem(TestEnvironment env) {
        assertEquals(204, Http.delete(Jit.stockAdmin(env) + "/clients/" + clientUuid, env.masterAdminToken()).status());
        Jit.deleteUser(env, userId);
    }

    /** The user's token, issued to the web application's client. */
    private static String token(TestEnvironment env) {
        return TestEnvironment.passwordGrant(env.realmUrl(), clientId, username, username, List.of());
    }

    private static Map<String, String> from(String origin) {
        return Map.of("Origin", origin);
    }

    @Test
    void the_user_api_answers_a_preflight(TestEnvironment env) {
        Http.Reply r = Http.options(env.userApi() + "/requests", Map.of("Origin", webApp,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type"));

        assertEquals(200, r.status(), r.toString());
        String methods = r.header("Access-Control-Allow-Methods");
        assertTrue(methods != null && methods.contains("POST"), r.response().headers().toString());
    }

    @Test
    void a_get_from_a_web_origin_of_the_client_gets_that_origin_back(TestEnvironment env) {
        Http.Reply r = Http.get(env.userApi() + "/catalog", token(env), from(webApp));

        assertEquals(200, r.status(), r.toString());
        assertEquals(webApp, r.header("Access-Control-Allow-Origin"));
        assertEquals("true", r.header("Access-Control-Allow-Credentials"));
    }

    @Test
    void a_post_from_a_web_origin_of_the_client_gets_it_and_may_read_the_location(TestEnvironment env) {
        String token = token(env);

        Http.Reply created = Http.post(env.userApi() + "/requests", token, Jit.emailRequest(), from(webApp));

        assertEquals(201, created.status(), created.toString());
        assertEquals(webApp, created.header("Access-Control-Allow-Origin"));
        assertTrue(String.valueOf(created.header("Access-Control-Expose-Headers")).contains("Location"),
                created.response().headers().toString());
        Http.Reply cancelled = Http.post(created.header("Location") + "/cancel", token, Map.of(), from(webApp));
        assertEquals(200, cancelled.status(), cancelled.toString());
        assertEquals(webApp, cancelled.header("Access-Control-Allow-Origin"));
    }

    @Test
    void a_refusal_carries_it_too_so_that_the_page_can_read_the_error(TestEnvironment env) {
        Http.Reply r = Http.post(env.userApi() + "/token", token(env), Map.of("datasource", "analytics"), from(webApp));

        assertEquals(409, r.status(), r.toString());
        assertEquals(webApp, r.header("Access-Control-Allow-Origin"));
    }

    @Test
    void a_missing_or_invalid_token_is_a_401_that_the_page_can_read_and_nothing_is_done(TestEnvironment env) {
        int requests = Http.get(env.userApi() + "/requests", token(env)).json().size();
        String forged = token(env).replaceFirst("\\.[^.]+$", ".c2lnbmF0dXJl"); // the signature replaced

        for (String bearer : Arrays.asList(null, "garbage", forged)) {
            Http.Reply get = Http.get(env.userApi() + "/grants", bearer, from(webApp));
            Http.Reply post = Http.post(env.userApi() + "/requests", bearer, Jit.emailRequest(), from(webApp));

            for (Http.Reply r : List.of(get, post)) {
                assertEquals(401, r.status(), r.toString());
                assertEquals("unauthorized", r.json().get("error").asText(), r.toString());
                assertEquals(webApp, r.header("Access-Control-Allow-Origin"), r.response().headers().toString());
            }
        }
        assertEquals(requests, Http.get(env.userApi() + "/requests", token(env)).json().size(), "no request was made");
    }

    @Test
    void the_demo_cli_client_allows_the_origins_of_its_redirect_uris(TestEnvironment env) {
        // Web Origins "+" on jit-columns-cli: the origins of its redirect URIs http://127.0.0.1/* and http://localhost/*.
        Http.Reply r = Http.get(env.userApi() + "/grants", env.tokenOf("analyst"), from("http://localhost"));

        assertEquals(200, r.status(), r.toString());
        assertEquals("http://localhost", r.header("Access-Control-Allow-Origin"));
    }

    @Test
    void an_origin_outside_the_clients_web_origins_is_refused_without_it_and_nothing_is_done(TestEnvironment env) {
        String token = token(env);
        int requests = Http.get(env.userApi() + "/requests", token).json().size();
        // A stranger, and a Web Origin of another client of the realm (the demo CLI client's): neither is this client's.
        for (String origin : List.of("https://attacker.example.test", "http://localhost")) {
            Http.Reply get = Http.get(env.userApi() + "/catalog", token, from(origin));
            Http.Reply post = Http.post(env.userApi() + "/requests", token, Jit.emailRequest(), from(origin));

            for (Http.Reply r : List.of(get, post)) {
                assertEquals(403, r.status(), origin + ": " + r);
                assertEquals("forbidden", r.json().get("error").asText(), r.toString());
                assertNull(r.header("Access-Control-Allow-Origin"), origin + ": " + r.response().headers());
            }
        }
        assertEquals(requests, Http.get(env.userApi() + "/requests", token).json().size(), "no request was made");
    }
}
