package dev.jitcolumns.it.token;

import static dev.jitcolumns.it.support.Jit.DOB;
import static dev.jitcolumns.it.support.Jit.EMAIL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitcolumns.it.harness.AnalyticsSession;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import dev.jitcolumns.launcher.AnalyticsDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tokens that carry grants: from {@code POST /token} and from ordinary OIDC flows with the {@code jit-columns}
 * scope, verified with the realm's JWKS. Each scenario uses users of its own, so other ITs' grants don't leak in.
 */
@ExtendWith(KeycloakHarness.class)
class TokenIT {

    static Http.Reply mint(TestEnvironment env, String username, Object body) {
        return Http.post(env.userApi() + "/token", env.tokenOf(username), body);
    }

    static Map<String, String> oidcTokens(TestEnvironment env, String username, String scope) {
        Http.Reply r = Http.postForm(env.realmUrl() + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", TestEnvironment.CLI_CLIENT, "username", username, "password", username, "scope", scope));
        assertEquals(200, r.status(), r.toString());
        return Map.of("access", r.json().get("access_token").asText(), "refresh", r.json().get("refresh_token").asText(),
                "expires_in", r.json().get("expires_in").asText());
    }

    static String refresh(TestEnvironment env, String refreshToken) {
        Http.Reply r = Http.postForm(env.realmUrl() + "/protocol/openid-connect/token", Map.of("grant_type", "refresh_token",
                "client_id", TestEnvironment.CLI_CLIENT, "refresh_token", refreshToken));
        assertEquals(200, r.status(), r.toString());
        return r.json().get("access_token").asText();
    }

    /** {@code exp - iat} of a token, in seconds. */
    static long lifetime(JWTClaimsSet claims) {
        return claims.getExpirationTime().toInstant().getEpochSecond() - claims.getIssueTime().toInstant().getEpochSecond();
    }

    /**
     * The demo realm's access token lifespan, read back: above the test Keycloak's {@code token-max-lifetime}, or a
     * lifetime test could not tell which limit applied.
     */
    static long realmLifespanAboveTheMaximum(TestEnvironment env) {
        long lifespan = Http.get(Jit.stockAdmin(env), env.masterAdminToken()).json().get("accessTokenLifespan").asLong();
        assertTrue(lifespan > TestEnvironment.TOKEN_MAX_LIFETIME_SECONDS, "realm lifespan " + lifespan);
        return lifespan;
    }

    /**
     * Ends a grant as the clock would, without waiting for it. The edit goes behind Keycloak's back, so, as after
     * any such edit, Keycloak's user cache is cleared: the grants are cached with the user.
     */
    static void endGrant(TestEnvironment env, String grantId) throws Exception {
        try (Connection c = env.keycloakDatabase();
             PreparedStatement end = c.prepareStatement("update JIT_GRANT set expires_at = ? where id = ?")) {
            end.setLong(1, System.currentTimeMillis() - 1_000);
            end.setString(2, grantId);
            assertEquals(1, end.executeUpdate());
        }
        assertEquals(204, Http.post(Jit.stockAdmin(env) + "/clear-user-cache", env.masterAdminToken(), Map.of()).status());
    }

    @Nested
    class MintedByThePostTokenEndpoint {
        static Jit.Granted granted;

        @BeforeAll
        static void grant(TestEnvironment env) {
            granted = Jit.grant(env, 60);
        }

        @Test
        void is_signed_rs256_by_the_realm_and_lists_exactly_the_grant(TestEnvironment env) throws Exception {
            Http.Reply r = mint(env, granted.username(), Map.of("datasource", "analytics"));

            assertEquals(200, r.status(), r.toString());
            assertEquals("Bearer", r.json().get("token_type").asText());
            assertEquals(List.of(DOB), Http.JSON.convertValue(r.json().get("columns"), List.class));
            JWTClaimsSet claims = RealmJwks.verify(env, r.json().get("access_token").asText());
            assertEquals(env.realmUrl(), claims.getIssuer());
            assertEquals(List.of("analytics"), claims.getAudience());
            assertEquals(granted.userId(), claims.getSubject());
            assertEquals(Map.of("analytics", List.of(DOB)), claims.getJSONObjectClaim("jit_columns"));
            assertEquals(List.of(granted.grantId()), claims.getStringListClaim("jit_grants"));
            assertNotNull(claims.getJWTID());
        }

        /** Its audit entry names every column of every grant it carries: 150 long names here, over 16,384 characters. */
        @Test
        void carries_and_audits_three_grants_of_fifty_long_column_names(TestEnvironment env) throws Exception {
            String column = Jit.columnWithPolicy(env, "/data-owners", 1, Map.of());
            String policy = Jit.policyOf(column);
            String table = ("t_" + policy.replace('-', '_') + "_" + "x".repeat(63)).substring(0, 63);
            String user = Jit.unique("many");
            Jit.createUser(env, user);
            String admin = env.tokenOf("admin");
            Set<String> columns = new HashSet<>();
            for (int request = 0; request < 3; request++) {
                List<String> asked = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    asked.add(Jit.addColumn(env, admin, policy, table, ("c" + request + "_" + i + "_" + "y".repeat(63)).substring(0, 63)));
                }
                String id = Jit.created(env, user, Jit.body("datasource", "analytics", "columns", asked,
                        "reason", "All of the wide table", "durationMinutes", 30)).get("id").asText();
                assertEquals(200, Jit.approve(env, env.tokenOf("owner"), id).status());
                columns.addAll(asked);
            }

            Http.Reply r = mint(env, user, Map.of("datasource", "analytics"));

            assertEquals(200, r.status(), r.toString());
            assertEquals(columns, new HashSet<>(Http.JSON.convertValue(r.json().get("columns"), List.class)));
            String jti = RealmJwks.verify(env, r.json().get("access_token").asText()).getJWTID();
            JsonNode audit = Http.get(env.adminApi() + "/audit?from=" + Instant.now().minusSeconds(120), admin).json();
            JsonNode issued = null;
            for (JsonNode entry : audit) {
                if ("TOKEN_ISSUED".equals(entry.get("action").asText()) && entry.get("details").asText().contains(jti)) {
                    issued = entry;
                }
            }
            assertNotNull(issued, "the token's audit entry");
            String details = issued.get("details").asText();
            assertTrue(details.length() > 16_384, "all " + columns.size() + " names in it");
            columns.forEach(c -> assertTrue(details.contains(c), c));
        }

        @Test
        void lives_no_longer_than_the_configured_maximum_though_the_realm_allows_more(TestEnvironment env) throws Exception {
            realmLifespanAboveTheMaximum(env);

            Http.Reply r = mint(env, granted.username(), Map.of("datasource", "analytics"));

            long lifetime = lifetime(RealmJwks.verify(env, r.json().get("access_token").asText()));
            assertEquals(TestEnvironment.TOKEN_MAX_LIFETIME_SECONDS, lifetime, "the grant has an hour left: the maximum applies");
            assertEquals(lifetime, r.json().get("expires_in").asLong(), 1);
        }

        @Test
        void unmasks_the_granted_column_in_postgres_and_nothing_else(TestEnvironment env) throws Exception {
            String token = mint(env, granted.username(), Map.of("datasource", "analytics")).json().get("access_token").asText();
            String realBirthDate = AnalyticsSession.storedCustomerColumn(env, "date_of_birth");

            try (AnalyticsSession session = new AnalyticsSession(env)) {
                assertNotEquals(realBirthDate, session.customerColumn("date_of_birth"), "masked (year only) before");
                session.setToken(token);
                assertEquals(realBirthDate, session.customerColumn("date_of_birth"));
                assertNull(session.customerColumn("ssn"), "ssn was not granted");
                assertTrue(session.customerColumn("card_number").startsWith("*"), "card_number stays masked");
            }
        }

        @Test
        void is_refused_409_without_an_active_grant(TestEnvironment env) {
            String stranger = Jit.unique("tok");
            Jit.createUser(env, stranger);

            Http.Reply r = mint(env, stranger, Map.of("datasource", "analytics"));

            assertEquals(409, r.status(), r.toString());
            assertEquals("conflict", r.json().get("error").asText());
        }

        @Test
        void is_refused_400_naming_the_field_for_an_unknown_or_missing_datasource(TestEnvironment env) {
            Http.Reply unknown = mint(env, granted.username(), Map.of("datasource", "billing"));
            Http.Reply missing = mint(env, granted.username(), Map.of());

            assertEquals(400, unknown.status(), unknown.toString());
            assertEquals("datasource", unknown.json().get("field").asText());
            assertEquals(400, missing.status(), missing.toString());
            assertEquals("datasource", missing.json().get("field").asText());
        }

        /** It is handed to databases, whose logs may keep it: Keycloak must not take it for a sign-in. */
        @Test
        void is_no_key_to_keycloak_or_to_the_apis(TestEnvironment env) throws Exception {
            String token = mint(env, granted.username(), Map.of("datasource", "analytics")).json().get("access_token").asText();
            assertEquals("JIT-Columns-Database", RealmJwks.claims(token).getStringClaim("typ"));

            assertEquals(401, Http.post(env.userApi() + "/token", token, Map.of("datasource", "analytics")).status());
            assertEquals(401, Http.get(env.userApi() + "/grants", token).status());
            assertEquals(401, Http.post(env.userApi() + "/requests", token, Jit.body("datasource", "analytics",
                    "columns", List.of(Jit.EMAIL), "reason", "Production incident 4711", "durationMinutes", 15, "breakGlass", true)).status());
            assertEquals(401, Http.get(env.adminApi() + "/requests", token).status());
            assertEquals(401, Http.get(env.realmUrl() + "/protocol/openid-connect/userinfo", token).status());
        }

        @Test
        void is_refused_to_a_service_account(TestEnvironment env) throws Exception {
            Http.Reply r = Http.postForm(env.realmUrl() + "/protocol/openid-connect/token", Map.of(
                    "grant_type", "client_credentials", "client_id", AnalyticsDatabase.AGENT_CLIENT,
                    "client_secret", env.keycloak().clientSecret(TestEnvironment.REALM, AnalyticsDatabase.AGENT_CLIENT)));
            String agent = r.json().get("access_token").asText();

            assertEquals(403, Http.post(env.userApi() + "/token", agent, Map.of("datasource", "analytics")).status());
            assertEquals(403, Http.post(env.userApi() + "/requests", agent, Jit.body("datasource", "analytics", "columns",
                    List.of(Jit.DOB), "reason", "Production incident 4711", "durationMinutes", 15, "breakGlass", true)).status());
            assertEquals(403, Http.get(env.userApi() + "/grants", agent).status());
        }

        @Test
        void is_refused_401_without_a_bearer_token(TestEnvironment env) {
            assertEquals(401, Http.post(env.userApi() + "/token", null, Map.of("datasource", "analytics")).status());
        }

        @Test
        void is_in_the_audit_trail_with_its_jti_and_grant(TestEnvironment env) throws Exception {
            String token = mint(env, granted.username(), Map.of("datasource", "analytics")).json().get("access_token").asText();
            String jti = RealmJwks.claims(token).getJWTID();

            Http.Reply audit = Http.get(env.adminApi() + "/audit?format=json", env.tokenOf("admin"));

            assertEquals(200, audit.status(), audit.toString());
            assertTrue(audit.body().contains(jti), "no audit entry names jti " + jti);
            assertTrue(audit.body().contains("TOKEN_ISSUED"));
        }
    }

    @Nested
    class IssuedThroughOidcWithTheClientScope {
        static Jit.Granted granted;

        @BeforeAll
        static void grant(TestEnvironment env) {
            granted = Jit.grant(env, 60);
        }

        @Test
        void carries_the_grant_and_the_datasource_audience(TestEnvironment env) throws Exception {
            JWTClaimsSet claims = RealmJwks.verify(env, oidcTokens(env, granted.username(), "openid jit-columns").get("access"));

            assertEquals(Map.of("analytics", List.of(DOB)), claims.getJSONObjectClaim("jit_columns"));
            assertEquals(List.of(granted.grantId()), claims.getStringListClaim("jit_grants"));
            assertTrue(claims.getAudience().contains("analytics"), "aud " + claims.getAudience());
            assertTrue(claims.getExpirationTime().toInstant().getEpochSecond() <= granted.expiresAt().getEpochSecond());
        }

        @Test
        void lives_no_longer_than_the_configured_maximum_while_a_token_without_grants_gets_the_realm_lifespan(
                TestEnvironment env) throws Exception {
            long realmLifespan = realmLifespanAboveTheMaximum(env);

            Map<String, String> scoped = oidcTokens(env, granted.username(), "openid jit-columns");
            JWTClaimsSet withGrants = RealmJwks.verify(env, scoped.get("access"));
            JWTClaimsSet withoutGrants = RealmJwks.verify(env, oidcTokens(env, granted.username(), "openid").get("access"));

            assertEquals(List.of(granted.grantId()), withGrants.getStringListClaim("jit_grants"));
            assertEquals(TestEnvironment.TOKEN_MAX_LIFETIME_SECONDS, lifetime(withGrants), "the grant has an hour left: the maximum applies");
            assertTrue(Long.parseLong(scoped.get("expires_in")) <= TestEnvironment.TOKEN_MAX_LIFETIME_SECONDS, scoped.toString());
            assertEquals(realmLifespan, lifetime(withoutGrants), 1, "no grant claim, no cap");
        }

        /** Not each refresh: a sign-in's first token with grants, and the first after its grants changed. */
        @Test
        void is_in_the_audit_trail_once_per_session_and_set_of_grants(TestEnvironment env) throws Exception {
            Instant from = Instant.now().minusSeconds(1);
            Jit.Granted user = Jit.grant(env, 60);
            Map<String, String> tokens = oidcTokens(env, user.username(), "openid jit-columns");
            String firstJti = RealmJwks.claims(tokens.get("access")).getJWTID();
            refresh(env, tokens.get("refresh"));
            refresh(env, tokens.get("refresh"));

            List<JsonNode> issued = scopeTokensAudited(env, from, user.username());
            assertEquals(1, issued.size(), issued.toString());
            JsonNode details = Http.JSON.readTree(issued.get(0).get("details").asText());
            assertEquals(firstJti, details.get("jti").asText());
            assertEquals(List.of(user.grantId()), Jit.texts(details.get("grants"), ""));
            assertEquals(TestEnvironment.CLI_CLIENT, details.get("client").asText());

            String second = Jit.created(env, user.username(), Jit.emailRequest()).get("id").asText();
            assertEquals(200, Jit.approve(env, env.tokenOf("owner"), second).status());
            String afterApproval = refresh(env, tokens.get("refresh"));
            refresh(env, tokens.get("refresh"));

            issued = scopeTokensAudited(env, from, user.username());
            assertEquals(2, issued.size(), "the new set of grants: " + issued);
            assertEquals(RealmJwks.claims(afterApproval).getJWTID(),
                    Http.JSON.readTree(issued.get(1).get("details").asText()).get("jti").asText());
        }

        private static List<JsonNode> scopeTokensAudited(TestEnvironment env, Instant from, String username) throws Exception {
            Http.Reply audit = Http.get(env.adminApi() + "/audit?from=" + from, env.tokenOf("admin"));
            assertEquals(200, audit.status(), audit.toString());
            List<JsonNode> issued = new ArrayList<>();
            for (JsonNode e : audit.json()) {
                if ("TOKEN_ISSUED".equals(e.get("action").asText()) && username.equals(e.at("/actor/username").asText())
                        && e.get("details").asText().contains("client-scope")) {
                    issued.add(e);
                }
            }
            return issued;
        }

        @Test
        void carries_nothing_without_the_scope(TestEnvironment env) throws Exception {
            JWTClaimsSet claims = RealmJwks.verify(env, oidcTokens(env, granted.username(), "openid").get("access"));

            assertNull(claims.getClaim("jit_columns"));
            assertNull(claims.getClaim("jit_grants"));
        }

        @Test
        void carries_nothing_for_a_user_without_grants(TestEnvironment env) throws Exception {
            String stranger = Jit.unique("tok");
            Jit.createUser(env, stranger);

            JWTClaimsSet claims = RealmJwks.verify(env, oidcTokens(env, stranger, "openid jit-columns").get("access"));

            assertNull(claims.getClaim("jit_columns"));
            assertFalse(claims.getAudience().contains("analytics"));
        }
    }

    @Nested
    class ExpiryFollowsTheGrant {
        @Test
        void a_short_grant_lowers_exp_of_both_kinds_of_token(TestEnvironment env) throws Exception {
            Jit.Granted granted = Jit.grant(env, 1);
            long grantEnd = granted.expiresAt().getEpochSecond();

            Http.Reply minted = mint(env, granted.username(), Map.of("datasource", "analytics"));
            JWTClaimsSet fromEndpoint = RealmJwks.verify(env, minted.json().get("access_token").asText());
            JWTClaimsSet fromOidc = RealmJwks.verify(env, oidcTokens(env, granted.username(), "openid jit-columns").get("access"));

            assertTrue(fromEndpoint.getExpirationTime().toInstant().getEpochSecond() <= grantEnd);
            assertTrue(minted.json().get("expires_in").asLong() <= 60, minted.toString());
            assertTrue(fromOidc.getExpirationTime().toInstant().getEpochSecond() <= grantEnd);
        }

        @Test
        void a_refresh_after_the_grant_ended_drops_it(TestEnvironment env) throws Exception {
            Jit.Granted granted = Jit.grant(env, 60);
            Map<String, String> tokens = oidcTokens(env, granted.username(), "openid jit-columns");
            assertNotNull(RealmJwks.claims(tokens.get("access")).getClaim("jit_columns"));

            endGrant(env, granted.grantId());

            assertNull(RealmJwks.verify(env, refresh(env, tokens.get("refresh"))).getClaim("jit_columns"));
            assertEquals(409, mint(env, granted.username(), Map.of("datasource", "analytics")).status());
        }

        @Test
        void a_cached_grant_drops_out_when_its_time_is_up(TestEnvironment env) throws Exception {
            Jit.Granted granted = Jit.grant(env, 1);
            Map<String, String> tokens = oidcTokens(env, granted.username(), "openid jit-columns");
            assertNotNull(RealmJwks.claims(tokens.get("access")).getClaim("jit_columns"));

            // Real time, no edit behind Keycloak's back: the grants cached with the user must be filtered by the clock.
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), granted.expiresAt()).toMillis()) + 1_000);

            assertNull(RealmJwks.verify(env, refresh(env, tokens.get("refresh"))).getClaim("jit_columns"));
        }

        @Test
        void a_revoked_grant_stops_new_tokens_at_once(TestEnvironment env) throws Exception {
            Jit.Granted granted = Jit.grant(env, 60);
            Map<String, String> tokens = oidcTokens(env, granted.username(), "openid jit-columns");

            Http.Reply revoked = Http.post(env.adminApi() + "/grants/" + granted.grantId() + "/revoke", env.tokenOf("owner"),
                    Map.of("reason", "Investigation closed"));
            assertEquals(200, revoked.status(), revoked.toString());

            assertEquals(409, mint(env, granted.username(), Map.of("datasource", "analytics")).status());
            assertNull(RealmJwks.verify(env, refresh(env, tokens.get("refresh"))).getClaim("jit_columns"));
            assertNull(RealmJwks.verify(env, oidcTokens(env, granted.username(), "openid jit-columns").get("access"))
                    .getClaim("jit_columns"));
        }
    }

    /** The grants are cached with Keycloak's user: every change that adds or lengthens one must reach the next token. */
    @Nested
    class GrantChangesReachTheNextRefresh {

        /** A new user signs in with the scope while it has no grant, so its empty grant list is cached. */
        private static String signedInWithoutGrants(TestEnvironment env, String username) throws Exception {
            Jit.createUser(env, username);
            Map<String, String> tokens = oidcTokens(env, username, "openid jit-columns");
            assertNull(RealmJwks.claims(tokens.get("access")).getClaim("jit_columns"));
            return tokens.get("refresh");
        }

        @Test
        void a_grant_approved_after_sign_in_is_in_the_next_refresh(TestEnvironment env) throws Exception {
            String username = Jit.unique("tok");
            String refreshToken = signedInWithoutGrants(env, username);

            JsonNode request = Jit.created(env, username, Jit.body("datasource", "analytics", "columns", List.of(DOB),
                    "reason", "Verifying the customer's age", "durationMinutes", 60));
            assertEquals(200, Jit.approve(env, env.tokenOf("owner"), request.get("id").asText()).status());

            assertEquals(Map.of("analytics", List.of(DOB)),
                    RealmJwks.verify(env, refresh(env, refreshToken)).getJSONObjectClaim("jit_columns"));
        }

        @Test
        void an_approved_extension_lifts_exp_in_the_next_refresh(TestEnvironment env) throws Exception {
            Jit.Granted granted = Jit.grant(env, 1);
            Map<String, String> tokens = oidcTokens(env, granted.username(), "openid jit-columns");
            long grantEnd = granted.expiresAt().getEpochSecond();
            assertTrue(RealmJwks.claims(tokens.get("access")).getExpirationTime().toInstant().getEpochSecond() <= grantEnd);

            Http.Reply extension = Http.post(env.userApi() + "/requests/" + granted.requestId() + "/extend",
                    env.tokenOf(granted.username()), Map.of("durationMinutes", 60, "reason", "The audit needs another hour"));
            assertEquals(201, extension.status(), extension.toString());
            assertEquals(200, Jit.approve(env, env.tokenOf("owner"), extension.json().get("id").asText()).status());

            JWTClaimsSet refreshed = RealmJwks.verify(env, refresh(env, tokens.get("refresh")));
            assertTrue(refreshed.getExpirationTime().toInstant().getEpochSecond() > grantEnd, refreshed.toString());
        }

        @Test
        void a_break_glass_grant_is_in_the_next_refresh(TestEnvironment env) throws Exception {
            String username = Jit.unique("tok");
            String refreshToken = signedInWithoutGrants(env, username);

            assertEquals(201, Jit.create(env, username, Jit.body("datasource", "analytics", "columns", List.of(EMAIL),
                    "reason", "Production incident 4711", "durationMinutes", 15, "breakGlass", true)).status());

            assertEquals(Map.of("analytics", List.of(EMAIL)),
                    RealmJwks.verify(env, refresh(env, refreshToken)).getJSONObjectClaim("jit_columns"));
        }
    }
}
