package dev.jitcolumns.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Latency of our REST API next to Keycloak's own userinfo endpoint, in the same run, on a database seeded with
 * 100,000 requests and 10,000 active grants: create a request, list an approver's decidable requests, approve;
 * each at 1 and at 16 concurrent clients. Prints p50/p95 and the ratio of each p95 to userinfo's p95.
 */
final class ApiBenchmark {

    private static final int OPS_1 = Integer.getInteger("bench.ops1", 300);
    private static final int OPS_16 = Integer.getInteger("bench.ops16", 1_600);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 100);
    private static final String NEW_REQUEST = "{\"datasource\":\"analytics\",\"columns\":[\"public.customers.email\"],"
            + "\"reason\":\"Benchmark request\",\"durationMinutes\":30}";

    private ApiBenchmark() {
    }

    static void run(BenchEnvironment env) throws Exception {
        System.out.printf("JIT warm-up: %,d calls of each operation at 16 clients, not measured ...%n", Load.JIT_WARMUP);
        Load.interleaved(operations(env), 16, 0, Load.JIT_WARMUP, 1, env.cpu);
        List<String> table = new ArrayList<>();
        table.add(Load.header("userinfo"));
        for (int clients : new int[] {1, 16}) {
            List<Load.Op> ops = operations(env);
            List<Load.Result> results = Load.interleaved(ops, clients, WARMUP, clients == 1 ? OPS_1 : OPS_16, Load.ROUNDS, env.cpu);
            for (int i = 0; i < ops.size(); i++) {
                String row = Load.row(ops.get(i), clients, results.get(i), results.get(0));
                table.add(row);
                System.out.println(row);
            }
        }
        System.out.printf(Locale.ROOT, "%njit-columns REST API (%,d requests, %,d active grants seeded; %d cores; %d interleaved rounds)%n",
                BenchEnvironment.REQUESTS, BenchEnvironment.GRANTS, Runtime.getRuntime().availableProcessors(), Load.ROUNDS);
        table.forEach(System.out::println);
    }

    /**
     * The baseline first; fresh tokens, since each row's calls must not outlive them. The second row is a reference,
     * not a target: Keycloak's own cheapest admin call (one cached user by id), which pays the same admin
     * authentication as our admin endpoints and then reads memory.
     */
    private static List<Load.Op> operations(BenchEnvironment env) throws Exception {
        String analyst = env.accessToken("analyst");
        String owner = env.accessToken("owner");
        String admin = env.accessToken("admin");
        String analystUrl = env.adminRealm() + "/users/" + env.userId("analyst");
        return List.of(
                new Load.Op("userinfo (baseline)",
                        i -> BenchEnvironment.get(env.realmUrl() + "/protocol/openid-connect/userinfo", analyst), 200),
                new Load.Op("Keycloak GET /users/{id} (reference)", i -> BenchEnvironment.get(analystUrl, admin), 200),
                new Load.Op("POST /requests",
                        i -> BenchEnvironment.post(env.realmUrl() + "/jit-columns/requests", analyst, NEW_REQUEST), 201,
                        body -> env.pendingForOwners.add(id(body))),
                new Load.Op("GET /requests?decidable=true",
                        i -> BenchEnvironment.get(env.adminApi() + "/requests?decidable=true&max=50", owner), 200),
                new Load.Op("POST /requests/{id}/approve",
                        i -> BenchEnvironment.post(env.adminApi() + "/requests/" + env.pendingForOwners.poll() + "/approve",
                                owner, "{}"), 200));
    }

    private static String id(String body) {
        try {
            return BenchEnvironment.JSON.readTree(body).get("id").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
