package dev.jitcolumns.keycloak.model;

import java.time.Instant;

/**
 * A webhook delivery waiting in the outbox: its body as rendered in the change's transaction, whose {@code id} is also
 * the delivery id every attempt carries; {@code attempts} counts the attempts started, this one included once claimed.
 */
public record PendingDelivery(String id, String realmId, String type, String body, int attempts, Instant createdAt) {}
