package dev.jitcolumns.keycloak.model;

import java.time.Instant;

/** One link of a realm's append-only audit chain; {@code hash = sha256(prevHash + canonical form)}. */
public record AuditEntry(long seq, Instant at, String actorId, String actorUsername, String action,
                         String requestId, String grantId, String details, String prevHash, String hash) {}
