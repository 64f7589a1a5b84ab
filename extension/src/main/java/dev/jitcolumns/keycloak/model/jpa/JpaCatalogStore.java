package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.model.CatalogStore;
import dev.jitcolumns.keycloak.model.Datasource;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

public final class JpaCatalogStore implements CatalogStore {

    private final EntityManager em;

    public JpaCatalogStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    @Override
    public List<Datasource> datasources(RealmModel realm) {
        return em.createNamedQuery("jitDatasourcesByRealm", DatasourceEntity.class)
                .setParameter("realmId", realm.getId())
                .getResultStream()
                .map(d -> new Datasource(d.getDatasourceId(), d.getName(), d.getDescription()))
                .toList();
    }
}
