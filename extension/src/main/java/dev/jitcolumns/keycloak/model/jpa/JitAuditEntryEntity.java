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
 */
@Entity
@Table(name = "JIT_AUDIT")
@NamedQuery(name = "jitAuditRange", query = "select a from JitAuditEntryEntity a where a.realmId = :realmId"
        + " and a.at >= :from and a.at < :to order by a.seq asc nulls last, a.id asc")
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

    @Column(name = "ACTOR_ID", length = 36)
    private String actorId;

    @Column(name = "ACTOR_USERNAME")
    private String actorUsername;

    @Column(name = "ACTION", nullable = false, length = 63)
    private String action;

    @Column(name = "REQUEST_ID", length = 36)
    private String requestId;

    @Column(name = "GRANT_ID", length = 36)
    private String grantId;

    @Column(name = "DETAILS", length = 16384)
    private String details;

    @Column(name = "PREV_HASH", length = 64)
    private String prevHash;

    @Column(name = "HASH", length = 64)
    private String hash;

    public Long getId() { return id; }
    public void setId(Long v) { this.id = v; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String v) { this.realmId = v; }
    public Long getSeq() { return seq; }
    public void setSeq(Long v) { this.seq = v; }
    public long getAt() { return at; }
    public void setAt(long v) { this.at = v; }
    public String getActorId() { return actorId; }
    public void setActorId(String v) { this.actorId = v; }
    public String getActorUsername() { return actorUsername; }
    public void setActorUsername(String v) { this.actorUsername = v; }
    public String getAction() { return action; }
    public void setAction(String v) { this.action = v; }
    public String getRequestId() { return requestId; }
    public void setRequestId(String v) { this.requestId = v; }
    public String getGrantId() { return grantId; }
    public void setGrantId(String v) { this.grantId = v; }
    public String getDetails() { return details; }
    public void setDetails(String v) { this.details = v; }
    public String getPrevHash() { return prevHash; }
    public void setPrevHash(String v) { this.prevHash = v; }
    public String getHash() { return hash; }
    public void setHash(String v) { this.hash = v; }
}
