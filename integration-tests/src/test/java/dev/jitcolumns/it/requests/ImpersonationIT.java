package dev.jitcolumns.it.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import dev.jitcolumns.it.token.RealmJwks;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An administrator who impersonates a user (Keycloak's "Impersonate", which signs them in as the user) sees what the
 * user sees, and acts in nobody's name: no request, decision or database token, and no grants in the tokens of that
 * session. Otherwise whoever may impersonate could approve their own request as two approvers, with the audit trail
 * naming the approvers.
 */
@ExtendWith(KeycloakHarness.class)
class ImpersonationIT {

    private static final String REDIRECT = "http://127.0.0.1/callback";

    @Test
    void an_impersonated_requester_gets_no_grants_in_tokens_and_neither_requests_nor_takes_database_tokens(TestEnvironment env)
            throws Exception {
        Jit.Granted user = Jit.grant(env, 30);
        String own = TestEnvironment.passwordGrant(env.realmUrl(), TestEnvironment.CLI_CLIENT, user.username(), user.username(),
                List.of("jit-columns"));
        assertNotNull(RealmJwks.claims(own).getClaim("jit_columns"), "in person, the scope carries the grant");

        String impersonated = impersonatedToken(env, user.userId());

        assertNull(RealmJwks.claims(impersonated).getClaim("jit_columns"), "impersonated, it carries none");
        Http.Reply token = Http.post(env.userApi() + "/token", impersonated, Map.of("datasource", "analytics"));
        assertEquals(403, token.status(), token.toString());
        assertTrue(token.json().get("message").asText().contains("is impersonating " + user.username()), token.toString());
        Http.Reply request = Http.post(env.userApi() + "/requests", impersonated, Jit.body("datasource", "analytics",
                "columns", List.of(Jit.EMAIL), "reason", "Asked in someone else's name", "durationMinutes", 30));
        assertEquals(403, request.status(), request.toString());
        Http.Reply cancel = Http.post(env.userApi() + "/requests/" + user.requestId() + "/cancel", impersonated, Map.of());
        assertEquals(403, cancel.status(), cancel.toString());
        Http.Reply list = Http.get(env.userApi() + "/requests", impersonated);
        assertEquals(200, list.status(), list.toString());
        assertTrue(Jit.texts(list.json(), "/id").contains(user.requestId()), "what the user sees, the helpdesk sees");
    }

    @Test
    void an_impersonated_approver_decides_nothing_and_the_request_waits_for_them_in_person(TestEnvironment env) throws Exception {
        String id = pendingRequestOfANewUser(env);
        String impersonated = impersonatedToken(env, userIdOf(env, "owner"));

        assertTrue(Jit.inbox(env, "owner").contains(id));
        assertTrue(Jit.texts(Http.get(env.adminApi() + "/requests?decidable=true&max=500", impersonated).json(), "/id").contains(id),
                "the impersonated inbox shows it");
        Http.Reply approved = Jit.approve(env, impersonated, id);
        assertEquals(403, approved.status(), approved.toString());
        assertTrue(approved.body().contains("is impersonating owner"), approved.toString());
        Http.Reply denied = Http.post(env.adminApi() + "/requests/" + id + "/deny", impersonated, Map.of("comment", "no"));
        assertEquals(403, denied.status(), denied.toString());
        assertEquals("PENDING", Http.get(env.adminApi() + "/requests/" + id, env.tokenOf("admin")).json().get("status").asText());
        assertEquals(200, Jit.approve(env, env.tokenOf("owner"), id).status(), "in person, the owner decides");
    }

    /** The admin console's own client issues lightweight access tokens: the session is still found, and refused. */
    @Test
    void an_impersonated_approver_in_the_admin_console_decides_nothing(TestEnvironment env) throws Exception {
        String id = pendingRequestOfANewUser(env);
        String console = impersonatedToken(env, userIdOf(env, "owner"), "security-admin-console",
                env.keycloakUrl() + "/admin/" + TestEnvironment.REALM + "/console/", "openid");
        assertNull(RealmJwks.claims(console).getClaim("preferred_username"), "a lightweight token");

        Http.Reply approved = Jit.approve(env, console, id);

        assertEquals(403, approved.status(), approved.toString());
        assertTrue(approved.body().contains("is impersonating owner"), approved.toString());
        assertEquals("PENDING", Http.get(env.adminApi() + "/requests/" + id, env.tokenOf("admin")).json().get("status").asText());
    }

    @Test
    void an_impersonated_catalog_manager_changes_nothing_in_the_catalog(TestEnvironment env) throws Exception {
        String datasource = Jit.unique("billing").replace('-', '_');
        String impersonated = impersonatedToken(env, userIdOf(env, "admin"));

        Http.Reply added = Http.post(env.adminApi() + "/datasources", impersonated, Map.of("id", datasource, "name", "Billing"));

        assertEquals(403, added.status(), added.toString());
        assertTrue(added.body().contains("is impersonating admin"), added.toString());
        assertEquals(404, Http.get(env.adminApi() + "/datasources/" + datasource, env.tokenOf("admin")).status(), "nothing added");
        assertEquals(200, Http.get(env.adminApi() + "/datasources", impersonated).status(), "the catalog is readable");
    }

    /** A request of a new user on the one-stage date_of_birth column, which owner decides. */
    private static String pendingRequestOfANewUser(TestEnvironment env) {
        String requester = Jit.unique("asker");
        Jit.createUser(env, requester);
        return Jit.created(env, requester, Jit.body("datasource", "analytics", "columns", List.of(Jit.DOB),
                "reason", "Verifying the customer's age", "durationMinutes", 30)).get("id").asText();
    }

    private static String userIdOf(TestEnvironment env, String username) {
        return Http.get(Jit.stockAdmin(env) + "/users?exact=true&username=" + username, env.masterAdminToken())
                .json().get(0).get("id").asText();
    }

    /** Keycloak's impersonation by the master realm's administrator, then a code flow of the CLI client on its cookies. */
    private static String impersonatedToken(TestEnvironment env, String userId) throws Exception {
        return impersonatedToken(env, userId, TestEnvironment.CLI_CLIENT, REDIRECT, "openid jit-columns");
    }

    /** The same through another client of the realm (with PKCE, which the admin console's client requires). */
    private static String impersonatedToken(TestEnvironment env, String userId, String client, String redirect, String scope)
            throws Exception {
        String verifier = Jit.unique("pkce-verifier-of-the-impersonation-test");
        String challenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest
                .getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> impersonate = http.send(HttpRequest.newBuilder(URI.create(Jit.stockAdmin(env) + "/users/" + userId
                        + "/impersonation")).header("Authorization", "Bearer " + env.masterAdminToken())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, impersonate.statusCode(), impersonate.body());
        String cookies = impersonate.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .collect(Collectors.joining("; "));
        HttpResponse<String> authorize = http.send(HttpRequest.newBuilder(URI.create(env.realmUrl()
                        + "/protocol/openid-connect/auth?response_type=code&client_id=" + client
                        + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                        + "&code_challenge=" + challenge + "&code_challenge_method=S256"
                        + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)))
                .header("Cookie", cookies).GET().build(), HttpResponse.BodyHandlers.ofString());
        String location = authorize.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
                "no redirect with a code: " + authorize.statusCode() + " " + authorize.body()));
        String code = URI.create(location).getQuery().replaceAll(".*(?:^|&)code=([^&]+).*", "$1");
        Http.Reply token = Http.postForm(env.realmUrl() + "/protocol/openid-connect/token", Map.of("grant_type",
                "authorization_code", "code", code, "client_id", client, "redirect_uri", redirect, "code_verifier", verifier));
        assertEquals(200, token.status(), token.toString());
        return token.json().get("access_token").asText();
    }
}
