package dev.jitcolumns.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keycloak's token endpoint with the {@code jit-columns} scope (our mapper adds the user's grants) against the same
 * call without it, in one run, with 10,000 active grants in the database and a user holding one: password grants
 * (dominated by password hashing) and refresh grants (where the mapper's cost shows most), at 1 and 16 clients.
 * A control row refreshes with a scope of Keycloak's own mappers that add a claim and an audience of the same
 * shape, so what an extra scope costs Keycloak can be told apart from what our mapper costs.
 */
final class TokenBenchmark {

    private static final int OPS_1 = Integer.getInteger("bench.ops1", 300);
    // Refresh grants are cheap: more calls at 1 client, so that the p95 is not the 15th-slowest of 300.
    private static final int REFRESH_OPS_1 = Integer.getInteger("bench.refreshOps1", 2_000);
    private static final int OPS_16 = Integer.getInteger("bench.ops16", 1_600);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 100);
    private static final String PLAIN = "openid";
    private static final String WITH_GRANTS = "openid jit-columns";
    private static final String WITH_REFERENCE = "openid " + ReferenceScope.NAME;

    private TokenBenchmark() {
    }

    static void run(BenchEnvironment env) throws Exception {
        grantTheAnalyst(env);
        ReferenceScope.create(env);
        String plainRefresh = (String) env.passwordGrant("analyst", PLAIN).get("refresh_token");
        String grantsRefresh = (String) env.passwordGrant("analyst", WITH_GRANTS).get("refresh_token");
        String referenceRefresh = (String) env.passwordGrant("analyst", WITH_REFERENCE).get("refresh_token");

        // JIT warm-up with refresh grants only: a password grant spends its time hashing, not in code to compile.
        System.out.printf("JIT warm-up: %,d refresh grants of each kind at 16 clients, not measured ...%n", Load.JIT_WARMUP);
        Load.interleaved(List.of(new Load.Op("refresh", i -> env.refreshGrantRequest(plainRefresh), 200),
                new Load.Op("refresh with the scope", i -> env.refreshGrantRequest(grantsRefresh), 200)),
                16, 0, Load.JIT_WARMUP, 1, env.cpu);
        List<String> table = new ArrayList<>();
        table.add(Load.header("without scope"));
        for (int clients : new int[] {1, 16}) {
            table.addAll(compare(env, clients, clients == 1 ? OPS_1 : OPS_16, List.of(
                    new Load.Op("password grant, scope openid", i -> env.passwordGrantRequest("analyst", PLAIN), 200),
                    new Load.Op("password grant, + jit-columns", i -> env.passwordGrantRequest("analyst", WITH_GRANTS), 200,
                            body -> requireClaim(body, "jit_columns")))));
            table.addAll(compare(env, clients, clients == 1 ? REFRESH_OPS_1 : OPS_16, List.of(
                    new Load.Op("refresh grant, scope openid", i -> env.refreshGrantRequest(plainRefresh), 200),
                    new Load.Op("refresh grant, + jit-columns", i -> env.refreshGrantRequest(grantsRefresh), 200,
                            body -> requireClaim(body, "jit_columns")),
                    new Load.Op("refresh grant, + reference scope", i -> env.refreshGrantRequest(referenceRefresh), 200,
                            body -> requireClaim(body, ReferenceScope.CLAIM)))));
        }
        System.out.printf(Locale.ROOT, "%nToken endpoint with and without the jit-columns scope (%,d active grants; %d cores)%n",
                BenchEnvironment.GRANTS, Runtime.getRuntime().availableProcessors());
        table.forEach(System.out::println);
    }

    /** Runs the operations interleaved; each row's ratio is against the first operation, the grant without a scope. */
    private static List<String> compare(BenchEnvironment env, int clients, int n, List<Load.Op> ops) throws Exception {
        List<Load.Result> results = Load.interleaved(ops, clients, WARMUP, n, Load.ROUNDS, env.cpu);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            rows.add(Load.row(ops.get(i), clients, results.get(i), results.get(0)));
            System.out.println(rows.get(i));
        }
        return rows;
    }

    /** The measured user holds a real grant, so the mapper has claims to add. */
    private static void grantTheAnalyst(BenchEnvironment env) throws Exception {
        String request = "{\"datasource\":\"analytics\",\"columns\":[\"public.customers.email\"],"
                + "\"reason\":\"Token benchmark\",\"durationMinutes\":240}";
        String created = BenchEnvironment.send(BenchEnvironment.post(env.realmUrl() + "/jit-columns/requests",
                env.accessToken("analyst"), request), 201).body();
        String id = BenchEnvironment.JSON.readTree(created).get("id").asText();
        BenchEnvironment.send(BenchEnvironment.post(env.adminApi() + "/requests/" + id + "/approve", env.accessToken("owner"),
                "{}"), 200);
    }

    /** Each token of the measured calls must carry its claim, or the comparison measures nothing. */
    private static void requireClaim(String body, String claim) {
        try {
            String token = (String) BenchEnvironment.JSON.readValue(body, Map.class).get("access_token");
            String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
            if (!payload.contains("\"" + claim + "\"")) {
                throw new IllegalStateException("a token without the " + claim + " claim: " + payload);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
