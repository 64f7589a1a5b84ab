package dev.jitcolumns.keycloak.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Realm as code for the catalog: a realm whose attribute {@value #ATTRIBUTE} holds a catalog
 * ({@code {datasources, policies, columns}}, the shapes of the admin API) gets the missing entries created at
 * start. The catalog's sha256 is then stored in {@value #SEEDED}: a restart, or a later edit through the API,
 * is left alone; a changed attribute seeds again (adds what is missing, never deletes or overwrites).
 */
public final class CatalogSeeder {

    public static final String ATTRIBUTE = "jit-columns.catalog";
    public static final String SEEDED = "jit-columns.catalog-seeded";
    private static final Logger LOG = Logger.getLogger(CatalogSeeder.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    record Catalog(List<Datasource> datasources, List<Policy> policies, List<SensitiveColumn> columns) {}

    private CatalogSeeder() {
    }

    public static void seed(KeycloakSession session, RealmModel realm) {
        String json = realm.getAttribute(ATTRIBUTE);
        if (json == null || json.isBlank()) {
            return;
        }
        String hash = sha256(json);
        if (hash.equals(realm.getAttribute(SEEDED))) {
            return;
        }
        Catalog catalog;
        try {
            catalog = JSON.readValue(json, Catalog.class);
        } catch (JsonProcessingException e) {
            LOG.errorf("jit-columns: the %s attribute of realm %s is not a catalog: %s", ATTRIBUTE, realm.getName(), e.getOriginalMessage());
            return;
        }
        JitColumnsStore store = session.getProvider(JitColumnsStore.class);
        int added = 0;
        for (Datasource d : nullSafe(catalog.datasources())) {
            if (store.datasource(realm, d.id()).isEmpty()) {
                store.saveDatasource(realm, d);
                added++;
            }
        }
        for (Policy p : nullSafe(catalog.policies())) {
            if (store.policy(realm, p.id()).isEmpty()) {
                store.savePolicy(realm, new Policy(p.id(), p.name(), p.stages() == null ? List.of() : p.stages().stream()
                        .map(s -> new Stage(s.name(), s.approverGroup(), s.approverRole(), Math.max(1, s.minApprovals()))).toList(),
                        p.maxDurationMinutes(), p.defaultDurationMinutes() <= 0 ? Math.min(60, p.maxDurationMinutes()) : p.defaultDurationMinutes(),
                        p.pendingTimeoutMinutes(), p.escalateAfterMinutes(), p.escalationGroup(), p.reasonMinLength(),
                        p.ticketPattern(), p.breakGlassMaxMinutes()));
                added++;
            }
        }
        for (SensitiveColumn c : nullSafe(catalog.columns())) {
            Set<String> existing = new HashSet<>();
            store.columnsOf(realm, c.datasource()).forEach(x -> existing.add(x.fqn()));
            if (!existing.contains(c.fqn())) {
                store.saveColumn(realm, new SensitiveColumn(null, c.datasource(), c.schema(), c.table(), c.column(),
                        c.label(), c.description(), c.policy()));
                added++;
            }
        }
        store.appendAudit(realm, new AuditEntry(0, java.time.Instant.now(), null, "system", "CATALOG_SEEDED", null, null,
                "{\"added\":" + added + ",\"sha256\":\"" + hash + "\"}", null, null));
        realm.setAttribute(SEEDED, hash);
        LOG.infof("jit-columns: seeded %d catalog entries into realm %s", added, realm.getName());
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
