package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The last link of a realm's audit chain; locked (FOR UPDATE) to append, so the chain has one order. */
@Entity
@Table(name = "JIT_AUDIT_HEAD")
public class JitAuditHeadEntity {

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    @Column(name = "SEQ", nullable = false)
    private long seq;

    @Column(name = "HASH", nullable = false, length = 64)
    private String hash;

    public String getRealmId() { return realmId; }
    public void setRealmId(String v) { this.realmId = v; }
    public long getSeq() { return seq; }
    public void setSeq(long v) { this.seq = v; }
    public String getHash() { return hash; }
    public void setHash(String v) { this.hash = v; }
}
