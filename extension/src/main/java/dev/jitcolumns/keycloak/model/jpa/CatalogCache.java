package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.model.Datasource;
import dev.jitcolumns.keycloak.model.Policy;
import dev.jitcolumns.keycloak.model.SensitiveColumn;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.keycloak.models.RealmModel;

/**
 * Each realm's catalog in memory, read on every request, changed rarely. Its version is a realm attribute, which a
 * catalog change sets in the same transaction: Keycloak's realm cache then invalidates it on every node of the
 * cluster at commit, and the next read here sees a new version and reloads.
 */
final class CatalogCache {

    static final String VERSION_ATTRIBUTE = "jit-columns.catalog-version";

    record Catalog(List<Datasource> datasources, List<Policy> policies, List<SensitiveColumn> columns) {

        Optional<Datasource> datasource(String id) {
            return datasources.stream().filter(d -> d.id().equals(id)).findFirst();
        }

        Optional<Policy> policy(String id) {
            return policies.stream().filter(p -> p.id().equals(id)).findFirst();
        }

        Optional<SensitiveColumn> column(String id) {
            return columns.stream().filter(c -> c.id().equals(id)).findFirst();
        }

        List<SensitiveColumn> columnsOf(String datasource) {
            return columns.stream().filter(c -> c.datasource().equals(datasource)).toList();
        }
    }

    private record Versioned(String version, Catalog catalog) {}

    private final Map<String, Versioned> byRealm = new ConcurrentHashMap<>();

    /**
     * The version is read before loading: a change committed meanwhile leaves a newer version behind, so a snapshot is
     * never kept under a version newer than what it shows.
     */
    Catalog get(RealmModel realm, Supplier<Catalog> load) {
        String version = realm.getAttribute(VERSION_ATTRIBUTE);
        Versioned cached = byRealm.get(realm.getId());
        if (cached != null && Objects.equals(cached.version(), version)) {
            return cached.catalog();
        }
        Catalog loaded = load.get();
        byRealm.put(realm.getId(), new Versioned(version, loaded));
        return loaded;
    }

    /** Called with every catalog change, inside its transaction. */
    static void changed(RealmModel realm) {
        realm.setAttribute(VERSION_ATTRIBUTE, UUID.randomUUID().toString());
    }

    void forget(String realmId) {
        byRealm.remove(realmId);
    }
}
