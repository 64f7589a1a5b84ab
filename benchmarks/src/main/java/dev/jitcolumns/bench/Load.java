package dev.jitcolumns.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/** Closed-loop load: {@code clients} threads send {@code n} requests in all and record each latency. */
final class Load {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One kind of call; {@code onReply} sees each answer's body (e.g. to collect created ids). */
    record Op(String name, IntFunction<HttpRequest> request, int expectedStatus, Consumer<String> onReply) {
        Op(String name, IntFunction<HttpRequest> request, int expectedStatus) {
            this(name, request, expectedStatus, body -> { });
        }
    }

    /** Latencies in ms, the wall time of the whole run and the CPU time Keycloak and PostgreSQL spent on it. */
    record Result(List<Double> millis, double seconds, CpuMeter.Reading cpu) {
        double percentile(int p) {
            List<Double> sorted = millis.stream().sorted().toList();
            return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }

        double perSecond() {
            return millis.size() / seconds;
        }

        double keycloakCpuMillisPerOp() {
            return cpu.keycloakNanos() / 1e6 / millis.size();
        }

        double postgresCpuMillisPerOp() {
            return cpu.postgresNanos() / 1e6 / millis.size();
        }
    }

    private Load() {
    }

    static Result run(Op op, int clients, int n, CpuMeter meter) throws Exception {
        CpuMeter.Reading cpu0 = meter.read();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        HttpRequest request = op.request().apply(i);
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                        ms.add((System.nanoTime() - t0) / 1e6);
                        if (r.statusCode() != op.expectedStatus()) {
                            throw new IllegalStateException(op.name() + " answered " + r.statusCode() + ": " + r.body());
                        }
                        op.onReply().accept(r.body());
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
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Reading cpu1 = meter.read();
        return new Result(ms, seconds, new CpuMeter.Reading(cpu1.keycloakNanos() - cpu0.keycloakNanos(),
                cpu1.postgresNanos() - cpu0.postgresNanos()));
    }

    /** Warms up, measures, and prints one row of the table. */
    static Result measureRow(List<String> table, Op op, int clients, int warmup, int n, Result baseline, CpuMeter meter)
            throws Exception {
        run(op, clients, warmup, meter);
        Result r = run(op, clients, n, meter);
        Result base = baseline == null ? r : baseline;
        String row = String.format(Locale.ROOT, "%-36s %7d %7d %9.2f %9.2f %9.0f %14.2fx %8.2f %8.2f", op.name(), clients, n,
                r.percentile(50), r.percentile(95), r.perSecond(), r.percentile(95) / base.percentile(95),
                r.keycloakCpuMillisPerOp(), r.postgresCpuMillisPerOp());
        table.add(row);
        System.out.println(row);
        return r;
    }

    static String header(String baselineName) {
        return String.format(Locale.ROOT, "%-36s %7s %7s %9s %9s %9s %15s %8s %8s", "operation", "clients", "n", "p50 ms", "p95 ms",
                "per s", "p95 / " + baselineName, "KC cpu", "PG cpu");
    }
}
