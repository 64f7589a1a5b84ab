package dev.jitcolumns.keycloak.model;

import java.time.Instant;

/**
 * One link of a realm's append-only audit chain; {@code hash = sha256(prevHash + canonical form)}. An entry not yet
 * sealed into the chain (committed, waiting for the sealer) has {@code seq} 0 and null {@code prevHash}/{@code hash}.
 */
public record AuditEntry(long seq, Instant at, String actorId, String actorUsername, String action,
                         String requestId, String grantId, String details, String prevHash, String hash) {}
