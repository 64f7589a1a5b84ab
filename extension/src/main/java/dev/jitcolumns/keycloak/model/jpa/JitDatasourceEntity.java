package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

@Entity
@Table(name = "JIT_DATASOURCE")
@NamedQuery(name = "jitDatasourcesByRealm",
        query = "select d from JitDatasourceEntity d where d.realmId = :realmId order by d.datasourceId")
@NamedQuery(name = "jitDatasourceById",
        query = "select d from JitDatasourceEntity d where d.realmId = :realmId and d.datasourceId = :id")
public class JitDatasourceEntity {

    @Id
    @Column(name = "INTERNAL_ID", length = 36)
    private String internalId;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    /** The public id, unique per realm (e.g. {@code analytics}). */
    @Column(name = "DATASOURCE_ID", nullable = false, length = 63)
    private String datasourceId;

    @Column(name = "NAME", nullable = false)
    private String name;

    @Column(name = "DESCRIPTION", length = 1024)
    private String description;

    public String getInternalId() { return internalId; }
    public void setInternalId(String internalId) { this.internalId = internalId; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getDatasourceId() { return datasourceId; }
    public void setDatasourceId(String datasourceId) { this.datasourceId = datasourceId; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
}
