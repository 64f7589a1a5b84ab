package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** An approval policy; its ordered stages are a small JSON array ({@link StagesJson}). */
@Entity
@Table(name = "JIT_POLICY")
@NamedQuery(name = "jitPoliciesByRealm",
        query = "select p from JitPolicyEntity p where p.realmId = :realmId order by p.policyId")
@NamedQuery(name = "jitPolicyById",
        query = "select p from JitPolicyEntity p where p.realmId = :realmId and p.policyId = :id")
public class JitPolicyEntity {

    @Id
    @Column(name = "INTERNAL_ID", length = 36)
    private String internalId;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "POLICY_ID", nullable = false, length = 63)
    private String policyId;

    @Column(name = "NAME", nullable = false)
    private String name;

    @Column(name = "STAGES", nullable = false, length = 8192)
    private String stages;

    @Column(name = "MAX_DURATION_MINUTES", nullable = false)
    private int maxDurationMinutes;

    @Column(name = "DEFAULT_DURATION_MINUTES", nullable = false)
    private int defaultDurationMinutes;

    @Column(name = "PENDING_TIMEOUT_MINUTES", nullable = false)
    private int pendingTimeoutMinutes;

    @Column(name = "ESCALATE_AFTER_MINUTES", nullable = false)
    private int escalateAfterMinutes;

    @Column(name = "ESCALATION_GROUP")
    private String escalationGroup;

    @Column(name = "ESCALATION_GROUP_ID", length = 36)
    private String escalationGroupId;

    @Column(name = "REASON_MIN_LENGTH", nullable = false)
    private int reasonMinLength;

    @Column(name = "TICKET_PATTERN", length = 512)
    private String ticketPattern;

    @Column(name = "BREAK_GLASS_MAX_MINUTES", nullable = false)
    private int breakGlassMaxMinutes;

    public String getInternalId() { return internalId; }
    public void setInternalId(String v) { this.internalId = v; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String v) { this.realmId = v; }
    public String getPolicyId() { return policyId; }
    public void setPolicyId(String v) { this.policyId = v; }
    public String getName() { return name; }
    public void setName(String v) { this.name = v; }
    public String getStages() { return stages; }
    public void setStages(String v) { this.stages = v; }
    public int getMaxDurationMinutes() { return maxDurationMinutes; }
    public void setMaxDurationMinutes(int v) { this.maxDurationMinutes = v; }
    public int getDefaultDurationMinutes() { return defaultDurationMinutes; }
    public void setDefaultDurationMinutes(int v) { this.defaultDurationMinutes = v; }
    public int getPendingTimeoutMinutes() { return pendingTimeoutMinutes; }
    public void setPendingTimeoutMinutes(int v) { this.pendingTimeoutMinutes = v; }
    public int getEscalateAfterMinutes() { return escalateAfterMinutes; }
    public void setEscalateAfterMinutes(int v) { this.escalateAfterMinutes = v; }
    public String getEscalationGroup() { return escalationGroup; }
    public void setEscalationGroup(String v) { this.escalationGroup = v; }
    public String getEscalationGroupId() { return escalationGroupId; }
    public void setEscalationGroupId(String v) { this.escalationGroupId = v; }
    public int getReasonMinLength() { return reasonMinLength; }
    public void setReasonMinLength(int v) { this.reasonMinLength = v; }
    public String getTicketPattern() { return ticketPattern; }
    public void setTicketPattern(String v) { this.ticketPattern = v; }
    public int getBreakGlassMaxMinutes() { return breakGlassMaxMinutes; }
    public void setBreakGlassMaxMinutes(int v) { this.breakGlassMaxMinutes = v; }
}
