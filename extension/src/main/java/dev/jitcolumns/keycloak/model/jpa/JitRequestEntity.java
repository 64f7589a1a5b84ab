package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * An access request. {@code CURRENT_APPROVER} is the approver key of the stage being decided (null unless
 * PENDING): the "decidable by me" query is an index lookup on (REALM_ID, STATUS, CURRENT_APPROVER).
 */
@Entity
@Table(name = "JIT_REQUEST")
@NamedQuery(name = "jitRequestsOf", query = "select r from JitRequestEntity r where r.realmId = :realmId"
        + " and r.requesterId = :userId order by r.createdAt desc, r.id")
@NamedQuery(name = "jitRequests", query = "select r from JitRequestEntity r where r.realmId = :realmId"
        + " order by r.createdAt desc, r.id")
@NamedQuery(name = "jitRequestsByStatus", query = "select r from JitRequestEntity r where r.realmId = :realmId"
        + " and r.status = :status order by r.createdAt desc, r.id")
@NamedQuery(name = "jitDueForTimeout", query = "select r.id from JitRequestEntity r where r.realmId = :realmId"
        + " and r.status = 'PENDING' and r.timeoutAt <= :now order by r.timeoutAt")
@NamedQuery(name = "jitDueForEscalation", query = "select r.id from JitRequestEntity r where r.realmId = :realmId"
        + " and r.status = 'PENDING' and r.escalated = false and r.escalateAt <= :now order by r.escalateAt")
@NamedQuery(name = "jitRequestsOfGrant", query = "select r.id from JitRequestEntity r where r.realmId = :realmId"
        + " and r.grantId = :grantId and r.status = 'APPROVED'")
public class JitRequestEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Version
    @Column(name = "VERSION", nullable = false)
    private int version;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "REQUESTER_ID", nullable = false, length = 36)
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
    public void setId(String v) { this.id = v; }
    public int getVersion() { return version; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String v) { this.realmId = v; }
    public String getRequesterId() { return requesterId; }
    public void setRequesterId(String v) { this.requesterId = v; }
    public String getRequesterUsername() { return requesterUsername; }
    public void setRequesterUsername(String v) { this.requesterUsername = v; }
    public String getDatasourceId() { return datasourceId; }
    public void setDatasourceId(String v) { this.datasourceId = v; }
    public String getColumns() { return columns; }
    public void setColumns(String v) { this.columns = v; }
    public String getReason() { return reason; }
    public void setReason(String v) { this.reason = v; }
    public String getTicket() { return ticket; }
    public void setTicket(String v) { this.ticket = v; }
    public int getDurationMinutes() { return durationMinutes; }
    public void setDurationMinutes(int v) { this.durationMinutes = v; }
    public boolean isBreakGlass() { return breakGlass; }
    public void setBreakGlass(boolean v) { this.breakGlass = v; }
    public String getStatus() { return status; }
    public void setStatus(String v) { this.status = v; }
    public int getCurrentStage() { return currentStage; }
    public void setCurrentStage(int v) { this.currentStage = v; }
    public String getCurrentApprover() { return currentApprover; }
    public void setCurrentApprover(String v) { this.currentApprover = v; }
    public String getStages() { return stages; }
    public void setStages(String v) { this.stages = v; }
    public long getCreatedAt() { return createdAt; }
    public void setCreatedAt(long v) { this.createdAt = v; }
    public Long getDecidedAt() { return decidedAt; }
    public void setDecidedAt(Long v) { this.decidedAt = v; }
    public String getExtendsGrantId() { return extendsGrantId; }
    public void setExtendsGrantId(String v) { this.extendsGrantId = v; }
    public String getGrantId() { return grantId; }
    public void setGrantId(String v) { this.grantId = v; }
    public Long getTimeoutAt() { return timeoutAt; }
    public void setTimeoutAt(Long v) { this.timeoutAt = v; }
    public Long getEscalateAt() { return escalateAt; }
    public void setEscalateAt(Long v) { this.escalateAt = v; }
    public boolean isEscalated() { return escalated; }
    public void setEscalated(boolean v) { this.escalated = v; }
    public int getDecisionCount() { return decisionCount; }
    public void setDecisionCount(int v) { this.decisionCount = v; }
}
