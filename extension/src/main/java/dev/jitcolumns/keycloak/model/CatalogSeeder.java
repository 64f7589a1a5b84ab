package dev.jitcolumns.keycloak.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.KeycloakModelUtils;

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
    private static final ObjectMapper JSON = new ObjectMapper();

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
        JsonNode catalog;
        try {
            catalog = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            LOG.errorf("jit-columns: the %s attribute of realm %s is not JSON: %s", ATTRIBUTE, realm.getName(), e.getOriginalMessage());
            return;
        }
        JitColumnsStore store = session.getProvider(JitColumnsStore.class);
        int added = 0;
        for (JsonNode d : catalog.path("datasources")) {
            String id = text(d, "id");
            if (id != null && text(d, "name") != null && store.datasource(realm, id).isEmpty()) {
                store.saveDatasource(realm, new Datasource(id, text(d, "name"), text(d, "description")));
                added++;
            }
        }
        for (JsonNode p : catalog.path("policies")) {
            String id = text(p, "id");
            if (id == null || text(p, "name") == null || store.policy(realm, id).isPresent()) {
                continue;
            }
            List<Stage> stages = new java.util.ArrayList<>();
            for (JsonNode s : p.path("stages")) {
                stages.add(stage(session, realm, s));
            }
            Stage escalation = text(p, "escalationGroup") == null ? null
                    : groupStage(session, realm, "escalation", text(p, "escalationGroup"), 1);
            int max = Math.max(1, p.path("maxDurationMinutes").asInt(60));
            store.savePolicy(realm, new Policy(id, text(p, "name"), stages, max,
                    Math.min(max, Math.max(1, p.path("defaultDurationMinutes").asInt(Math.min(60, max)))),
                    p.path("pendingTimeoutMinutes").asInt(0), p.path("escalateAfterMinutes").asInt(0),
                    escalation == null ? null : escalation.approverGroup(), escalation == null ? null : escalation.approverId(),
                    p.path("reasonMinLength").asInt(0), text(p, "ticketPattern"),
                    Math.min(max, p.path("breakGlassMaxMinutes").asInt(0))));
            added++;
        }
        for (JsonNode c : catalog.path("columns")) {
            SensitiveColumn column = new SensitiveColumn(null, text(c, "datasource"), text(c, "schema"), text(c, "table"),
                    text(c, "column"), text(c, "label"), text(c, "description"), text(c, "policy"));
            if (column.datasource() == null || column.schema() == null || column.table() == null
                    || column.column() == null || column.label() == null || column.policy() == null
                    || store.datasource(realm, column.datasource()).isEmpty() || store.policy(realm, column.policy()).isEmpty()) {
                LOG.warnf("jit-columns: skipped an incomplete catalog column in realm %s", realm.getName());
                continue;
            }
            Set<String> existing = new HashSet<>();
            store.columnsOf(realm, column.datasource()).forEach(x -> existing.add(x.fqn()));
            if (!existing.contains(column.fqn())) {
                store.saveColumn(realm, column);
                added++;
            }
        }
        store.appendAudit(realm, List.of(new AuditEntry(0, java.time.Instant.now(), null, "system", "CATALOG_SEEDED", null, null,
                "{\"added\":" + added + ",\"sha256\":\"" + hash + "\"}", null, null)));
        realm.setAttribute(SEEDED, hash);
        LOG.infof("jit-columns: seeded %d catalog entries into realm %s", added, realm.getName());
    }

    private static Stage stage(KeycloakSession session, RealmModel realm, JsonNode s) {
        int min = Math.max(1, s.path("minApprovals").asInt(1));
        String group = text(s, "approverGroup");
        if (group != null) {
            return groupStage(session, realm, text(s, "name"), group, min);
        }
        RoleModel role = realm.getRole(text(s, "approverRole"));
        if (role == null || Approvers.everyoneHolds(realm, role)) {
            LOG.warnf("jit-columns: the catalog seed of realm %s names a role it lacks, or one every user holds: %s", realm.getName(), text(s, "approverRole"));
            return new Stage(text(s, "name"), null, text(s, "approverRole"), "", min);
        }
        return Stage.ofRole(text(s, "name"), role, min);
    }

    /** A group (or role) the realm lacks decides nothing (an empty id), as a removed one; the seed is not refused for it. */
    private static Stage groupStage(KeycloakSession session, RealmModel realm, String name, String path, int min) {
        GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
        if (group == null) {
            LOG.warnf("jit-columns: the catalog seed of realm %s names a group it lacks: %s", realm.getName(), path);
            return new Stage(name, path, null, "", min);
        }
        return Stage.ofGroup(name, group, min);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
