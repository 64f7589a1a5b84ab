package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A grant. Active = not revoked and startsAt <= now < expiresAt, decided at query time (index REALM_ID, USER_ID, EXPIRES_AT). */
@Entity
@Table(name = "JIT_GRANT")
@NamedQuery(name = "jitActiveGrants", query = "select g from JitGrantEntity g where g.realmId = :realmId"
        + " and g.userId = :userId and g.expiresAt > :now and g.startsAt <= :now and g.revokedAt is null"
        + " order by g.expiresAt, g.id")
@NamedQuery(name = "jitActiveGrantIds", query = "select g.id from JitGrantEntity g where g.realmId = :realmId"
        + " and g.userId = :userId and g.expiresAt > :now and g.startsAt <= :now and g.revokedAt is null order by g.expiresAt, g.id")
@NamedQuery(name = "jitApprovedOrRevokedGrantsOfUser", query = "select g from JitGrantEntity g where g.realmId = :realmId"
        + " and g.userId = :userId and g.datasourceId = :datasource and (g.breakGlass = false or g.revokedAt is not null)")
@NamedQuery(name = "jitDisabledHoldersOfActiveGrants", query = "select distinct g.userId from JitGrantEntity g, UserEntity u"
        + " where g.realmId = :realmId and g.expiresAt > :now and g.startsAt <= :now and g.revokedAt is null"
        + " and u.id = g.userId and u.realmId = :realmId and u.enabled = false")
@NamedQuery(name = "jitFederatedHoldersOfActiveGrants", query = "select distinct g.userId from JitGrantEntity g"
        + " where g.realmId = :realmId and g.expiresAt > :now and g.startsAt <= :now and g.revokedAt is null"
        + " and g.userId like 'f:%'")
@NamedQuery(name = "jitGrants", query = "select g from JitGrantEntity g where g.realmId = :realmId"
        + " order by g.startsAt desc, g.id")
@NamedQuery(name = "jitGrantsActive", query = "select g from JitGrantEntity g where g.realmId = :realmId"
        + " and g.expiresAt > :now and g.startsAt <= :now and g.revokedAt is null order by g.expiresAt, g.id")
@NamedQuery(name = "jitGrantsForApprover", query = "select g from JitGrantEntity g where g.realmId = :realmId"
        + " and exists (select 1 from JitRequestApproverEntity a where a.requestId = g.requestId and a.approverKey in :keys)"
        + " order by g.startsAt desc, g.id")
@NamedQuery(name = "jitGrantsActiveForApprover", query = "select g from JitGrantEntity g where g.realmId = :realmId"
        + " and g.expiresAt > :now and g.startsAt <= :now and g.revokedAt is null"
        + " and exists (select 1 from JitRequestApproverEntity a where a.requestId = g.requestId and a.approverKey in :keys)"
        + " order by g.expiresAt, g.id")
@NamedQuery(name = "jitRevokedSince", query = "select g from JitGrantEntity g where g.realmId = :realmId"
        + " and g.closed = true and g.expiresAt > :endedAfter and g.revokedAt is not null"
        + " and (g.revokedAt > :afterAt or (g.revokedAt = :afterAt and g.id > :afterId)) order by g.revokedAt, g.id")
@NamedQuery(name = "jitDueForExpiry", query = "select g.id from JitGrantEntity g where g.realmId = :realmId"
        + " and g.closed = false and g.expiresAt <= :now order by g.expiresAt")
public class JitGrantEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "REQUEST_ID", nullable = false, length = 36)
    private String requestId;

    @Column(name = "USER_ID", nullable = false, length = 255)
    private String userId;

    @Column(name = "USERNAME", nullable = false)
    private String username;

    @Column(name = "DATASOURCE_ID", nullable = false, length = 63)
    private String datasourceId;

    @Column(name = "COLUMNS", nullable = false, length = 16384)
    private String columns;

    @Column(name = "STARTS_AT", nullable = false)
    private long startsAt;

    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    @Column(name = "REVOKED_AT")
    private Long revokedAt;

    @Column(name = "REVOKED_BY")
    private String revokedBy;

    @Column(name = "REVOKE_REASON", length = 2048)
    private String revokeReason;

    @Column(name = "BREAK_GLASS", nullable = false)
    private boolean breakGlass;

    @Column(name = "REVIEW_REQUIRED", nullable = false)
    private boolean reviewRequired;

    /** Set once the grant's end has been processed (expired or revoked): the scheduler's work list. */
    @Column(name = "CLOSED", nullable = false)
    private boolean closed;

    public String getId() { return id; }
    public String getRealmId() { return realmId; }
    public String getRequestId() { return requestId; }
    public String getUserId() { return userId; }
    public String getUsername() { return username; }
    public String getDatasourceId() { return datasourceId; }
    public String getColumns() { return columns; }
    public long getStartsAt() { return startsAt; }
    public long getExpiresAt() { return expiresAt; }
    public void setExpiresAt(long v) { this.expiresAt = v; }
    public Long getRevokedAt() { return revokedAt; }
    public void setRevokedAt(Long v) { this.revokedAt = v; }
    public String getRevokedBy() { return revokedBy; }
    public void setRevokedBy(String v) { this.revokedBy = v; }
    public String getRevokeReason() { return revokeReason; }
    public void setRevokeReason(String v) { this.revokeReason = v; }
    public boolean isBreakGlass() { return breakGlass; }
    public boolean isReviewRequired() { return reviewRequired; }
    public boolean isClosed() { return closed; }
    public void setClosed(boolean v) { this.closed = v; }
}
