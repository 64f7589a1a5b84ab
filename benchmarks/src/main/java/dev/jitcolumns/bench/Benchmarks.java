package dev.jitcolumns.bench;

import java.util.List;

/** {@code -Dbench=api|token|all} (default all): each prints its table, our figures next to a baseline of the same run. */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        List<String> which = List.of(System.getProperty("bench", "all").split(","));
        try (BenchEnvironment env = BenchEnvironment.startSeeded()) {
            if (which.contains("all") || which.contains("token")) {
                TokenBenchmark.run(env);
            }
            if (which.contains("all") || which.contains("api")) {
                ApiBenchmark.run(env);
            }
        }
    }
}
