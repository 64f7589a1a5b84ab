package dev.jitcolumns.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * jit_columns.purge(), as a DBA observes it: the rows left in the package's tables, the jsonb it returns,
 * and the sessions that must keep working afterwards. It runs as the demo agent's login (jit_agent, holding
 * jit_columns_admin), the way the agent calls it. The superuser connection only sets the scene and reads
 * the tables.
 */
@ExtendWith(PostgresServer.class)
class PurgeIT {

    static final String SSN = AttacksIT.SSN;
    static String realSsn;

    @BeforeAll
    static void realValues() throws SQLException {
        try (Session su = Session.superuser()) {
            realSsn = su.one("SELECT ssn FROM public.customers WHERE id = 1");
        }
    }

    /**
     * purge() returns counts for the whole database: start each test from a purged one. Backends of the
     * sessions that earlier tests closed may still be exiting, and purge() rightly keeps their rows until
     * they are gone.
     */
    @BeforeEach
    void purgedDatabase() throws Exception {
        try (Session su = Session.superuser()) {
            awaitZero(su, "SELECT count(*) FROM jit_columns.token_cache c WHERE c.backend_pid <> 0 "
                    + "AND EXISTS (SELECT FROM pg_stat_activity a WHERE a.pid = c.backend_pid "
                    + "AND a.datname = current_database() AND a.backend_type = 'client backend')");
            su.exec("SELECT jit_columns.purge()");
        }
    }

    static void awaitZero(Session su, String countSql) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!"0".equals(su.one(countSql))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not 0 after 15 s: " + countSql);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until the backend of a closed session has exited. */
    static void awaitEnded(Session su, int pid) throws Exception {
        awaitZero(su, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid);
    }

    static int pid(Session s) throws SQLException {
        return Integer.parseInt(s.one("SELECT pg_backend_pid()"));
    }

    /** purge() called by the agent's login role. */
    static JsonNode purge() throws Exception {
        try (Connection c = PostgresServer.login("analytics", DemoDatabase.AGENT_USER);
             var st = c.createStatement(); var rs = st.executeQuery("SELECT jit_columns.purge()")) {
            rs.next();
            return Tokens.JSON.readTree(rs.getString(1));
        }
    }

    static JsonNode removed(int cacheEntries, int retiredKeys, int revokedTokens) {
        return Tokens.JSON.createObjectNode().put("cache_entries", cacheEntries).put("retired_keys", retiredKeys)
                .put("revoked_tokens", revokedTokens);
    }

    static String signed(ObjectNode payload) {
        return Tokens.KEYS.sign(Tokens.KEYS.header(), payload);
    }

    static String jti(ObjectNode payload) {
        return payload.get("jti").asText();
    }

    static String cacheRows(Session su, String where) throws SQLException {
        return su.one("SELECT count(*) FROM jit_columns.token_cache WHERE " + where);
    }

    static String audited(Session su, String jti) throws SQLException {
        return su.one("SELECT count(*) FROM jit_columns.usage_audit WHERE jti = '" + jti + "'");
    }

    @Nested
    class ExpiredCacheEntries {
        @Test
        void expired_token_row_is_purged_valid_one_kept() throws Exception {
            long now = Instant.now().getEpochSecond();
            // exp 25 s ago: the configured 30 s leeway leaves about 5 s of validity
            ObjectNode expiring = Tokens.payload(SSN).put("exp", now - 25).put("iat", now - 60);
            ObjectNode valid = Tokens.payload(SSN);
            try (Session s = Session.app(); Session su = Session.superuser()) {
                s.setToken(signed(expiring));
                s.setToken(signed(valid));
                assertEquals("2", cacheRows(su, "backend_pid = " + pid(s)));
                awaitZero(su, "SELECT count(*) FROM jit_columns.token_cache WHERE jti = '" + jti(expiring)
                        + "' AND valid_until > now()");

                assertEquals(removed(1, 0, 0), purge());

                assertEquals("0", cacheRows(su, "jti = '" + jti(expiring) + "'"));
                assertEquals("1", cacheRows(su, "jti = '" + jti(valid) + "'"));
                assertEquals(realSsn, s.ssn(), "the session's current token still unmasks");
                SQLException e = assertThrows(SQLException.class, () -> s.setToken(signed(expiring)));
                assertEquals(AttacksIT.REJECTED, e.getSQLState(), e.getMessage());
                assertTrue(e.getMessage().contains("expired"), e.getMessage());
            }
        }
    }

    @Nested
    class EndedSessions {
        @Test
        void rows_of_ended_sessions_are_purged_live_session_keeps_reading() throws Exception {
            ObjectNode live = Tokens.payload(SSN);
            try (Session s = Session.app(); Session su = Session.superuser()) {
                s.setToken(signed(live));
                int ended1;
                int ended2;
                try (Session e1 = Session.app(); Session e2 = Session.app()) {
                    e1.setToken(Tokens.KEYS.token(SSN));
                    e2.setToken(signed(live)); // the same token in another session: a row of its own
                    ended1 = pid(e1);
                    ended2 = pid(e2);
                }
                awaitEnded(su, ended1);
                awaitEnded(su, ended2);
                assertEquals("2", cacheRows(su, "backend_pid IN (" + ended1 + ", " + ended2 + ")"));

                assertEquals(removed(2, 0, 0), purge());

                assertEquals("0", cacheRows(su, "backend_pid IN (" + ended1 + ", " + ended2 + ")"));
                assertEquals("1", cacheRows(su, "backend_pid = " + pid(s)));
                assertEquals(realSsn, s.ssn());
                assertEquals("3d1b6c9e-analyst", s.one("SELECT jit_columns.claims() ->> 'sub'"));
                // its row was kept: presenting the token again is a cache hit, not a second verification
                s.setToken(signed(live));
                assertEquals("2", audited(su, jti(live)), "once by the live session, once by the ended one");
            }
        }

        @Test
        void row_whose_pid_now_belongs_to_another_database_or_a_background_process() throws Exception {
            try (Session su = Session.superuser(); Connection otherDb = PostgresServer.superuser("postgres")) {
                int ended;
                ObjectNode a = Tokens.payload(SSN);
                ObjectNode b = Tokens.payload(SSN);
                try (Session e = Session.app()) {
                    e.setToken(signed(a));
                    e.setToken(signed(b));
                    ended = pid(e);
                }
                awaitEnded(su, ended);
                int otherDbPid;
                try (var st = otherDb.createStatement(); var rs = st.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    otherDbPid = rs.getInt(1);
                }
                int checkpointer = Integer.parseInt(su.one("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'"));
                // PostgreSQL reuses the pids of ended backends, and that cannot be forced from a test: move the
                // rows of the ended session to the pids now held by a session of another database and by the
                // checkpointer, as if those processes had been given the ended session's pid.
                su.exec("UPDATE jit_columns.token_cache SET backend_pid = " + otherDbPid + " WHERE jti = '" + jti(a) + "'");
                su.exec("UPDATE jit_columns.token_cache SET backend_pid = " + checkpointer + " WHERE jti = '" + jti(b) + "'");

                assertEquals(removed(2, 0, 0), purge());

                assertEquals("0", cacheRows(su, "jti IN ('" + jti(a) + "', '" + jti(b) + "')"));
            }
        }

        @Test
        void cache_row_purged_under_a_live_session_is_verified_again_by_set_token() throws Exception {
            ObjectNode p = Tokens.payload(SSN);
            String token = signed(p);
            try (Session s = Session.app(); Session su = Session.superuser()) {
                s.setToken(token);
                assertEquals(realSsn, s.ssn());
                // A cache row can end before its token does: load_jwks() caps valid_until at the retire_at of a
                // kid leaving the JWKS, and the kid may come back in a later JWKS. End the row here instead of
                // waiting for a grace period; the token itself stays valid for minutes.
                su.exec("UPDATE jit_columns.token_cache SET valid_until = now() - interval '1 s' WHERE jti = '" + jti(p) + "'");
                assertNull(s.ssn(), "the row has ended: masked");

                assertEquals(removed(1, 0, 0), purge());
                assertEquals("0", cacheRows(su, "jti = '" + jti(p) + "'"));

                JsonNode r = s.setToken(token);
                assertEquals("[\"" + SSN + "\"]", r.get("columns").toString());
                assertEquals(realSsn, s.ssn());
                assertEquals("1", cacheRows(su, "jti = '" + jti(p) + "' AND backend_pid = " + pid(s) + " AND valid_until > now()"));
                assertEquals("2", audited(su, jti(p)), "verified (and audited) again");
            }
        }
    }

    @Nested
    class JtiRevocations {
        @Test
        void expired_revocations_are_purged_unexpired_and_open_ended_kept() throws Exception {
            String expired = "purge-jti-expired-" + UUID.randomUUID();
            ObjectNode later = Tokens.payload(SSN);
            ObjectNode openEnded = Tokens.payload(SSN);
            try (Session su = Session.superuser()) {
                su.exec("SELECT jit_columns.revoke_token('" + expired + "', now() - interval '1 hour')");
                su.exec("SELECT jit_columns.revoke_token('" + jti(later) + "', now() + interval '1 hour')");
                su.exec("SELECT jit_columns.revoke_token('" + jti(openEnded) + "')");

                assertEquals(removed(0, 0, 1), purge());

                assertEquals(jti(later) + "," + jti(openEnded), su.one("SELECT string_agg(jti, ',' ORDER BY expires_at) "
                        + "FROM jit_columns.revoked_tokens WHERE jti IN ('" + expired + "', '" + jti(later) + "', '"
                        + jti(openEnded) + "')"));
            }
            AttacksIT.rejected(signed(later), "token revoked");
            AttacksIT.rejected(signed(openEnded), "token revoked");
        }

        @Test
        void revoked_token_replayed_within_the_leeway_after_purge() throws Exception {
            // The token expired 5 s ago, but the 30 s leeway still accepts it. Its revocation was recorded to
            // expire with it, at exp: purge() must keep it until the leeway has passed too.
            long now = Instant.now().getEpochSecond();
            ObjectNode p = Tokens.payload(SSN).put("exp", now - 5).put("iat", now - 60);
            String token = signed(p);
            try (Session s = Session.app()) {
                s.setToken(token);
                assertEquals(realSsn, s.ssn(), "within the leeway");
            }
            try (Session su = Session.superuser()) {
                su.exec("SELECT jit_columns.revoke_token('" + jti(p) + "', to_timestamp(" + (now - 5) + "))");

                assertEquals(removed(0, 0, 0), purge());

                assertEquals("1", su.one("SELECT count(*) FROM jit_columns.revoked_tokens WHERE jti = '" + jti(p) + "'"));
            }
            AttacksIT.rejected(token, "token revoked");
        }
    }

    @Nested
    class RevocationEpoch {
        @Test
        void epoch_row_is_never_purged() throws Exception {
            String epochRow = "SELECT revocation_epoch FROM jit_columns.token_cache WHERE token_sha256 = '\\x' AND backend_pid = 0";
            try (Session s = Session.app(); Session su = Session.superuser()) {
                su.exec("SELECT jit_columns.revoke_grant('purge-epoch-" + UUID.randomUUID() + "')"); // moves the epoch
                String epoch = su.one(epochRow);
                s.setToken(Tokens.KEYS.token(SSN));

                // backend_pid 0 is never a live backend, yet the row is not an ended session's
                assertEquals(removed(0, 0, 0), purge());
                assertEquals(removed(0, 0, 0), purge());

                assertEquals(epoch, su.one(epochRow));
                // every check joins the epoch row: without it the live session would read masked
                assertEquals(realSsn, s.ssn());
            }
        }
    }

    @Nested
    class Privileges {
        @Test
        void purge_is_for_the_admin_role_not_the_client() throws Exception {
            String jti = "purge-jti-privileges-" + UUID.randomUUID();
            String kept = "SELECT count(*) FROM jit_columns.revoked_tokens WHERE jti = '" + jti + "'";
            try (Session su = Session.superuser()) {
                su.exec("SELECT jit_columns.revoke_token('" + jti + "', now() - interval '1 hour')");
                try (Session client = Session.app()) {
                    SQLException e = assertThrows(SQLException.class, () -> client.exec("SELECT jit_columns.purge()"));
                    assertEquals("42501", e.getSQLState(), e.getMessage());
                    assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
                }
                assertEquals("1", su.one(kept));

                assertEquals(removed(0, 0, 1), purge()); // as jit_agent, a member of jit_columns_admin

                assertEquals("0", su.one(kept));
            }
        }
    }

    @Nested
    class Counts {
        @Test
        void returns_what_it_removed_and_keeps_the_audit_and_the_keys_in_grace() throws Exception {
            Tokens retired = new Tokens("purge-key-retired");
            Tokens inGrace = new Tokens("purge-key-in-grace");
            try (Session su = Session.superuser()) {
                try {
                    su.exec("SELECT jit_columns.load_jwks('{\"keys\": [" + Tokens.KEYS.jwk() + ", " + retired.jwk() + ", "
                            + inGrace.jwk() + "]}')");
                    su.exec("SELECT jit_columns.load_jwks('{\"keys\": [" + Tokens.KEYS.jwk() + "]}')"); // both retire in a day
                    // the grace period (key_grace) is a day: end it for one of the two rather than wait
                    su.exec("UPDATE jit_columns.keys SET retire_at = now() - interval '1 s' WHERE kid = '" + retired.kid + "'");
                    su.exec("SELECT jit_columns.revoke_token('purge-jti-old-1-" + UUID.randomUUID() + "', now() - interval '2 hours')");
                    su.exec("SELECT jit_columns.revoke_token('purge-jti-old-2-" + UUID.randomUUID() + "', now() - interval '1 day')");
                    int ended;
                    try (Session e = Session.app()) {
                        e.setToken(Tokens.KEYS.token(SSN));
                        e.setToken(inGrace.token(SSN));
                        ended = pid(e);
                    }
                    awaitEnded(su, ended);
                    String audit = su.one("SELECT count(*) FROM jit_columns.usage_audit");

                    assertEquals(removed(2, 1, 2), purge());
                    assertEquals(removed(0, 0, 0), purge(), "nothing left to remove");

                    assertEquals(audit, su.one("SELECT count(*) FROM jit_columns.usage_audit"), "the audit is never purged");
                    assertEquals(inGrace.kid, su.one("SELECT string_agg(kid, ',') FROM jit_columns.keys WHERE kid LIKE 'purge-key-%'"));
                    try (Session s = Session.app()) {
                        s.setToken(inGrace.token(SSN));
                        assertEquals(realSsn, s.ssn(), "a key in its grace period still verifies");
                    }
                    AttacksIT.rejected(retired.token(SSN), "unknown kid");
                } finally {
                    // no retiring key of this test may show up in later tests' load_jwks() results
                    su.exec("DELETE FROM jit_columns.keys WHERE kid LIKE 'purge-key-%'");
                }
            }
        }
    }
}
