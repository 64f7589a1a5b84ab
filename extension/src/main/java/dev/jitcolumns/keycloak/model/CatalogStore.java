package dev.jitcolumns.keycloak.model;

import java.util.List;
import org.keycloak.models.RealmModel;

/** The catalog of a realm: what can be requested. REST resources and tasks go through this, never JPA. */
public interface CatalogStore {

    List<Datasource> datasources(RealmModel realm);
}
