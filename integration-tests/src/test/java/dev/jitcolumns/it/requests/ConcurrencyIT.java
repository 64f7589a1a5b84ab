package dev.jitcolumns.it.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Decisions on one request are serialised: real parallel HTTP calls, one outcome, never a 500. */
@ExtendWith(KeycloakHarness.class)
class ConcurrencyIT {

    /** Six break-glass activations on the same column sent at once by one user: their statuses, sorted. */
    static List<Integer> breakGlassSixAtOnce(TestEnvironment env, String token) throws Exception {
        List<java.util.function.Supplier<Http.Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(() -> Http.post(env.userApi() + "/requests", token, Jit.body("datasource", "analytics",
                    "columns", List.of(Jit.EMAIL), "reason", "Production incident 4711", "durationMinutes", 15, "breakGlass", true)));
        }
        return together(calls).stream().map(Http.Reply::status).sorted().toList();
    }

    static List<Http.Reply> together(List<java.util.function.Supplier<Http.Reply>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Http.Reply>> futures = new ArrayList<>();
            for (var call : calls) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.get();
                }));
            }
            go.countDown();
            List<Http.Reply> replies = new ArrayList<>();
            for (Future<Http.Reply> f : futures) {
                replies.add(f.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    static long grantsOf(TestEnvironment env, String requestId) throws Exception {
        try (Connection c = env.keycloakDatabase();
             PreparedStatement ps = c.prepareStatement("select count(*) from JIT_GRANT where request_id = ?")) {
            ps.setString(1, requestId);
            ResultSet rs = ps.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    @Nested
    class TwentyApprovers {

        @Test
        void twenty_approvers_at_once_give_one_grant_and_min_approvals_decisions(TestEnvironment env) throws Exception {
            String group = Jit.unique("jit-load");
            Jit.createGroup(env, null, group);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String user = group + "-" + i;
                Jit.createUser(env, user, "/" + group);
                tokens.add(env.tokenOf(user));
            }
            String column = Jit.columnWithPolicy(env, "/" + group, 3, Map.of());
            String id = Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                    "reason", "load test", "durationMinutes", 30)).get("id").asText();

            List<java.util.function.Supplier<Http.Reply>> calls = new ArrayList<>();
            tokens.forEach(t -> calls.add(() -> Jit.approve(env, t, id)));
            List<Http.Reply> replies = together(calls);

            long ok = replies.stream().filter(r -> r.status() == 200).count();
            long conflicts = replies.stream().filter(r -> r.status() == 409).count();
            assertEquals(3, ok, replies.toString());
            assertEquals(17, conflicts, replies.toString());
            replies.stream().filter(r -> r.status() == 409)
                    .forEach(r -> assertEquals("conflict", r.json().get("error").asText()));

            JsonNode request = Http.get(env.adminApi() + "/requests/" + id, env.tokenOf("admin")).json();
            assertEquals("APPROVED", request.get("status").asText());
            assertEquals(3, request.get("decisions").size());
            assertEquals(3, new HashSet<>(Jit.texts(request.get("decisions"), "/approver/id")).size());
            assertEquals(1, grantsOf(env, id));
        }
    }

    @Nested
    class CancelRacingApproval {

        @Test
        void exactly_one_of_cancel_and_approve_wins(TestEnvironment env) throws Exception {
            String analyst = env.tokenOf("analyst");
            String owner = env.tokenOf("owner");
            for (int round = 0; round < 5; round++) {
                String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

                List<Http.Reply> replies = together(List.of(
                        () -> Http.post(env.userApi() + "/requests/" + id + "/cancel", analyst, ""),
                        () -> Jit.approve(env, owner, id)));

                Http.Reply cancel = replies.get(0);
                Http.Reply approve = replies.get(1);
                assertTrue((cancel.status() == 200 && approve.status() == 409)
                        || (cancel.status() == 409 && approve.status() == 200), replies.toString());
                String status = Http.get(env.userApi() + "/requests/" + id, analyst).json().get("status").asText();
                if (cancel.status() == 200) {
                    assertEquals("CANCELLED", status);
                    assertEquals(0, grantsOf(env, id));
                } else {
                    assertEquals("APPROVED", status);
                    assertEquals(1, grantsOf(env, id));
                }
            }
        }
    }

    @Nested
    class RevocationsAtOnce {

        /** Each caller first reads the grant to know whether they may revoke it, then revokes it under a row lock. */
        @Test
        void six_revocations_of_one_grant_sent_at_once_revoke_it_once(TestEnvironment env) throws Exception {
            Jit.Granted granted = Jit.grant(env, 30);
            List<java.util.function.Supplier<Http.Reply>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String token = env.tokenOf(i % 2 == 0 ? "owner" : "admin");
                String reason = "Revocation number " + i;
                calls.add(() -> Http.post(env.adminApi() + "/grants/" + granted.grantId() + "/revoke", token, Map.of("reason", reason)));
            }
            List<Http.Reply> replies = together(calls);

            List<Http.Reply> won = replies.stream().filter(r -> r.status() == 200).toList();
            assertEquals(1, won.size(), replies.toString());
            assertEquals(5, replies.stream().filter(r -> r.status() == 409).count(), replies.toString());
            JsonNode grant = Jit.grantById(env, granted.grantId());
            assertEquals(won.get(0).json().get("revokeReason").asText(), grant.get("revokeReason").asText(), "the first revoker's, kept");
            assertEquals(won.get(0).json().get("revokedAt").asText(), grant.get("revokedAt").asText());
            JsonNode audit = Http.get(env.adminApi() + "/audit?from=" + Instant.now().minusSeconds(120), env.tokenOf("admin")).json();
            long revocations = 0;
            for (JsonNode entry : audit) {
                revocations += "GRANT_REVOKED".equals(entry.get("action").asText())
                        && granted.grantId().equals(entry.path("grantId").asText()) ? 1 : 0;
            }
            assertEquals(1, revocations, "one GRANT_REVOKED entry for the grant");
        }
    }

    @Nested
    class BreakGlass {

        @Test
        void activations_sent_at_once_give_one_grant(TestEnvironment env) throws Exception {
            String oncall = Jit.unique("oncall");
            String userId = Jit.createUser(env, oncall);
            List<Integer> statuses = breakGlassSixAtOnce(env, env.tokenOf(oncall));

            assertEquals(List.of(201, 409, 409, 409, 409, 409), statuses);
            try (Connection c = env.keycloakDatabase();
                 PreparedStatement ps = c.prepareStatement("select count(*) from JIT_GRANT where user_id = ?")) {
                ps.setString(1, userId);
                ResultSet rs = ps.executeQuery();
                rs.next();
                assertEquals(1, rs.getLong(1));
            }
        }
    }
}
