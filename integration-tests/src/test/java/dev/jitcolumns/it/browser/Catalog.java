package dev.jitcolumns.it.browser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.TestEnvironment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Puts the demo catalog in place the way a realm manager would: through the admin REST API. */
final class Catalog {

    static final String DATASOURCE = "analytics";
    static final String SSN = "public.customers.ssn";

    private Catalog() {
    }

    /**
     * The datasource {@code analytics}: through {@code POST /datasources} (DESIGN.md); while the
     * skeleton API only lists datasources, straight into its table.
     */
    static void datasource(TestEnvironment env) throws Exception {
        String admin = env.tokenOf("admin");
        for (JsonNode ds : Http.get(env.adminApi() + "/datasources", admin).json()) {
            if (DATASOURCE.equals(ds.path("id").asText())) {
                return;
            }
        }
        Http.Reply created = Http.post(env.adminApi() + "/datasources", admin,
                Map.of("id", DATASOURCE, "name", "Analytics", "description", "The analytics warehouse (demo)"));
        if (created.status() / 100 == 2 || created.status() == 409) {
            return;
        }
        if (created.status() != 404 && created.status() != 405) {
            throw new AssertionError("POST /datasources: " + created);
        }
        try (Connection c = env.postgres().connect("keycloak");
             PreparedStatement insert = c.prepareStatement(
                     "insert into jit_datasource (internal_id, realm_id, datasource_id, name, description) "
                             + "select ?, id, ?, ?, ? from realm where name = ? on conflict do nothing")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, DATASOURCE);
            insert.setString(3, "Analytics");
            insert.setString(4, "The analytics warehouse (demo)");
            insert.setString(5, TestEnvironment.REALM);
            insert.executeUpdate();
        }
    }

    /**
     * The story's policy (two stages: /data-owners then /security-officers; 120 min at most; a reason
     * of 10 characters; tickets like OPS-123) and the column {@code public.customers.ssn} (PII).
     * Needs the catalog API (DESIGN.md, admin REST).
     */
    static void storyColumn(TestEnvironment env) throws Exception {
        datasource(env);
        String admin = env.tokenOf("admin");
        String policyId = null;
        for (var p : Http.get(env.adminApi() + "/policies", admin).json()) {
            if ("Two-stage PII".equals(p.path("name").asText())) {
                policyId = p.path("id").asText();
            }
        }
        if (policyId == null) {
            Http.Reply policy = Http.post(env.adminApi() + "/policies", admin, Map.of(
                    "name", "Two-stage PII",
                    "stages", List.of(
                            Map.of("name", "Data owner", "approverGroup", "/data-owners", "minApprovals", 1),
                            Map.of("name", "Security", "approverGroup", "/security-officers", "minApprovals", 1)),
                    "maxDurationMinutes", 120,
                    "defaultDurationMinutes", 60,
                    "reasonMinLength", 10,
                    "ticketPattern", "^[A-Z]+-[0-9]+$",
                    "breakGlassMaxMinutes", 0));
            if (policy.status() != 201 && policy.status() != 200) {
                throw new AssertionError("POST /policies: " + policy);
            }
            policyId = policy.json().path("id").asText();
        }
        for (var c : Http.get(env.adminApi() + "/columns", admin).json()) {
            if ("ssn".equals(c.path("column").asText()) && DATASOURCE.equals(c.path("datasource").asText())) {
                return;
            }
        }
        Http.Reply column = Http.post(env.adminApi() + "/columns", admin, Map.of(
                "datasource", DATASOURCE, "schema", "public", "table", "customers", "column", "ssn",
                "label", "PII", "description", "US social security number", "policy", policyId));
        if (column.status() != 201 && column.status() != 200) {
            throw new AssertionError("POST /columns: " + column);
        }
    }
}
