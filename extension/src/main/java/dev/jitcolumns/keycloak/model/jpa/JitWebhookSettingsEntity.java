package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A realm's webhook. In a table of its own, not in realm attributes: Keycloak answers every realm attribute to anyone
 * who may view the realm, and the secret (and a URL's path) must reach only realm managers.
 */
@Entity
@Table(name = "JIT_WEBHOOK")
public class JitWebhookSettingsEntity {

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    @Column(name = "URL", nullable = false, length = 2048)
    private String url;

    @Column(name = "SECRET", nullable = false, length = 1024)
    private String secret;

    public String getRealmId() { return realmId; }
    public void setRealmId(String v) { this.realmId = v; }
    public String getUrl() { return url; }
    public void setUrl(String v) { this.url = v; }
    public String getSecret() { return secret; }
    public void setSecret(String v) { this.secret = v; }
}
