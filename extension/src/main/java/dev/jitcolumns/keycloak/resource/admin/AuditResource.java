package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.audit.AuditChain;
import dev.jitcolumns.keycloak.audit.AuditCsv;
import dev.jitcolumns.keycloak.model.AuditEntry;
import dev.jitcolumns.keycloak.model.DomainException;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.resource.Representations;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /audit}: the hash-chained audit trail, its export and its verification. */
public final class AuditResource extends AdminResource {

    /** Entries per read while verifying: the chain is never held in memory whole. */
    private static final int VERIFY_PAGE = 1_000;

    AuditResource(AdminResource parent) {
        super(parent);
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response audit(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("format") String format,
                          @QueryParam("first") Integer first, @QueryParam("max") Integer max) {
        try {
            authz.requireManager();
            Instant f = instant("from", from);
            Instant t = instant("to", to);
            String fmt = format == null || format.isBlank() ? "json" : format.strip().toLowerCase(Locale.ROOT);
            store().sealAudit(realm);
            // Without max, the whole range: an export.
            List<AuditEntry> entries = max == null ? store().audit(realm, f, t)
                    : store().audit(realm, f, t, firstOf(first), maxOf(max));
            return switch (fmt) {
                case "json" -> Response.ok(entries.stream().map(Representations::audit).toList(), MediaType.APPLICATION_JSON_TYPE).build();
                case "csv" -> Response.ok(AuditCsv.write(entries), "text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"jit-columns-audit.csv\"").build();
                default -> throw ApiError.badRequest("format", "format must be json or csv.");
            };
        } catch (DomainException e) {
            throw ApiError.from(e);
        }
    }

    @GET
    @Path("verify")
    @Produces(MediaType.APPLICATION_JSON)
    public Response verify() {
        return respond(() -> {
            authz.requireManager();
            // Seals what is committed, and holds the chain head until this request ends: a consistent view.
            store().sealAudit(realm);
            AuditEntry head = store().auditHead(realm);
            AuditChain.Verifier verifier = new AuditChain.Verifier();
            readChain(verifier);
            AuditChain.Verification v = verifier.result(head == null ? 0 : head.seq(), head == null ? null : head.hash());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", v.ok());
            m.put("entries", v.entries());
            m.put("pending", store().pendingAuditCount(realm));
            m.put("brokenAt", v.brokenAtSeq());
            m.put("problem", v.problem());
            m.put("headHash", v.headHash());
            return m;
        });
    }

    /** Feeds the sealed chain to the verifier a page at a time, until it ends or breaks. */
    private void readChain(AuditChain.Verifier verifier) {
        long after = 0;
        while (true) {
            List<AuditEntry> page = store().sealedAuditAfter(realm, after, VERIFY_PAGE);
            for (AuditEntry e : page) {
                if (!verifier.accept(e)) {
                    return;
                }
            }
            if (page.size() < VERIFY_PAGE) {
                return;
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(field, field + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z.");
        }
    }
}
