package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * An access request, as the lists of requests read it; rows are written, locked and paged for the inbox through
 * {@link RequestRows}, so this entity is only ever read. {@code CURRENT_APPROVER} is the approver key of the stage being
 * decided (null unless PENDING): the "decidable by me" query is an index lookup on (REALM_ID, STATUS, CURRENT_APPROVER).
 */
@Entity
@Table(name = "JIT_REQUEST")
@NamedQuery(name = "jitRequestsOf", query = "select r from JitRequestEntity r where r.realmId = :realmId"
        + " and r.requesterId = :userId order by r.createdAt desc, r.id")
@NamedQuery(name = "jitRequests", query = "select r from JitRequestEntity r where r.realmId = :realmId"
        + " order by r.createdAt desc, r.id")
@NamedQuery(name = "jitRequestsForApprover", query = "select r from JitRequestEntity r where r.realmId = :realmId"
        + " and exists (select 1 from JitRequestApproverEntity a where a.requestId = r.id and a.approverKey in :keys)"
        + " order by r.createdAt desc, r.id")
@NamedQuery(name = "jitRequestsForApproverByStatus", query = "select r from JitRequestEntity r where r.realmId = :realmId"
        + " and r.status = :status"
        + " and exists (select 1 from JitRequestApproverEntity a where a.requestId = r.id and a.approverKey in :keys)"
        + " order by r.createdAt desc, r.id")
@NamedQuery(name = "jitRequestsByStatus", query = "select r from JitRequestEntity r where r.realmId = :realmId"
        + " and r.status = :status order by r.createdAt desc, r.id")
@NamedQuery(name = "jitDueForTimeout", query = "select r.id from JitRequestEntity r where r.realmId = :realmId"
        + " and r.status = 'PENDING' and r.timeoutAt <= :now order by r.timeoutAt")
@NamedQuery(name = "jitPendingWithRemovedApprovers", query = "select r.id from JitRequestEntity r where r.realmId = :realmId"
        + " and r.status = 'PENDING' and ((r.currentApprover like 'group:%' and not exists"
        + " (select 1 from GroupEntity g where g.id = substring(r.currentApprover, 7))) or (r.currentApprover like 'role:%'"
        + " and not exists (select 1 from RoleEntity o where o.id = substring(r.currentApprover, 6)))) order by r.createdAt")
@NamedQuery(name = "jitDueForEscalation", query = "select r.id from JitRequestEntity r where r.realmId = :realmId"
        + " and r.status = 'PENDING' and r.escalated = false and r.escalateAt <= :now order by r.escalateAt")
@NamedQuery(name = "jitRequestsOfGrant", query = "select r.id from JitRequestEntity r where r.realmId = :realmId"
        + " and r.grantId = :grantId and r.status = 'APPROVED'")
@NamedQuery(name = "jitPendingExtensionsOfGrant", query = "select r.id from JitRequestEntity r where r.realmId = :realmId"
        + " and r.extendsGrantId = :grantId and r.status = 'PENDING'")
public class JitRequestEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Version
    @Column(name = "VERSION", nullable = false)
    private int version;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "REQUESTER_ID", nullable = false, length = 255)
    private String requesterId;

    @Column(name = "REQUESTER_USERNAME", nullable = false)
    private String requesterUsername;

    @Column(name = "DATASOURCE_ID", nullable = false, length = 63)
    private String datasourceId;

    /** Column FQNs separated by commas (identifiers are validated and contain none). */
    @Column(name = "COLUMNS", nullable = false, length = 16384)
    private String columns;

    @Column(name = "REASON", nullable = false, length = 2048)
    private String reason;

    @Column(name = "TICKET")
    private String ticket;

    @Column(name = "DURATION_MINUTES", nullable = false)
    private int durationMinutes;

    @Column(name = "BREAK_GLASS", nullable = false)
    private boolean breakGlass;

    @Column(name = "STATUS", nullable = false, length = 16)
    private String status;

    @Column(name = "CURRENT_STAGE", nullable = false)
    private int currentStage;

    @Column(name = "CURRENT_APPROVER")
    private String currentApprover;

    /** The stages frozen at creation (JSON). */
    @Column(name = "STAGES", nullable = false, length = 8192)
    private String stages;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "DECIDED_AT")
    private Long decidedAt;

    @Column(name = "EXTENDS_GRANT_ID", length = 36)
    private String extendsGrantId;

    @Column(name = "GRANT_ID", length = 36)
    private String grantId;

    @Column(name = "TIMEOUT_AT")
    private Long timeoutAt;

    @Column(name = "ESCALATE_AT")
    private Long escalateAt;

    @Column(name = "ESCALATED", nullable = false)
    private boolean escalated;

    @Column(name = "DECISION_COUNT", nullable = false)
    private int decisionCount;

    public String getId() { return id; }
    public String getRealmId() { return realmId; }
    public String getRequesterId() { return requesterId; }
    public String getRequesterUsername() { return requesterUsername; }
    public String getDatasourceId() { return datasourceId; }
    public String getColumns() { return columns; }
    public String getReason() { return reason; }
    public String getTicket() { return ticket; }
    public int getDurationMinutes() { return durationMinutes; }
    public boolean isBreakGlass() { return breakGlass; }
    public String getStatus() { return status; }
    public int getCurrentStage() { return currentStage; }
    public String getStages() { return stages; }
    public long getCreatedAt() { return createdAt; }
    public Long getDecidedAt() { return decidedAt; }
    public String getExtendsGrantId() { return extendsGrantId; }
    public String getGrantId() { return grantId; }
    public Long getTimeoutAt() { return timeoutAt; }
    public Long getEscalateAt() { return escalateAt; }
    public boolean isEscalated() { return escalated; }
    public int getDecisionCount() { return decisionCount; }
}
