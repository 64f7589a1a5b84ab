package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

@Entity
@Table(name = "JIT_COLUMN")
@NamedQuery(name = "jitColumnsByRealm", query = "select c from JitColumnEntity c where c.realmId = :realmId"
        + " order by c.datasourceId, c.schemaName, c.tableName, c.columnName")
@NamedQuery(name = "jitColumnsUsing", query = "select count(c) from JitColumnEntity c where c.realmId = :realmId"
        + " and (c.datasourceId = :datasource or c.policyId = :policy)")
public class JitColumnEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "DATASOURCE_ID", nullable = false, length = 63)
    private String datasourceId;

    @Column(name = "SCHEMA_NAME", nullable = false, length = 63)
    private String schemaName;

    @Column(name = "TABLE_NAME", nullable = false, length = 63)
    private String tableName;

    @Column(name = "COLUMN_NAME", nullable = false, length = 63)
    private String columnName;

    @Column(name = "LABEL", nullable = false, length = 63)
    private String label;

    @Column(name = "DESCRIPTION", length = 1024)
    private String description;

    @Column(name = "POLICY_ID", nullable = false, length = 63)
    private String policyId;

    public String getId() { return id; }
    public void setId(String v) { this.id = v; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String v) { this.realmId = v; }
    public String getDatasourceId() { return datasourceId; }
    public void setDatasourceId(String v) { this.datasourceId = v; }
    public String getSchemaName() { return schemaName; }
    public void setSchemaName(String v) { this.schemaName = v; }
    public String getTableName() { return tableName; }
    public void setTableName(String v) { this.tableName = v; }
    public String getColumnName() { return columnName; }
    public void setColumnName(String v) { this.columnName = v; }
    public String getLabel() { return label; }
    public void setLabel(String v) { this.label = v; }
    public String getDescription() { return description; }
    public void setDescription(String v) { this.description = v; }
    public String getPolicyId() { return policyId; }
    public void setPolicyId(String v) { this.policyId = v; }
}
