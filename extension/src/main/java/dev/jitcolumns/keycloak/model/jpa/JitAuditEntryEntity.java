package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One entry of the audit chain. Inserted unsealed ({@code seq}, {@code prevHash}, {@code hash} null) by the writing
 * transaction; sealed once (those three set, in {@code id} order) by the sealer; never changed or deleted after.
 * Both writes are JDBC batches in {@link JpaJitColumnsStore}; as an entity it is only read.
 */
@Entity
@Table(name = "JIT_AUDIT")
@NamedQuery(name = "jitAuditRange", query = "select a from JitAuditEntryEntity a where a.realmId = :realmId"
        + " and a.at >= :from and a.at < :to order by a.seq asc nulls last, a.id asc")
@NamedQuery(name = "jitAuditSealedAfter", query = "select a from JitAuditEntryEntity a where a.realmId = :realmId"
        + " and a.seq > :after and a.seq <= :upTo and a.at >= :from and a.at < :to order by a.seq")
@NamedQuery(name = "jitAuditPendingCount", query = "select count(a) from JitAuditEntryEntity a where a.realmId = :realmId"
        + " and a.seq is null")
@NamedQuery(name = "jitAuditPending", query = "select a from JitAuditEntryEntity a where a.realmId = :realmId"
        + " and a.seq is null order by a.id")
public class JitAuditEntryEntity {

    /** Insertion order (identity): orders the entries waiting to be sealed. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "SEQ")
    private Long seq;

    @Column(name = "AT", nullable = false)
    private long at;

    @Column(name = "ACTOR_ID", length = 255)
    private String actorId;

    @Column(name = "ACTOR_USERNAME")
    private String actorUsername;

    @Column(name = "ACTION", nullable = false, length = 63)
    private String action;

    @Column(name = "REQUEST_ID", length = 36)
    private String requestId;

    @Column(name = "GRANT_ID", length = 36)
    private String grantId;

    @Column(name = "DETAILS")
    private String details;

    @Column(name = "PREV_HASH", length = 64)
    private String prevHash;

    @Column(name = "HASH", length = 64)
    private String hash;

    public Long getId() { return id; }
    public String getRealmId() { return realmId; }
    public Long getSeq() { return seq; }
    public long getAt() { return at; }
    public String getActorId() { return actorId; }
    public String getActorUsername() { return actorUsername; }
    public String getAction() { return action; }
    public String getRequestId() { return requestId; }
    public String getGrantId() { return grantId; }
    public String getDetails() { return details; }
    public String getPrevHash() { return prevHash; }
    public String getHash() { return hash; }
}
