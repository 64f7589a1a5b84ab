package dev.jitcolumns.bench;

import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time used so far by Keycloak (the {@code kc.sh} process tree) and by PostgreSQL (the postmaster's tree),
 * to show where an operation's time goes beside its latency. Backends that exit take their CPU time with them, so
 * the connections must be pooled (Keycloak's are).
 */
final class CpuMeter {

    record Reading(long keycloakNanos, long postgresNanos) {}

    private final ProcessHandle keycloak;
    private final ProcessHandle postmaster;

    CpuMeter(ProcessHandle keycloak, ProcessHandle postmaster) {
        this.keycloak = keycloak;
        this.postmaster = postmaster;
    }

    Reading read() {
        return new Reading(treeNanos(keycloak), treeNanos(postmaster));
    }

    private static long treeNanos(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants())
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }
}
