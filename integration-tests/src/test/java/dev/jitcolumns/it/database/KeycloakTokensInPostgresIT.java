package dev.jitcolumns.it.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitcolumns.it.harness.AnalyticsSession;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SQL package trusts the real Keycloak of the run through its JWKS, and nothing beyond it. */
@ExtendWith(KeycloakHarness.class)
class KeycloakTokensInPostgresIT {

    @Test
    void an_ordinary_keycloak_token_verifies_but_is_not_for_the_database(TestEnvironment env) throws SQLException {
        try (AnalyticsSession session = new AnalyticsSession(env)) {
            SQLException refused = assertThrows(SQLException.class, () -> session.setToken(env.tokenOf("analyst")));

            // The signature checked out against the realm's JWKS; the audience is what stops it.
            assertTrue(refused.getMessage().contains("audience does not contain analytics"), refused.getMessage());
        }
    }

    @Test
    void a_keycloak_token_with_a_tampered_payload_fails_the_signature(TestEnvironment env) throws SQLException {
        String[] parts = env.tokenOf("analyst").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("\"aud\":", "\"aud\":\"analytics\",\"x\":").getBytes()) + "." + parts[2];

        try (AnalyticsSession session = new AnalyticsSession(env)) {
            SQLException refused = assertThrows(SQLException.class, () -> session.setToken(forged));

            assertTrue(refused.getMessage().contains("bad signature"), refused.getMessage());
            assertNull(session.customerColumn("ssn"));
        }
    }

    /** The second route of the design: an application's ordinary OIDC token with the client scope jit-columns. */
    @Test
    void a_token_from_the_token_endpoint_with_the_client_scope_unmasks_the_granted_column_only(TestEnvironment env)
            throws SQLException {
        Jit.Granted granted = Jit.grant(env, 60);
        String token = TestEnvironment.passwordGrant(env.realmUrl(), TestEnvironment.CLI_CLIENT, granted.username(),
                granted.username(), List.of("jit-columns"));
        String birthDate = AnalyticsSession.storedCustomerColumn(env, "date_of_birth");

        try (AnalyticsSession session = new AnalyticsSession(env)) {
            assertNotEquals(birthDate, session.customerColumn("date_of_birth"), "masked (year only) before");

            session.setToken(token);

            assertEquals(birthDate, session.customerColumn("date_of_birth"), "the granted column");
            assertNull(session.customerColumn("ssn"), "ssn was not granted");
            assertTrue(session.customerColumn("card_number").startsWith("*"), "card_number stays masked");
        }
    }

    /** The database verifies RS256 only: a realm (or client) signing access tokens otherwise is refused outright. */
    @Test
    void a_keycloak_token_signed_with_another_algorithm_is_refused_for_it(TestEnvironment env) throws SQLException {
        String realm = Jit.unique("es256");
        String realmAdmin = env.keycloakUrl() + "/admin/realms/" + realm;
        Http.Reply created = Http.post(env.keycloakUrl() + "/admin/realms", env.masterAdminToken(), Jit.body(
                "realm", realm, "enabled", true, "defaultSignatureAlgorithm", "ES256",
                "users", List.of(Jit.user("app"))));
        assertEquals(201, created.status(), created.toString());
        try {
            String token = TestEnvironment.passwordGrant(env.keycloakUrl() + "/realms/" + realm, "admin-cli", "app", "app", List.of());
            String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
            assertTrue(header.contains("\"ES256\""), header);

            try (AnalyticsSession session = new AnalyticsSession(env)) {
                SQLException refused = assertThrows(SQLException.class, () -> session.setToken(token));

                assertTrue(refused.getMessage().contains("alg must be RS256"), refused.getMessage());
            }
        } finally {
            assertEquals(204, Http.delete(realmAdmin, env.masterAdminToken()).status());
        }
    }
}
