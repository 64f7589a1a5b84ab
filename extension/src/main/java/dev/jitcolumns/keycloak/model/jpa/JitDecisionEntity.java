package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A decision; unique per (request, approver): one person decides at most one stage, enforced by the database too. */
@Entity
@Table(name = "JIT_DECISION")
@NamedQuery(name = "jitDecisionsOfRequest", query = "select d from JitDecisionEntity d where d.requestId = :id order by d.at, d.id")
public class JitDecisionEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REQUEST_ID", nullable = false, length = 36)
    private String requestId;

    @Column(name = "STAGE_INDEX", nullable = false)
    private int stageIndex;

    @Column(name = "STAGE_NAME", nullable = false)
    private String stageName;

    @Column(name = "APPROVER_ID", nullable = false, length = 255)
    private String approverId;

    @Column(name = "APPROVER_USERNAME", nullable = false)
    private String approverUsername;

    @Column(name = "DECISION", nullable = false, length = 16)
    private String decision;

    @Column(name = "COMMENT", length = 2048)
    private String comment;

    @Column(name = "AT", nullable = false)
    private long at;

    public String getId() { return id; }
    public String getRequestId() { return requestId; }
    public int getStageIndex() { return stageIndex; }
    public String getStageName() { return stageName; }
    public String getApproverId() { return approverId; }
    public String getApproverUsername() { return approverUsername; }
    public String getDecision() { return decision; }
    public String getComment() { return comment; }
    public long getAt() { return at; }
}
