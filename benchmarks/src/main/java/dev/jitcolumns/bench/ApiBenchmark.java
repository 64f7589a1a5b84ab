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
        List<String> table = new ArrayList<>();
        table.add(Load.header("userinfo"));
        for (int clients : new int[] {1, 16}) {
            int n = clients == 1 ? OPS_1 : OPS_16;
            String analyst = env.accessToken("analyst");
            String owner = env.accessToken("owner");
            Load.Result baseline = Load.measureRow(table, new Load.Op("userinfo (baseline)",
                    i -> BenchEnvironment.get(env.realmUrl() + "/protocol/openid-connect/userinfo", analyst), 200),
                    clients, WARMUP, n, null, env.cpu);
            Load.measureRow(table, new Load.Op("POST /requests",
                    i -> BenchEnvironment.post(env.realmUrl() + "/jit-columns/requests", analyst, NEW_REQUEST), 201,
                    body -> env.pendingForOwners.add(id(body))), clients, WARMUP, n, baseline, env.cpu);
            Load.measureRow(table, new Load.Op("GET /requests?decidable=true",
                    i -> BenchEnvironment.get(env.adminApi() + "/requests?decidable=true&max=50", owner), 200),
                    clients, WARMUP, n, baseline, env.cpu);
            Load.measureRow(table, new Load.Op("POST /requests/{id}/approve",
                    i -> BenchEnvironment.post(env.adminApi() + "/requests/" + env.pendingForOwners.poll() + "/approve", owner, "{}"),
                    200), clients, WARMUP, n, baseline, env.cpu);
        }
        System.out.printf(Locale.ROOT, "%njit-columns REST API (%,d requests, %,d active grants seeded; %d cores)%n",
                BenchEnvironment.REQUESTS, BenchEnvironment.GRANTS, Runtime.getRuntime().availableProcessors());
        table.forEach(System.out::println);
    }

    private static String id(String body) {
        try {
            return BenchEnvironment.JSON.readTree(body).get("id").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
