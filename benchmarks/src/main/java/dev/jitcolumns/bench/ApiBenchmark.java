package dev.jitcolumns.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jitcolumns.launcher.EmbeddedPostgresServer;
import dev.jitcolumns.launcher.KeycloakServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Latency of our REST API next to Keycloak's own userinfo endpoint, in the same run, on a database seeded with
 * 100,000 requests and 10,000 active grants: create a request, list an approver's decidable requests, approve;
 * each at 1 and at 16 concurrent clients. Prints p50/p95 and the ratio of each p95 to userinfo's p95.
 */
public final class ApiBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int REQUESTS = Integer.getInteger("bench.requests", 100_000);
    private static final int GRANTS = Integer.getInteger("bench.grants", 10_000);
    private static final int OPS_1 = Integer.getInteger("bench.ops1", 300);
    private static final int OPS_16 = Integer.getInteger("bench.ops16", 1_600);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 100);

    private static String base;
    private static final ConcurrentLinkedQueue<String> toApprove = new ConcurrentLinkedQueue<>();

    private ApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary()) {
            KeycloakServer.Builder kc = KeycloakServer.builder(Path.of(System.getProperty("keycloak.home")))
                    .database(pg, "keycloak")
                    .importRealm(Path.of(System.getProperty("jit.realm-config"), "acme-realm.json"));
            try (Stream<Path> jars = Files.list(Path.of(System.getProperty("jit.providers")))) {
                jars.filter(p -> p.toString().endsWith(".jar")).forEach(kc::provider);
            }
            System.out.println("Starting Keycloak ...");
            try (KeycloakServer keycloak = kc.start()) {
                base = keycloak.baseUrl();
                seed(pg);
                run();
            }
        }
    }

    private static void seed(EmbeddedPostgresServer pg) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = pg.connect("keycloak")) {
            String realmId;
            try (ResultSet rs = c.createStatement().executeQuery("select id from realm where name = 'acme'")) {
                rs.next();
                realmId = rs.getString(1);
            }
            String stages = "[{\"name\":\"data-owner\",\"approverGroup\":\"/data-owners\",\"approverRole\":null,\"minApprovals\":1}]";
            long now = System.currentTimeMillis();
            // 100,000 requests: the first GRANTS approved with an active grant, 1,000 pending for /data-owners,
            // 4,000 pending for the security officers, the rest ended (expired, denied, cancelled).
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into jit_request (id, version, realm_id, requester_id, requester_username, datasource_id, columns,
                      reason, ticket, duration_minutes, break_glass, status, current_stage, current_approver, stages,
                      created_at, decided_at, extends_grant_id, grant_id, timeout_at, escalate_at, escalated)
                    select 'bench-r-' || i, 0, ?, 'bench-user-' || (i % 1000), 'bench' || (i % 1000), 'analytics',
                      'public.customers.email', 'seeded for the benchmark', null, 60, false,
                      case when i <= ? then 'APPROVED' when i <= ? + 1000 then 'PENDING' when i <= ? + 5000 then 'PENDING'
                           when i % 3 = 0 then 'EXPIRED' when i % 3 = 1 then 'DENIED' else 'CANCELLED' end,
                      0,
                      case when i <= ? then null when i <= ? + 1000 then 'group:/data-owners'
                           when i <= ? + 5000 then 'group:/security-officers' else null end,
                      ?, ? - i * 1000, null, null, case when i <= ? then 'bench-g-' || i else null end, null, null, false
                    from generate_series(1, ?) i""")) {
                int k = 1;
                ps.setString(k++, realmId);
                for (int j = 0; j < 3; j++) {
                    ps.setInt(k++, GRANTS);
                }
                for (int j = 0; j < 3; j++) {
                    ps.setInt(k++, GRANTS);
                }
                ps.setString(k++, stages);
                ps.setLong(k++, now);
                ps.setInt(k++, GRANTS);
                ps.setInt(k, REQUESTS);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into jit_grant (id, realm_id, request_id, user_id, username, datasource_id, columns, starts_at,
                      expires_at, revoked_at, revoked_by, revoke_reason, break_glass, review_required, closed)
                    select 'bench-g-' || i, ?, 'bench-r-' || i, 'bench-user-' || (i % 1000), 'bench' || (i % 1000), 'analytics',
                      'public.customers.email', ?, ? + 86400000, null, null, null, false, false, false
                    from generate_series(1, ?) i""")) {
                ps.setString(1, realmId);
                ps.setLong(2, now);
                ps.setLong(3, now);
                ps.setInt(4, GRANTS);
                ps.executeUpdate();
            }
            try (ResultSet rs = c.createStatement().executeQuery("select id from jit_request where current_approver = 'group:/data-owners'")) {
                while (rs.next()) {
                    toApprove.add(rs.getString(1));
                }
            }
            c.createStatement().execute("analyze jit_request");
            c.createStatement().execute("analyze jit_grant");
            try (ResultSet rs = c.createStatement().executeQuery("select (select count(*) from jit_request), "
                    + "(select count(*) from jit_grant where revoked_at is null and expires_at > " + now + ")")) {
                rs.next();
                System.out.printf("Seeded %,d requests and %,d active grants in %.1f s%n", rs.getLong(1), rs.getLong(2),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private record Op(String name, IntFunction<HttpRequest> request, int expected) {}

    private static void run() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-28s %7s %7s %10s %10s %14s", "operation", "clients", "n", "p50 ms", "p95 ms", "p95 / userinfo"));
        for (int clients : new int[] {1, 16}) {
            int n = clients == 1 ? OPS_1 : OPS_16;
            String analyst = token("analyst");
            String owner = token("owner");
            String realm = base + "/realms/acme";
            String create = "{\"datasource\":\"analytics\",\"columns\":[\"public.customers.email\"],"
                    + "\"reason\":\"Benchmark request\",\"durationMinutes\":30}";
            List<Op> ops = List.of(
                    new Op("userinfo (baseline)", i -> get(realm + "/protocol/openid-connect/userinfo", analyst), 200),
                    new Op("POST /requests", i -> post(realm + "/jit-columns/requests", analyst, create), 201),
                    new Op("GET /requests?decidable=true", i -> get(base + "/admin/realms/acme/jit-columns/requests?decidable=true&max=50", owner), 200),
                    new Op("POST /requests/{id}/approve", i -> post(base + "/admin/realms/acme/jit-columns/requests/"
                            + toApprove.poll() + "/approve", owner, "{}"), 200));
            double baseline = 0;
            for (Op op : ops) {
                measure(op, clients, WARMUP);
                List<Double> ms = measure(op, clients, n);
                double p50 = percentile(ms, 50);
                double p95 = percentile(ms, 95);
                if (baseline == 0) {
                    baseline = p95;
                }
                lines.add(String.format(Locale.ROOT, "%-28s %7d %7d %10.2f %10.2f %13.2fx", op.name(), clients, n, p50, p95, p95 / baseline));
                System.out.println(lines.get(lines.size() - 1));
            }
        }
        System.out.println();
        System.out.println("jit-columns REST benchmark (" + String.format(Locale.ROOT, "%,d", REQUESTS) + " requests, "
                + String.format(Locale.ROOT, "%,d", GRANTS) + " active grants seeded; " + Runtime.getRuntime().availableProcessors() + " cores)");
        lines.forEach(System.out::println);
    }

    private static List<Double> measure(Op op, int clients, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        HttpRequest req = op.request().apply(i);
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
                        ms.add((System.nanoTime() - t0) / 1e6);
                        if (r.statusCode() != op.expected()) {
                            throw new IllegalStateException(op.name() + " answered " + r.statusCode() + ": " + r.body());
                        }
                        if (op.expected() == 201) {
                            toApprove.add(JSON.readTree(r.body()).get("id").asText());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return ms;
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().collect(Collectors.toList());
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build();
    }

    private static HttpRequest post(String url, String token, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String token(String user) throws Exception {
        String form = Map.of("grant_type", "password", "client_id", "jit-columns-cli", "username", user, "password", user,
                        "scope", "openid").entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/realms/acme/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        return json.get("access_token").asText();
    }
}
