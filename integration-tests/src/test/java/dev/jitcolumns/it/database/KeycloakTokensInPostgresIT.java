package dev.jitcolumns.it.database;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitcolumns.it.harness.AnalyticsSession;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import java.sql.SQLException;
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
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]));
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("\"aud\":", "\"aud\":\"analytics\",\"x\":").getBytes()) + "." + parts[2];

        try (AnalyticsSession session = new AnalyticsSession(env)) {
            SQLException refused = assertThrows(SQLException.class, () -> session.setToken(forged));

            assertTrue(refused.getMessage().contains("bad signature"), refused.getMessage());
            assertNull(session.customerColumn("ssn"));
        }
    }
}
