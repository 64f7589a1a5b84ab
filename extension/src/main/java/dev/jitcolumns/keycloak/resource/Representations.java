package dev.jitcolumns.keycloak.resource;

import dev.jitcolumns.keycloak.model.AccessRequest;
import dev.jitcolumns.keycloak.model.AuditEntry;
import dev.jitcolumns.keycloak.model.Datasource;
import dev.jitcolumns.keycloak.model.DecisionRecord;
import dev.jitcolumns.keycloak.model.Grant;
import dev.jitcolumns.keycloak.model.Policy;
import dev.jitcolumns.keycloak.model.SensitiveColumn;
import dev.jitcolumns.keycloak.model.Stage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the public contract (DESIGN.md "Representations"): camelCase, ISO-8601 UTC instants. */
public final class Representations {

    private Representations() {
    }

    public static Map<String, Object> request(AccessRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("status", r.status().name());
        m.put("datasource", r.datasource());
        m.put("columns", r.columns());
        m.put("reason", r.reason());
        m.put("ticket", r.ticket());
        m.put("durationMinutes", r.durationMinutes());
        m.put("breakGlass", r.breakGlass());
        m.put("requester", person(r.requesterId(), r.requesterUsername()));
        Stage current = r.pendingStage();
        m.put("currentStage", current == null ? null : current.name());
        m.put("stages", r.stages().stream().map(Representations::stage).toList());
        m.put("decisions", r.decisions().stream().map(Representations::decision).toList());
        m.put("createdAt", iso(r.createdAt()));
        m.put("decidedAt", iso(r.decidedAt()));
        if (r.extendsGrantId() != null) {
            m.put("extendsGrant", r.extendsGrantId());
        }
        if (r.grant() != null) {
            m.put("grant", grant(r.grant()));
        }
        return m;
    }

    public static Map<String, Object> grant(Grant g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("requestId", g.requestId());
        m.put("user", person(g.userId(), g.username()));
        m.put("datasource", g.datasource());
        m.put("columns", g.columns());
        m.put("startsAt", iso(g.startsAt()));
        m.put("expiresAt", iso(g.expiresAt()));
        m.put("active", g.isActive(Instant.now()));
        if (g.revokedAt() != null) {
            m.put("revokedAt", iso(g.revokedAt()));
            m.put("revokedBy", g.revokedBy());
            m.put("revokeReason", g.revokeReason());
        }
        m.put("breakGlass", g.breakGlass());
        m.put("reviewRequired", g.reviewRequired());
        return m;
    }

    /** An entry of the revocation feed. */
    public static Map<String, Object> revocation(Grant g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("grantId", g.id());
        m.put("datasource", g.datasource());
        m.put("revokedAt", iso(g.revokedAt()));
        m.put("expiresAt", iso(g.expiresAt()));
        return m;
    }

    public static Map<String, Object> stage(Stage s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put(s.byGroup() ? "approverGroup" : "approverRole", s.byGroup() ? s.approverGroup() : s.approverRole());
        if (s.approverRemoved()) {
            m.put("approverRemoved", true);
        }
        m.put("minApprovals", s.minApprovals());
        return m;
    }

    public static Map<String, Object> decision(DecisionRecord d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", d.stage());
        m.put("approver", person(d.approverId(), d.approverUsername()));
        m.put("decision", d.decision().name());
        m.put("comment", d.comment());
        m.put("at", iso(d.at()));
        return m;
    }

    public static Map<String, Object> datasource(Datasource d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("description", d.description());
        return m;
    }

    public static Map<String, Object> column(SensitiveColumn c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("datasource", c.datasource());
        m.put("schema", c.schema());
        m.put("table", c.table());
        m.put("column", c.column());
        m.put("fqn", c.fqn());
        m.put("label", c.label());
        m.put("description", c.description());
        m.put("policy", c.policy());
        return m;
    }

    public static Map<String, Object> policy(Policy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("stages", p.stages().stream().map(Representations::stage).toList());
        m.put("maxDurationMinutes", p.maxDurationMinutes());
        m.put("defaultDurationMinutes", p.defaultDurationMinutes());
        m.put("pendingTimeoutMinutes", p.pendingTimeoutMinutes());
        m.put("escalateAfterMinutes", p.escalateAfterMinutes());
        m.put("escalationGroup", p.escalationGroup());
        if (p.escalation() != null && p.escalation().approverRemoved()) {
            m.put("escalationGroupRemoved", true);
        }
        m.put("reasonMinLength", p.reasonMinLength());
        m.put("ticketPattern", p.ticketPattern());
        m.put("breakGlassMaxMinutes", p.breakGlassMaxMinutes());
        return m;
    }

    public static Map<String, Object> audit(AuditEntry a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", a.hash() == null ? null : a.seq());
        m.put("at", iso(a.at()));
        m.put("actor", person(a.actorId(), a.actorUsername()));
        m.put("action", a.action());
        m.put("requestId", a.requestId());
        m.put("grantId", a.grantId());
        m.put("details", a.details());
        m.put("prevHash", a.prevHash());
        m.put("hash", a.hash());
        if (a.hash() == null) {
            m.put("pending", true);
        }
        return m;
    }

    public static Map<String, Object> person(String id, String username) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("username", username);
        return m;
    }

    public static String iso(Instant i) {
        return i == null ? null : i.toString();
    }

    public static List<Map<String, Object>> requests(List<AccessRequest> rs) {
        return rs.stream().map(Representations::request).toList();
    }
}
