package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * Who answers for some stage of a request: one row per distinct {@link dev.jitcolumns.keycloak.model.Stage#approverKey()}
 * of its stages, frozen with them at creation. The lists an approver reads (requests, grants) select through it, so
 * that their pages are pages of what the approver may see.
 */
@Entity
@Table(name = "JIT_REQUEST_APPROVER")
@IdClass(JitRequestApproverEntity.Key.class)
public class JitRequestApproverEntity {

    public static class Key implements Serializable {
        private String requestId;
        private String approverKey;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(requestId, k.requestId) && Objects.equals(approverKey, k.approverKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, approverKey);
        }
    }

    @Id
    @Column(name = "REQUEST_ID", length = 36)
    private String requestId;

    @Id
    @Column(name = "APPROVER_KEY")
    private String approverKey;

    public String getRequestId() { return requestId; }
    public String getApproverKey() { return approverKey; }
}
