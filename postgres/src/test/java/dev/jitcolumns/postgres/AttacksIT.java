package dev.jitcolumns.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each test is an attack on the enforcement point and asserts what the attacker's SQL session
 * observes: the error it gets, or the masked value it reads through app.customers.
 */
@ExtendWith(PostgresServer.class)
class AttacksIT {

    static final String SSN = "public.customers.ssn";
    static final String REJECTED = "28000";
    static String realSsn;

    @BeforeAll
    static void realValues() throws SQLException {
        try (Session su = Session.superuser()) {
            realSsn = su.one("SELECT ssn FROM public.customers WHERE id = 1");
        }
        assertNotNull(realSsn);
    }

    static SQLException rejected(String token, String reason) throws SQLException {
        try (Session s = Session.app()) {
            SQLException e = assertThrows(SQLException.class, () -> s.setToken(token));
            assertEquals(REJECTED, e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains(reason), e.getMessage());
            // and the session still reads masked
            assertNull(s.ssn());
            return e;
        }
    }

    static String b64(String json) {
        return Tokens.b64(json.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class HonestClient {
        @Test
        void valid_token_unmasks_only_the_granted_column() throws SQLException {
            try (Session s = Session.app()) {
                assertNull(s.ssn());
                JsonNode r = s.setToken(Tokens.KEYS.token(SSN));
                assertEquals(SSN, r.get("columns").get(0).asText());
                assertEquals(realSsn, s.ssn());
                assertTrue(s.customer(1, "card_number").startsWith("****"), "card_number stays masked");
                assertTrue(s.customer(1, "date_of_birth").endsWith("-01-01"), "date_of_birth stays year-only");
                assertEquals("t", s.one("SELECT jit_columns.column_granted('public', 'customers', 'ssn')"));
                assertEquals("3d1b6c9e-analyst", s.one("SELECT jit_columns.claims() ->> 'sub'"));
                s.exec("SELECT jit_columns.clear_token()");
                assertNull(s.ssn());
            }
        }

        @Test
        void usage_is_audited_with_who_what_and_where() throws SQLException {
            ObjectNode p = Tokens.payload(SSN);
            String jti = p.get("jti").asText();
            try (Session s = Session.app()) {
                s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), p));
                s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), p)); // cached: not audited twice
            }
            try (Session su = Session.superuser()) {
                assertEquals("1", su.one("SELECT count(*) FROM jit_columns.usage_audit WHERE jti = '" + jti + "'"));
                assertEquals("3d1b6c9e-analyst|app_user|jit-columns-test|{public.customers.ssn}|127.0.0.1",
                        su.one("SELECT concat_ws('|', sub, session_user_name, application_name, columns, client_addr) "
                                + "FROM jit_columns.usage_audit WHERE jti = '" + jti + "'"));
            }
        }
    }

    @Nested
    class ForgedTokens {
        @Test
        void forged_signature() throws SQLException {
            String t = Tokens.KEYS.token(SSN);
            int dot = t.lastIndexOf('.');
            byte[] sig = Base64.getUrlDecoder().decode(t.substring(dot + 1));
            sig[100] ^= 0x01;
            rejected(t.substring(0, dot + 1) + Tokens.b64(sig), "bad signature");
        }

        @Test
        void alg_none() throws SQLException {
            ObjectNode h = Tokens.KEYS.header().put("alg", "none");
            String t = b64(h.toString()) + "." + b64(Tokens.payload(SSN).toString()) + ".";
            rejected(t, "malformed");
            // with a junk signature part too
            rejected(b64(h.toString()) + "." + b64(Tokens.payload(SSN).toString()) + ".AAAA", "alg must be RS256");
        }

        @Test
        void alg_case_variants() throws SQLException {
            for (String alg : new String[] {"rs256", "RS256 ", "RS512", "PS256"}) {
                ObjectNode h = Tokens.KEYS.header().put("alg", alg);
                rejected(Tokens.KEYS.sign(h, Tokens.payload(SSN)), "alg must be RS256");
            }
        }

        @Test
        void hs256_key_confusion() throws Exception {
            // HMAC keyed with the public key material an attacker can download from the JWKS.
            ObjectNode h = Tokens.KEYS.header().put("alg", "HS256");
            String input = b64(h.toString()) + "." + b64(Tokens.payload(SSN).toString());
            for (byte[] key : List.of(Tokens.KEYS.jwks().getBytes(StandardCharsets.UTF_8),
                    Tokens.KEYS.pair.getPublic().getEncoded(),
                    Tokens.unsigned(((java.security.interfaces.RSAPublicKey) Tokens.KEYS.pair.getPublic()).getModulus()))) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                String t = input + "." + Tokens.b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
                rejected(t, "alg must be RS256");
            }
        }

        @Test
        void unknown_kid() throws SQLException {
            rejected(Tokens.KEYS.sign(Tokens.KEYS.header().put("kid", "nobody"), Tokens.payload(SSN)), "unknown kid");
            rejected(Tokens.KEYS.sign((ObjectNode) Tokens.KEYS.header().without("kid"), Tokens.payload(SSN)), "kid missing");
        }

        @Test
        void right_kid_wrong_key() throws SQLException {
            Tokens attacker = new Tokens(Tokens.KEYS.kid);
            rejected(attacker.token(SSN), "bad signature");
        }

        @Test
        void encryption_key_kid_is_not_a_signing_key() throws SQLException {
            // The JWKS also lists an RSA-OAEP key (use=enc): it must not verify signatures.
            rejected(Tokens.KEYS.sign(Tokens.KEYS.header().put("kid", Tokens.KEYS.kid + "-enc"), Tokens.payload(SSN)),
                    "unknown kid");
        }

        @Test
        void tampered_payload() throws SQLException {
            String t = Tokens.KEYS.token("public.customers.email");
            String[] parts = t.split("\\.");
            ObjectNode p = Tokens.payload(SSN, "public.customers.card_number");
            rejected(parts[0] + "." + b64(p.toString()) + "." + parts[2], "bad signature");
        }

        @Test
        void crit_header_is_refused() throws SQLException {
            ObjectNode h = Tokens.KEYS.header();
            h.putArray("crit").add("exp");
            rejected(Tokens.KEYS.sign(h, Tokens.payload(SSN)), "crit");
        }

        @Test
        void garbage_token_1mb() throws SQLException {
            String garbage = "A".repeat(1024 * 1024) + ".B.C";
            long t0 = System.nanoTime();
            rejected(garbage, "too large");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "rejected without heavy work");
            rejected("not a jwt at all; DROP TABLE public.customers; --", "malformed");
            rejected("e30.e30.e30", "alg must be RS256");
            rejected("", "empty");
        }

        @Test
        void an_unsigned_token_with_standard_conforming_strings_off() throws SQLException {
            // PL/pgSQL reads a function's string literals with the caller's setting when it compiles the function
            // (once per session): with it off, '\.' in a pattern would be any character and '\x' another byte.
            String unsigned = b64(Tokens.KEYS.header().toString()) + "." + b64(Tokens.payload(SSN).toString());
            for (String token : new String[] {unsigned, unsigned + ".", unsigned + "x" + b64("{}")}) {
                try (Session s = Session.app()) {
                    s.exec("SET standard_conforming_strings = off");
                    SQLException e = assertThrows(SQLException.class, () -> s.setToken(token));
                    assertEquals(REJECTED, e.getSQLState(), e.getMessage());
                    assertNull(s.ssn());
                }
            }
            // and a real token is still revoked at once in such a session (its revocation-epoch lookup holds)
            ObjectNode p = Tokens.payload(SSN);
            try (Session s = Session.app(); Session su = Session.superuser()) {
                s.exec("SET standard_conforming_strings = off");
                s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), p));
                assertEquals(realSsn, s.ssn());
                su.exec("SELECT jit_columns.revoke_grant('" + p.get("jit_grants").get(0).asText() + "')");
                assertNull(s.ssn());
            }
        }

        /** One token, one spelling: the unused low bits of the last character must be zero. */
        @Test
        void a_signature_spelled_another_way_is_refused() throws SQLException {
            String t = Tokens.KEYS.token(SSN);
            int dot = t.lastIndexOf('.');
            String sig = t.substring(dot + 1);
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            char last = sig.charAt(sig.length() - 1);
            String respelled = sig.substring(0, sig.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
            assertTrue(java.util.Arrays.equals(Base64.getUrlDecoder().decode(sig), Base64.getUrlDecoder().decode(respelled)),
                    "the same bytes");
            rejected(t.substring(0, dot + 1) + respelled, "malformed signature");
            String oneOver = sig + "AAAA".substring(0, (5 - sig.length() % 4) % 4); // length % 4 = 1: no base64 at all
            assertEquals(1, oneOver.length() % 4);
            rejected(t.substring(0, dot + 1) + oneOver, "malformed signature"); // 28000, not 22023
        }

        @Test
        void signature_of_wrong_length() throws SQLException {
            String t = Tokens.KEYS.token(SSN);
            int dot = t.lastIndexOf('.');
            byte[] sig = Base64.getUrlDecoder().decode(t.substring(dot + 1));
            byte[] longer = new byte[sig.length + 1];
            System.arraycopy(sig, 0, longer, 1, sig.length); // same integer, leading zero byte
            rejected(t.substring(0, dot + 1) + Tokens.b64(longer), "bad signature");
            byte[] shorter = java.util.Arrays.copyOf(sig, sig.length - 1);
            rejected(t.substring(0, dot + 1) + Tokens.b64(shorter), "bad signature");
        }
    }

    @Nested
    class ClaimChecks {
        long now = Instant.now().getEpochSecond();

        String signed(ObjectNode p) {
            return Tokens.KEYS.sign(Tokens.KEYS.header(), p);
        }

        @Test
        void expired() throws SQLException {
            rejected(signed(Tokens.payload(SSN).put("exp", now - 31).put("iat", now - 600)), "expired");
        }

        @Test
        void expired_within_leeway_still_valid() throws SQLException {
            try (Session s = Session.app()) {
                s.setToken(signed(Tokens.payload(SSN).put("exp", now - 5).put("iat", now - 600)));
                assertEquals(realSsn, s.ssn());
            }
        }

        @Test
        void not_yet_valid() throws SQLException {
            rejected(signed(Tokens.payload(SSN).put("nbf", now + 120)), "not yet valid");
            rejected(signed(Tokens.payload(SSN).put("iat", now + 120).put("exp", now + 400)), "not yet valid");
        }

        @Test
        void lifetime_above_the_maximum() throws SQLException {
            rejected(signed(Tokens.payload(SSN).put("iat", now - 10).put("exp", now + 3600)), "lifetime above the maximum");
        }

        @Test
        void wrong_issuer() throws SQLException {
            rejected(signed(Tokens.payload(SSN).put("iss", "http://127.0.0.1:8080/realms/evil")), "wrong issuer");
            rejected(signed(Tokens.payload(SSN).put("iss", Tokens.ISSUER + "/")), "wrong issuer");
            rejected(signed((ObjectNode) Tokens.payload(SSN).without("iss")), "wrong issuer");
        }

        @Test
        void audience_of_another_datasource() throws SQLException {
            ObjectNode p = Tokens.payload(SSN);
            p.putArray("aud").add("billing");
            rejected(signed(p), "audience");
            rejected(signed(Tokens.payload(SSN).put("aud", "analytics-2")), "audience");
            rejected(signed((ObjectNode) Tokens.payload(SSN).without("aud")), "audience");
        }

        @Test
        void audience_as_plain_string_is_accepted() throws SQLException {
            try (Session s = Session.app()) {
                s.setToken(signed(Tokens.payload(SSN).put("aud", "analytics")));
                assertEquals(realSsn, s.ssn());
            }
        }

        @Test
        void columns_claimed_for_another_datasource() throws SQLException {
            ObjectNode p = Tokens.payload();
            p.putObject("jit_columns").putArray("billing").add(SSN);
            try (Session s = Session.app()) {
                JsonNode r = s.setToken(signed(p));
                assertEquals(0, r.get("columns").size());
                assertNull(s.ssn());
            }
        }

        @Test
        void malformed_claims() throws SQLException {
            rejected(signed(Tokens.payload(SSN).put("exp", "tomorrow")), "must be numbers");
            ObjectNode p = Tokens.payload();
            p.putObject("jit_columns").put("analytics", SSN);
            rejected(signed(p), "arrays of strings");
        }

        @Test
        void revoked_grant() throws SQLException {
            ObjectNode p = Tokens.payload(SSN);
            String grant = p.get("jit_grants").get(0).asText();
            String token = signed(p);
            try (Session s = Session.app(); Session other = Session.app(); Session su = Session.superuser()) {
                s.setToken(token);
                other.setToken(token);
                assertEquals(realSsn, s.ssn());
                su.exec("SELECT jit_columns.revoke_grant('" + grant + "')");
                // the very next statement of the open sessions reads masked
                assertNull(s.ssn());
                assertNull(other.ssn());
                SQLException e = assertThrows(SQLException.class, () -> s.setToken(token));
                assertTrue(e.getMessage().contains("grant revoked"), e.getMessage());
            }
            rejected(token, "grant revoked");
        }

        @Test
        void revoking_a_revoked_grant_again_changes_nothing() throws SQLException {
            // The agent applies its whole feed after each restart: a repeated revocation must not make every
            // cached token of the database re-check the revocation tables.
            String epoch = "SELECT revocation_epoch FROM jit_columns.token_cache WHERE backend_pid = 0";
            try (Session su = Session.superuser()) {
                su.exec("SELECT jit_columns.revoke_grant('grant-applied-twice')");
                String after = su.one(epoch);
                su.exec("SELECT jit_columns.revoke_grant('grant-applied-twice')");
                assertEquals(after, su.one(epoch));
                assertEquals("1", su.one("SELECT count(*) FROM jit_columns.revoked_grants WHERE grant_id = 'grant-applied-twice'"));
            }
        }

        @Test
        void revocation_racing_a_verification() throws SQLException {
            // A set_token that verified just before a concurrent revocation committed leaves a cache row
            // that revoke_grant's DELETE could not see. Simulated: the revocation is recorded and the
            // epoch bumped, but the cache row stays. The epoch makes the next statement re-check.
            ObjectNode p = Tokens.payload(SSN);
            String grant = p.get("jit_grants").get(0).asText();
            try (Session s = Session.app(); Session su = Session.superuser()) {
                s.setToken(signed(p));
                assertEquals(realSsn, s.ssn());
                su.exec("SELECT jit_columns.revoke_grant('some-other-grant')"); // epoch moves, not about us
                assertEquals(realSsn, s.ssn());
                su.exec("INSERT INTO jit_columns.revoked_grants (grant_id) VALUES ('" + grant + "')");
                su.exec("SELECT jit_columns.bump_epoch()");
                assertEquals("1", su.one("SELECT count(*) FROM jit_columns.token_cache WHERE '" + grant + "' = ANY (grants)"));
                assertNull(s.ssn());
                assertNull(s.one("SELECT jit_columns.claims()"));
            }
        }

        @Test
        void jti_revocation_racing_a_verification() throws SQLException {
            // As above, for a token revoked by its jti: the masked view re-checks it once the epoch moved.
            ObjectNode p = Tokens.payload(SSN);
            try (Session s = Session.app(); Session su = Session.superuser()) {
                s.setToken(signed(p));
                assertEquals(realSsn, s.ssn());
                su.exec("INSERT INTO jit_columns.revoked_tokens (jti, expires_at) VALUES ('" + p.get("jti").asText()
                        + "', now() + interval '1 hour')");
                assertEquals(realSsn, s.ssn(), "the epoch has not moved yet: no re-check");
                su.exec("SELECT jit_columns.bump_epoch()");
                assertNull(s.ssn());
            }
        }

        @Test
        void revoked_jti() throws SQLException {
            ObjectNode p = Tokens.payload(SSN);
            String token = signed(p);
            try (Session s = Session.app(); Session su = Session.superuser()) {
                s.setToken(token);
                assertEquals(realSsn, s.ssn());
                su.exec("SELECT jit_columns.revoke_token('" + p.get("jti").asText() + "', now() + interval '1 hour')");
                assertNull(s.ssn());
            }
            rejected(token, "token revoked");
        }

        @Test
        void a_long_statement_does_not_outlive_the_token() throws Exception {
            // A DO block (or a procedure) is one top-level statement: the clock, not its start, decides.
            ObjectNode p = Tokens.payload(SSN).put("exp", now - 28).put("iat", now - 60); // exp + leeway in 2 s
            try (Session s = Session.app()) {
                s.setToken(signed(p));
                s.exec("CREATE TEMP TABLE seen (phase text, ssn text)");
                s.exec("DO $$ BEGIN INSERT INTO seen SELECT 'before', ssn FROM app.customers WHERE id = 1; "
                        + "PERFORM pg_sleep(3); INSERT INTO seen SELECT 'after', ssn FROM app.customers WHERE id = 1; END $$");
                assertEquals(realSsn, s.one("SELECT ssn FROM seen WHERE phase = 'before'"));
                assertNull(s.one("SELECT ssn FROM seen WHERE phase = 'after'"), "read after exp + leeway inside one DO block");
            }
            // nor is a token that expired while the statement ran accepted by set_token() inside it
            String late = signed(Tokens.payload(SSN).put("exp", now - 28).put("iat", now - 60));
            try (Session s = Session.app()) {
                SQLException e = assertThrows(SQLException.class, () -> s.exec(
                        "DO $$ BEGIN PERFORM pg_sleep(3); PERFORM jit_columns.set_token('" + late + "'); END $$"));
                assertTrue(e.getMessage().contains("expired"), e.getMessage());
            }
        }

        @Test
        void expiry_ends_access_mid_session() throws Exception {
            // exp in 2 s, no leeway beyond the configured 30 s would make this slow: use a statement
            // timestamp check instead, through a token whose exp + leeway is just ahead.
            ObjectNode p = Tokens.payload(SSN).put("exp", now - 28).put("iat", now - 60);
            try (Session s = Session.app()) {
                s.setToken(signed(p));
                assertEquals(realSsn, s.ssn());
                Thread.sleep(3000);
                assertNull(s.ssn(), "exp + leeway passed: masked again on the next statement");
            }
        }
    }

    /**
     * What a transaction's snapshot cannot see: a revocation, a new configuration or a retired key committed after it
     * began. A snapshot kept for a whole transaction (REPEATABLE READ, SERIALIZABLE, an imported snapshot) is refused;
     * a verification committed after configure() or a key retirement is checked again once they moved the epoch.
     */
    @Nested
    class ChangesOutsideTheSnapshot {
        @Test
        void a_transaction_that_began_before_a_revocation_does_not_take_the_revoked_token() throws SQLException {
            ObjectNode p = Tokens.payload(SSN);
            try (Session s = Session.app(); Session su = Session.superuser()) {
                s.conn.setAutoCommit(false);
                s.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                s.one("SELECT 1"); // the snapshot is taken
                su.exec("SELECT jit_columns.revoke_grant('" + p.get("jit_grants").get(0).asText() + "')");
                SQLException e = assertThrows(SQLException.class, () -> s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), p), true));
                assertTrue(e.getMessage().contains("READ COMMITTED"), e.getMessage());
                s.conn.rollback();
            }
        }

        @Test
        void a_token_of_the_session_unmasks_nothing_in_a_repeatable_read_transaction() throws SQLException {
            try (Session s = Session.app()) {
                s.setToken(Tokens.KEYS.token(SSN));
                assertEquals(realSsn, s.ssn());
                s.conn.setAutoCommit(false);
                s.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                assertNull(s.ssn());
                assertNull(s.one("SELECT jit_columns.claims()"));
                s.conn.rollback();
            }
        }

        @Test
        void a_verification_committed_after_its_jti_was_revoked_is_not_trusted() throws SQLException {
            ObjectNode p = Tokens.payload(SSN);
            try (Session s = Session.app(); Session su = Session.superuser()) {
                s.conn.setAutoCommit(false);
                s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), p), false); // verified; its cache row not committed yet
                su.exec("SELECT jit_columns.revoke_token('" + p.get("jti").asText() + "', now() + interval '1 hour')");
                s.conn.commit();
                assertNull(s.ssn(), "verified before the revocation committed, used after it");
                s.conn.rollback();
            }
        }

        @Test
        void a_verification_committed_after_the_issuer_changed_is_not_trusted() throws SQLException {
            try (Session s = Session.app(RECONFIGURED); Session su = Session.superuser(RECONFIGURED)) {
                s.conn.setAutoCommit(false);
                s.setToken(Tokens.KEYS.token(SSN), false); // verified; its cache row not committed yet
                su.exec("SELECT jit_columns.configure('http://127.0.0.1:8080/realms/other', 'analytics', '30 s', '1 h')");
                s.conn.commit();
                try {
                    assertNull(s.ssn(), "verified for the old issuer");
                } finally {
                    s.conn.rollback();
                    su.exec("SELECT jit_columns.configure('" + Tokens.ISSUER + "', 'analytics', '30 s', '1 h')");
                }
            }
        }

        @Test
        void a_verification_committed_after_its_key_retired_is_not_trusted() throws SQLException {
            try (Session s = Session.app(RECONFIGURED); Session su = Session.superuser(RECONFIGURED)) {
                su.exec("SELECT jit_columns.configure('" + Tokens.ISSUER + "', 'analytics', '30 s', '1 h', key_grace => '0')");
                s.conn.setAutoCommit(false);
                s.setToken(Tokens.KEYS.token(SSN), false);
                su.exec("SELECT jit_columns.load_jwks('{\"keys\": []}')"); // the key leaves the JWKS: retired at once
                s.conn.commit();
                try {
                    assertNull(s.ssn(), "verified with a key that retired meanwhile");
                } finally {
                    s.conn.rollback();
                    su.exec("SELECT jit_columns.load_jwks('" + Tokens.KEYS.jwks() + "')");
                    su.exec("SELECT jit_columns.configure('" + Tokens.ISSUER + "', 'analytics', '30 s', '1 h')");
                }
            }
        }

        @Test
        void a_verification_committed_after_its_kid_got_other_key_material_is_not_trusted() throws SQLException {
            Tokens replacement = new Tokens("test-key-1"); // the same kid, another key pair
            try (Session s = Session.app(RECONFIGURED); Session su = Session.superuser(RECONFIGURED)) {
                s.conn.setAutoCommit(false);
                s.setToken(Tokens.KEYS.token(SSN), false); // verified with the old material; its cache row not committed yet
                su.exec("SELECT jit_columns.load_jwks('" + replacement.jwks() + "')");
                s.conn.commit();
                try {
                    assertNull(s.ssn(), "verified with the kid's old material");
                    s.conn.commit();
                    SQLException e = assertThrows(SQLException.class, () -> s.setToken(Tokens.KEYS.token(SSN), false));
                    assertTrue(e.getMessage().contains("bad signature"), e.getMessage());
                    s.conn.rollback();
                    s.setToken(replacement.token(SSN), false);
                    assertNotNull(s.ssn(), "the new material verifies the new key's tokens");
                } finally {
                    s.conn.rollback();
                    su.exec("SELECT jit_columns.load_jwks('" + Tokens.KEYS.jwks() + "')");
                }
            }
        }
    }

    @Nested
    class LocksHeldByAClient {
        /**
         * A session whose verification is not found (its session key changed) verifies its token again: the update of
         * its cache row holds the row's lock until its transaction ends. The revocation must not wait for it.
         */
        @Test
        void a_cache_row_held_in_an_open_transaction_does_not_hold_up_a_revocation() throws SQLException {
            ObjectNode p = Tokens.payload(SSN);
            String token = Tokens.KEYS.sign(Tokens.KEYS.header(), p);
            try (Session s = Session.app(); Session su = Session.superuser()) {
                s.setToken(token);
                s.conn.setAutoCommit(false);
                s.exec("SET LOCAL jit_columns.session = 'another'");
                s.setToken(token);
                assertEquals(realSsn, s.ssn());
                su.exec("SET lock_timeout = '3s'");
                su.exec("SELECT jit_columns.revoke_grant('" + p.get("jit_grants").get(0).asText() + "')");
                assertEquals("1", su.one("SELECT count(*) FROM jit_columns.revoked_grants WHERE grant_id = '"
                        + p.get("jit_grants").get(0).asText() + "'"));
                assertNull(s.ssn(), "the next statement of the open transaction");
                s.conn.commit();
                assertNull(s.ssn());
            }
        }

        /** A session refused its token drops its own verification, not another session's that an open transaction holds. */
        @Test
        void a_cache_row_held_in_an_open_transaction_does_not_hold_up_another_session_refused_the_same_token() throws SQLException {
            ObjectNode p = Tokens.payload(SSN);
            String token = Tokens.KEYS.sign(Tokens.KEYS.header(), p);
            try (Session holder = Session.app(); Session other = Session.app(); Session su = Session.superuser()) {
                holder.setToken(token);
                other.setToken(token);
                holder.conn.setAutoCommit(false);
                holder.exec("SET LOCAL jit_columns.session = 'another'");
                holder.setToken(token);
                // a revocation whose cache delete did not reach other's row (it raced other's verification): the epoch moved
                su.exec("INSERT INTO jit_columns.revoked_grants (grant_id) VALUES ('" + p.get("jit_grants").get(0).asText() + "')");
                su.exec("SELECT jit_columns.bump_epoch()");
                other.exec("SET lock_timeout = '3s'");
                SQLException e = assertThrows(SQLException.class, () -> other.setToken(token));
                assertEquals(REJECTED, e.getSQLState(), e.getMessage()); // not 55P03: it did not wait for the holder
                assertTrue(e.getMessage().contains("grant revoked"), e.getMessage());
                holder.conn.rollback();
            }
        }

        @Test
        void a_cache_row_held_in_an_open_transaction_does_not_hold_up_a_new_configuration() throws SQLException {
            try (Session s = Session.app(RECONFIGURED); Session su = Session.superuser(RECONFIGURED)) {
                String token = Tokens.KEYS.token(SSN);
                s.setToken(token);
                s.conn.setAutoCommit(false);
                s.exec("SET LOCAL jit_columns.session = 'another'");
                s.setToken(token);
                su.exec("SET lock_timeout = '3s'");
                try {
                    su.exec("SELECT jit_columns.configure('http://127.0.0.1:8080/realms/other', 'analytics', '30 s', '1 h')");
                    assertNull(s.ssn(), "verified for the old issuer");
                } finally {
                    s.conn.rollback();
                    su.exec("SELECT jit_columns.configure('" + Tokens.ISSUER + "', 'analytics', '30 s', '1 h')");
                }
            }
        }
    }

    /** A database of its own, for the tests that change the issuer or the keys. */
    static final String RECONFIGURED = "reconfigured";

    @BeforeAll
    static void reconfiguredDatabase() throws SQLException {
        try (java.sql.Connection c = PostgresServer.superuser("postgres")) {
            DemoDatabase.createDatabase(c, RECONFIGURED);
        }
        try (java.sql.Connection c = PostgresServer.superuser(RECONFIGURED)) {
            DemoDatabase.create(c, 10);
            SqlPackage.configure(c, Tokens.ISSUER, "analytics", java.time.Duration.ofSeconds(30), java.time.Duration.ofHours(1));
            SqlPackage.loadJwks(c, Tokens.KEYS.jwks());
        }
    }

    @Nested
    class SessionAttacks {
        @Test
        void guc_spoofing() throws SQLException {
            try (Session s = Session.app()) {
                // a forged value
                s.exec("SET jit_columns.token = 'eyJhbGciOiJub25lIn0.eyJqaXRfY29sdW1ucyI6e319.'");
                assertNull(s.ssn());
                assertNull(s.one("SELECT jit_columns.claims()"));
                // a genuine token that this session never presented through set_token()
                s.exec("SET jit_columns.token = '" + Tokens.KEYS.token(SSN) + "'");
                assertNull(s.ssn());
                // a genuine token presented in ANOTHER session
                String t = Tokens.KEYS.token(SSN);
                try (Session other = Session.app()) {
                    other.setToken(t);
                    assertEquals(realSsn, other.ssn());
                }
                s.exec("SET jit_columns.token = '" + t + "'");
                assertNull(s.ssn());
                // the token's sha256, which the usage audit shows
                s.exec("SET jit_columns.token = '" + sha256Hex(t) + "'");
                assertNull(s.ssn());
                assertNull(s.one("SELECT jit_columns.claims()"));
                // a tampered token after a good one: the GUC only selects, it never proves
                s.setToken(Tokens.KEYS.token(SSN));
                s.exec("SET jit_columns.token = 'x" + t + "'");
                assertNull(s.ssn());
            }
        }

        @Test
        void the_guc_holds_a_random_handle_never_the_token_nor_its_hash() throws SQLException {
            String t = Tokens.KEYS.token(SSN);
            try (Session s = Session.app()) {
                s.setToken(t);
                String handle = s.one("SELECT current_setting('jit_columns.token')");
                assertFalse(handle.contains(t) || handle.equalsIgnoreCase(sha256Hex(t)), handle);
                s.exec("SELECT jit_columns.clear_token()");
                assertNull(s.ssn());
                // presenting the same token again finds the same verification, under the same handle
                s.setToken(t);
                assertEquals(handle, s.one("SELECT current_setting('jit_columns.token')"));
                s.exec("SELECT jit_columns.clear_token()");
                // this session presented the token: its handle selects the verified claims again
                s.setGuc(handle);
                assertEquals(realSsn, s.ssn());
                // anything else, including the token itself, selects nothing and cannot fail the query
                for (String forged : List.of(t, sha256Hex(t), handle.toUpperCase(Locale.ROOT), "\\x00", "'; --", "")) {
                    s.setGuc(forged);
                    assertNull(s.ssn(), forged);
                }
            }
        }

        /** In a SQL_ASCII database a GUC can hold bytes that are no UTF-8: they select nothing, and fail no query. */
        @Test
        void a_guc_of_any_bytes_fails_no_query_in_a_sql_ascii_database() throws SQLException {
            try (java.sql.Connection c = PostgresServer.superuser("postgres"); java.sql.Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS ascii_bytes");
                st.execute("CREATE DATABASE ascii_bytes ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
            }
            try (java.sql.Connection c = PostgresServer.superuser("ascii_bytes")) {
                DemoDatabase.create(c, 10);
                SqlPackage.configure(c, Tokens.ISSUER, "analytics", java.time.Duration.ofSeconds(30), java.time.Duration.ofHours(1));
                SqlPackage.loadJwks(c, Tokens.KEYS.jwks());
            }
            try (Session s = Session.app("ascii_bytes")) {
                s.exec("SET jit_columns.token = E'\\xff\\xfe'");
                assertNull(s.ssn());
                assertEquals("f", s.one("SELECT jit_columns.column_granted('public', 'customers', 'ssn')"));
                assertNull(s.one("SELECT jit_columns.claims()"));
                s.setToken(Tokens.KEYS.token(SSN));
                assertNotNull(s.ssn());
            }
        }

        /**
         * A session whose backend pid is that of a session gone before it (pids come round) knows the token's sha256
         * from the usage audit, which jit_columns_admin reads: it gets nothing by it. The pid is made to come round by
         * moving the gone session's verified row to the new session's pid, which is what the reuse would leave.
         */
        @Test
        void a_session_reusing_a_gone_sessions_pid_gets_nothing_by_the_tokens_hash() throws SQLException {
            String t = Tokens.KEYS.token(SSN);
            String gonePid;
            try (Session gone = Session.app()) {
                gone.setToken(t);
                assertEquals(realSsn, gone.ssn());
                gonePid = gone.one("SELECT pg_backend_pid()");
            }
            try (Session s = Session.app(); Session su = Session.superuser()) {
                su.exec("UPDATE jit_columns.token_cache SET backend_pid = " + s.one("SELECT pg_backend_pid()")
                        + " WHERE backend_pid = " + gonePid);
                String audited = su.one("SELECT encode(token_sha256, 'hex') FROM jit_columns.usage_audit"
                        + " WHERE backend_pid = " + gonePid + " ORDER BY id DESC LIMIT 1");
                assertEquals(sha256Hex(t), audited);
                s.setGuc(audited);
                assertNull(s.ssn());
                assertNull(s.one("SELECT jit_columns.claims()"));
                assertEquals("f", s.one("SELECT jit_columns.column_granted('public', 'customers', 'ssn')"));

                // presenting the token itself is a presentation of this session's own: verified and audited afresh
                String presented = "SELECT count(*) FROM jit_columns.usage_audit WHERE token_sha256 = '\\x" + audited + "'";
                int before = Integer.parseInt(su.one(presented));
                s.setToken(t);
                assertEquals(before + 1, Integer.parseInt(su.one(presented)), "audited again, not a cache hit");
                assertEquals(realSsn, s.ssn());
            }
        }

        @Test
        void set_token_local_gone_after_commit() throws SQLException {
            try (Session s = Session.app()) {
                s.conn.setAutoCommit(false);
                s.setToken(Tokens.KEYS.token(SSN), true);
                assertEquals(realSsn, s.ssn());
                s.conn.commit();
                assertNull(s.ssn());
                assertEquals("", s.one("SELECT current_setting('jit_columns.token', true)"));
                s.conn.rollback();
            }
        }

        @Test
        void set_token_local_gone_after_rollback() throws SQLException {
            try (Session s = Session.app()) {
                s.conn.setAutoCommit(false);
                s.setToken(Tokens.KEYS.token(SSN), true);
                s.conn.rollback();
                assertNull(s.ssn());
                s.conn.rollback();
            }
        }

        @Test
        void an_open_transaction_after_set_token_holds_up_no_revocation() throws SQLException {
            ObjectNode p = Tokens.payload(SSN);
            try (Session s = Session.app(); Session su = Session.superuser(); Session other = Session.app()) {
                s.conn.setAutoCommit(false);
                s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), p), true); // a cache miss: verified, then left open
                assertEquals(realSsn, s.ssn());
                su.exec("SET lock_timeout = '2s'");
                su.exec("SELECT jit_columns.revoke_grant('" + p.get("jit_grants").get(0).asText() + "')");
                assertNull(s.ssn(), "revoked for the open transaction's next statement");
                other.exec("SET lock_timeout = '2s'");
                other.setToken(Tokens.KEYS.token(SSN)); // another session's verification is not held up either
                assertEquals(realSsn, other.ssn());
                s.conn.rollback();
            }
        }

        /**
         * Without a revocation-epoch row (no revocation yet, or a crash emptied the unlogged cache), the first
         * verification writes none: a client that leaves its transaction open holds up no other verification, and
         * what it verified is re-checked once the first revocation writes the row.
         */
        @Test
        void an_open_transaction_holds_up_nobody_while_no_revocation_epoch_exists() throws SQLException {
            ObjectNode p = Tokens.payload(SSN);
            try (Session s = Session.app(); Session su = Session.superuser(); Session other = Session.app()) {
                su.exec("DELETE FROM jit_columns.token_cache"); // as after a crash
                s.conn.setAutoCommit(false);
                s.setToken(Tokens.KEYS.sign(Tokens.KEYS.header(), p), true);
                assertEquals(realSsn, s.ssn());
                other.exec("SET lock_timeout = '2s'");
                other.setToken(Tokens.KEYS.token(SSN));
                assertEquals(realSsn, other.ssn());
                su.exec("SET lock_timeout = '2s'");
                su.exec("SELECT jit_columns.revoke_grant('" + p.get("jit_grants").get(0).asText() + "')");
                assertNull(s.ssn(), "re-checked: the epoch moved from none to the first");
                s.conn.rollback();
            }
        }

        @Test
        void default_privileges_of_the_installer_give_the_client_nothing() throws SQLException {
            try (java.sql.Connection c = PostgresServer.superuser("postgres")) {
                DemoDatabase.createDatabase(c, "defaultprivs");
            }
            try (java.sql.Connection c = PostgresServer.superuser("defaultprivs"); var st = c.createStatement()) {
                DemoDatabase.create(c, 10); // the app role exists before the installer's defaults name it
                st.execute("ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO " + DemoDatabase.APP_USER);
                st.execute("ALTER DEFAULT PRIVILEGES GRANT ALL ON SEQUENCES TO " + DemoDatabase.APP_USER);
                st.execute("ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO " + DemoDatabase.APP_USER);
                st.execute("DROP SCHEMA jit_columns CASCADE");
                SqlPackage.install(c);
                DemoDatabase.create(c, 10);
            }
            try (java.sql.Connection app = PostgresServer.login("defaultprivs", DemoDatabase.APP_USER); var st = app.createStatement()) {
                for (String sql : new String[] {
                        "INSERT INTO jit_columns.token_cache (token_sha256, backend_pid, kid, grants, columns, claims, result, "
                                + "not_before, valid_until, revocation_epoch, verified_at) VALUES ('', pg_backend_pid(), 'k', '{}', "
                                + "'{public.customers.ssn}', '{}', '{}', '-infinity', 'infinity', 0, now())",
                        "SELECT * FROM jit_columns.keys",
                        "DELETE FROM jit_columns.usage_audit",
                        "SELECT jit_columns.load_jwks('{\"keys\": []}')",
                        "SELECT jit_columns.revoke_grant('g')"}) {
                    SQLException e = assertThrows(SQLException.class, () -> st.execute(sql), sql);
                    assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
                }
                st.execute("SELECT count(*) FROM app.customers"); // what the client is for still works
                try (var rs = st.executeQuery("SELECT string_agg(p, ',') FROM unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', "
                        + "'TRUNCATE', 'REFERENCES', 'TRIGGER']) p WHERE has_table_privilege('app.customers', p)")) {
                    rs.next();
                    assertNull(rs.getString(1), "the masked view grants the client SELECT only");
                }
            }
        }

        @Test
        void set_role_to_owner() throws SQLException {
            try (Session s = Session.app()) {
                for (String role : new String[] {"jit_columns_owner", "jit_columns_admin", "postgres"}) {
                    SQLException e = assertThrows(SQLException.class, () -> s.exec("SET ROLE " + role));
                    assertEquals("42501", e.getSQLState(), e.getMessage());
                }
                SQLException e = assertThrows(SQLException.class, () -> s.exec("SET SESSION AUTHORIZATION jit_columns_owner"));
                assertEquals("42501", e.getSQLState(), e.getMessage());
            }
        }

        @Test
        void reading_the_base_table_directly() throws SQLException {
            try (Session s = Session.app()) {
                for (String sql : new String[] {"SELECT ssn FROM public.customers LIMIT 1",
                        "SELECT count(*) FROM public.customers", "COPY public.customers TO STDOUT"}) {
                    SQLException e = assertThrows(SQLException.class, () -> s.exec(sql));
                    assertEquals("42501", e.getSQLState(), e.getMessage());
                }
            }
        }

        @Test
        void writing_through_the_view() throws SQLException {
            try (Session s = Session.app()) {
                for (String sql : new String[] {"UPDATE app.customers SET name = 'x' WHERE id = 1",
                        "DELETE FROM app.customers WHERE id = 1"}) {
                    SQLException e = assertThrows(SQLException.class, () -> s.exec(sql));
                    assertEquals("42501", e.getSQLState(), e.getMessage());
                }
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "INSERT INTO jit_columns.token_cache SELECT * FROM jit_columns.token_cache",
            "DELETE FROM jit_columns.token_cache",
            "UPDATE jit_columns.token_cache SET columns = '{public.customers.ssn}'",
            "SELECT * FROM jit_columns.token_cache",
            "INSERT INTO jit_columns.keys (kid, n, k, d, mu, em_base, jwk) VALUES ('x', 3, 256, 1, 1, 1, '{}')",
            "DELETE FROM jit_columns.keys",
            "DELETE FROM jit_columns.usage_audit",
            "UPDATE jit_columns.usage_audit SET sub = 'someone else'",
            "INSERT INTO jit_columns.usage_audit (session_user_name, grants, columns, token_sha256, backend_pid) VALUES ('x', '{}', '{}', '\\x00', 1)",
            "SELECT * FROM jit_columns.usage_audit",
            "DELETE FROM jit_columns.revoked_grants",
            "UPDATE jit_columns.config SET issuer = 'http://evil'",
            "TRUNCATE jit_columns.token_cache",
            "CREATE TABLE jit_columns.token_cache2 (x int)",
        })
        void cache_key_and_audit_tables_are_not_writable(String sql) throws SQLException {
            try (Session s = Session.app()) {
                SQLException e = assertThrows(SQLException.class, () -> s.exec(sql));
                assertEquals("42501", e.getSQLState(), e.getMessage());
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "SELECT jit_columns.configure('http://evil', 'analytics', '1 min', '1 day')",
            "SELECT jit_columns.load_jwks('{\"keys\": []}')",
            "SELECT jit_columns.revoke_grant('g')",
            "SELECT jit_columns.revoke_token('j')",
            "SELECT jit_columns.purge()",
            "SELECT jit_columns.protect('app.customers', ARRAY['ssn'], 'evil')",
            "SELECT * FROM jit_columns.lint()",
            "SELECT jit_columns.verify_token('x')",
            "SELECT jit_columns.rsa_pkcs1_sha256_verify('\\x00', '\\x03', '\\x00', '\\x00')",
            "SELECT jit_columns.rsa_verify_n(1, 256, 1, 1, 1, '\\x00', '\\x00')",
            "SELECT jit_columns.bytes_to_numeric('\\x00')",
        })
        void calling_admin_functions_as_a_client(String sql) throws SQLException {
            try (Session s = Session.app()) {
                SQLException e = assertThrows(SQLException.class, () -> s.exec(sql));
                assertEquals("42501", e.getSQLState(), e.getMessage());
            }
        }

        @Test
        void search_path_hijack() throws SQLException {
            try (Session s = Session.app()) {
                // Shadow everything the package uses, in pg_temp, and put pg_temp first.
                s.exec("CREATE TEMP TABLE token_cache (token_sha256 bytea, backend_pid int, columns text[], claims jsonb)");
                s.exec("CREATE TEMP TABLE keys (kid text, n numeric)");
                s.exec("CREATE TEMP TABLE config (singleton boolean, issuer text)");
                s.exec("CREATE FUNCTION pg_temp.sha256(bytea) RETURNS bytea LANGUAGE sql AS $$ SELECT '\\x00'::bytea $$");
                s.exec("CREATE FUNCTION pg_temp.column_granted(text, text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$");
                s.exec("CREATE FUNCTION pg_temp.rsa_verify_n(numeric, int, int, numeric, numeric, bytea, bytea) "
                        + "RETURNS boolean LANGUAGE sql AS $$ SELECT true $$");
                s.exec("INSERT INTO pg_temp.token_cache VALUES ('\\x00', pg_backend_pid(), '{public.customers.ssn}', '{}')");
                s.exec("SET search_path = pg_temp, jit_columns, public");
                s.exec("SET jit_columns.token = 'forged'");
                assertNull(s.ssn());
                assertEquals("f", s.one("SELECT jit_columns.column_granted('public', 'customers', 'ssn')"));
                SQLException e = assertThrows(SQLException.class, () -> s.setToken(new Tokens(Tokens.KEYS.kid).token(SSN)));
                assertTrue(e.getMessage().contains("bad signature"), e.getMessage());
                // and an honest token still works under the hostile search_path
                s.setToken(Tokens.KEYS.token(SSN));
                assertEquals(realSsn, s.ssn());
            }
        }

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void leaky_function_in_where_clause(boolean securityBarrier) throws SQLException {
            String view = securityBarrier ? "app.customers_sb" : "app.customers";
            try (Session su = Session.superuser()) {
                su.exec("SELECT jit_columns.protect('public.customers', ARRAY['ssn', 'card_number', 'date_of_birth'], 'app', "
                        + "'{\"card_number\": \"last4\", \"date_of_birth\": \"year\"}', view_name => 'customers_sb', security_barrier => true)");
            }
            try (Session s = Session.app()) {
                s.exec("CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS "
                        + "$$ BEGIN RAISE NOTICE 'leak: %', $1; RETURN true; END $$");
                List<String> notices = new ArrayList<>();
                try (var st = s.conn.createStatement()) {
                    st.execute("SELECT id FROM " + view + " WHERE pg_temp.leak(ssn) AND pg_temp.leak(card_number) AND id <= 5");
                    for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                        notices.add(w.getMessage());
                    }
                }
                assertFalse(notices.isEmpty(), "the leaky function ran");
                for (String n : notices) {
                    assertFalse(n.contains(realSsn), n);
                    assertFalse(n.matches("leak: [0-9]{12,}"), "full card number leaked: " + n);
                }
            }
        }
    }

    /** The hex of the token's sha256, as the usage audit shows it. */
    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
