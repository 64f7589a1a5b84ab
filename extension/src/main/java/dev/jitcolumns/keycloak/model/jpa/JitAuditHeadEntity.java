package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * The last link of a realm's audit chain; locked (FOR UPDATE) to append, so the chain has one order. Also the realm's
 * catalog version ({@link CatalogCache}): the one row per realm that the extension owns, created and removed with it.
 */
@Entity
@Table(name = "JIT_AUDIT_HEAD")
@NamedQuery(name = "jitCatalogVersion", query = "select h.catalogVersion from JitAuditHeadEntity h where h.realmId = :realmId")
@NamedQuery(name = "jitSetCatalogVersion", query = "update JitAuditHeadEntity h set h.catalogVersion = :version where h.realmId = :realmId")
public class JitAuditHeadEntity {

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    @Column(name = "SEQ", nullable = false)
    private long seq;

    @Column(name = "HASH", nullable = false, length = 64)
    private String hash;

    // written by jitSetCatalogVersion only: an update of the whole entity would race the chain's appends
    @Column(name = "CATALOG_VERSION", length = 36, insertable = false, updatable = false)
    private String catalogVersion;

    public String getRealmId() { return realmId; }
    public void setRealmId(String v) { this.realmId = v; }
    public long getSeq() { return seq; }
    public void setSeq(long v) { this.seq = v; }
    public String getHash() { return hash; }
    public void setHash(String v) { this.hash = v; }
}
