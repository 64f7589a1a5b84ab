package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A webhook delivery in the outbox: written by the change's transaction, deleted once delivered or given up. The body
 * is as rendered at the change; the receiver (URL, secret) is the realm's at each attempt and is never stored here.
 */
@Entity
@Table(name = "JIT_WEBHOOK_OUTBOX")
@NamedQuery(name = "jitWebhookDeliveriesDue", query = "select d.id from JitWebhookDeliveryEntity d"
        + " where d.nextAttemptAt <= :now order by d.createdAt, d.id")
@NamedQuery(name = "jitWebhookDeliveryClaim", query = "update JitWebhookDeliveryEntity d"
        + " set d.nextAttemptAt = :until, d.attempts = d.attempts + 1 where d.id = :id and d.nextAttemptAt <= :now")
@NamedQuery(name = "jitWebhookDeliveryRetry", query = "update JitWebhookDeliveryEntity d"
        + " set d.nextAttemptAt = :at where d.id = :id")
@NamedQuery(name = "jitWebhookDeliveryRemove", query = "delete from JitWebhookDeliveryEntity d where d.id = :id")
public class JitWebhookDeliveryEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "EVENT_TYPE", nullable = false, length = 32)
    private String eventType;

    @Column(name = "BODY", nullable = false)
    private String body;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    @Column(name = "NEXT_ATTEMPT_AT", nullable = false)
    private long nextAttemptAt;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    public String getId() { return id; }
    public String getRealmId() { return realmId; }
    public String getEventType() { return eventType; }
    public String getBody() { return body; }
    public int getAttempts() { return attempts; }
    public long getCreatedAt() { return createdAt; }
}
