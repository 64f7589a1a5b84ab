package dev.jitcolumns.keycloak.model.jpa;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Registers our entities and Liquibase changelog with Keycloak's own database.
 * Keycloak tracks the changelog in {@code databasechangelog_jit-columns}: the id must never change.
 */
public final class JitEntityProviderFactory implements JpaEntityProviderFactory {

    public static final String PROVIDER_ID = "jit-columns";

    private static final JpaEntityProvider PROVIDER = new JpaEntityProvider() {
        @Override
        public List<Class<?>> getEntities() {
            return List.of(JitDatasourceEntity.class, JitPolicyEntity.class, JitColumnEntity.class, JitRequestEntity.class,
                    JitRequestApproverEntity.class, JitDecisionEntity.class, JitGrantEntity.class, JitAuditEntryEntity.class,
                    JitAuditHeadEntity.class, JitWebhookDeliveryEntity.class, JitWebhookSettingsEntity.class);
        }

        @Override
        public String getChangelogLocation() {
            return "META-INF/jit-changelog-master.xml";
        }

        @Override
        public String getFactoryId() {
            return PROVIDER_ID;
        }

        @Override
        public void close() {
        }
    };

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
