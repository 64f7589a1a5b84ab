package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.model.Datasource;
import dev.jitcolumns.keycloak.model.Policy;
import dev.jitcolumns.keycloak.model.SensitiveColumn;
import dev.jitcolumns.keycloak.model.WebhookSettings;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.keycloak.models.RealmModel;

/**
 * Each realm's catalog in memory, with its webhook settings (every change reads them, to know whether to queue a
 * delivery): read on every request, changed rarely. Its version is a realm attribute, which a change sets in the
 * same transaction: Keycloak's realm cache then invalidates it on every node of the cluster at commit, and the next
 * read here sees a new version and reloads. A realm saved from a page loaded before
 * the change (the admin console sends the attributes it loaded) writes the old version back, which a node that never
 * read the new one would take for its own: so the version also goes into the realm's row of JIT_AUDIT_HEAD, which no
 * realm save touches, and each node compares that too, every {@value #RECHECK_MILLIS} ms.
 */
final class CatalogCache {

    static final String VERSION_ATTRIBUTE = "jit-columns.catalog-version";

    /** {@code webhook} is null when the realm has none. */
    record Catalog(List<Datasource> datasources, List<Policy> policies, List<SensitiveColumn> columns, WebhookSettings webhook) {

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

        Optional<WebhookSettings> webhookSettings() {
            return Optional.ofNullable(webhook);
        }
    }

    static final long RECHECK_MILLIS = 5_000;

    private record Versioned(String version, String stored, Catalog catalog, long checkedAt) {}

    private final Map<String, Versioned> byRealm = new ConcurrentHashMap<>();

    /**
     * The version is read before loading: a change committed meanwhile leaves a newer version behind, so a snapshot is
     * never kept under a version newer than what it shows.
     */
    Catalog get(RealmModel realm, Supplier<String> storedVersion, Supplier<Catalog> load) {
        String version = realm.getAttribute(VERSION_ATTRIBUTE);
        Versioned cached = byRealm.get(realm.getId());
        long now = System.currentTimeMillis();
        if (cached != null && Objects.equals(cached.version(), version)) {
            if (now - cached.checkedAt() < RECHECK_MILLIS) {
                return cached.catalog();
            }
            String stored = storedVersion.get();
            if (Objects.equals(cached.stored(), stored)) {
                byRealm.put(realm.getId(), new Versioned(version, stored, cached.catalog(), now));
                return cached.catalog();
            }
            return load(realm, version, stored, load, now);
        }
        return load(realm, version, storedVersion.get(), load, now);
    }

    private Catalog load(RealmModel realm, String version, String stored, Supplier<Catalog> load, long now) {
        Catalog loaded = load.get();
        byRealm.put(realm.getId(), new Versioned(version, stored, loaded, now));
        return loaded;
    }

    /**
     * Called with every change of the catalog or of the webhook settings, inside its transaction (the realm's
     * JIT_AUDIT_HEAD row exists).
     */
    static void changed(EntityManager em, RealmModel realm) {
        String version = UUID.randomUUID().toString();
        realm.setAttribute(VERSION_ATTRIBUTE, version);
        em.createNamedQuery("jitSetCatalogVersion").setParameter("version", version).setParameter("realmId", realm.getId())
                .executeUpdate();
    }

    /** The version in the realm's JIT_AUDIT_HEAD row (null before the first change since the column came). */
    static String stored(EntityManager em, RealmModel realm) {
        return em.createNamedQuery("jitCatalogVersion", String.class).setParameter("realmId", realm.getId())
                .getResultStream().findFirst().orElse(null);
    }

    void forget(String realmId) {
        byRealm.remove(realmId);
    }
}
