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

/**
 * Closed-loop load: {@code clients} threads send {@code n} requests in all and record each latency. Each client has
 * its own HTTP/1.1 connection, as separate callers would; one shared client would multiplex all of them over a single
 * HTTP/2 connection, which Keycloak serves on one event-loop thread.
 */
final class Load {

    static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    /**
     * Calls of each operation before anything is measured. Measured: after 100, Keycloak's C2 compiler still used
     * about a core through the whole measurement.
     */
    static final int JIT_WARMUP = Integer.getInteger("bench.jitWarmup", 3_000);
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

        Result plus(Result other) {
            List<Double> all = new ArrayList<>(millis);
            all.addAll(other.millis);
            return new Result(all, seconds + other.seconds, new CpuMeter.Reading(cpu.keycloakNanos() + other.cpu.keycloakNanos(),
                    cpu.postgresNanos() + other.cpu.postgresNanos()));
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
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5)).build();
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        HttpRequest request = op.request().apply(i);
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
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

    /**
     * Measures operations side by side: a warm-up of each, then {@code rounds} rounds that each run every operation for
     * its share of {@code n} calls. Whatever else the machine does meanwhile (JIT compilation, garbage collection,
     * autovacuum, background jobs) weighs on all of them alike, which one run per operation in a row would not.
     */
    static List<Result> interleaved(List<Op> ops, int clients, int warmup, int n, int rounds, CpuMeter meter) throws Exception {
        for (Op op : ops) {
            run(op, clients, warmup, meter);
        }
        List<Result> results = new ArrayList<>(Collections.nCopies(ops.size(), null));
        for (int round = 0; round < rounds; round++) {
            int share = n / rounds + (round < n % rounds ? 1 : 0);
            for (int i = 0; i < ops.size(); i++) {
                Result r = run(ops.get(i), clients, share, meter);
                results.set(i, results.get(i) == null ? r : results.get(i).plus(r));
            }
        }
        return results;
    }

    /** One row of the table: the operation's figures and its p95 against the baseline's. */
    static String row(Op op, int clients, Result r, Result baseline) {
        return String.format(Locale.ROOT, "%-36s %7d %7d %9.2f %9.2f %9.0f %14.2fx %8.2f %8.2f", op.name(), clients,
                r.millis().size(), r.percentile(50), r.percentile(95), r.perSecond(), r.percentile(95) / baseline.percentile(95),
                r.keycloakCpuMillisPerOp(), r.postgresCpuMillisPerOp());
    }

    static String header(String baselineName) {
        return String.format(Locale.ROOT, "%-36s %7s %7s %9s %9s %9s %15s %8s %8s", "operation", "clients", "n", "p50 ms", "p95 ms",
                "per s", "p95 / " + baselineName, "KC cpu", "PG cpu");
    }
}
