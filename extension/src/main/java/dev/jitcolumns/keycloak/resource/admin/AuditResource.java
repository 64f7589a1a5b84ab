package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.audit.AuditChain;
import dev.jitcolumns.keycloak.audit.AuditCsv;
import dev.jitcolumns.keycloak.model.AuditEntry;
import dev.jitcolumns.keycloak.model.DomainException;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.resource.ApiError;
import dev.jitcolumns.keycloak.resource.QueryParams;
import dev.jitcolumns.keycloak.resource.Representations;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/** {@code /audit}: the hash-chained audit trail, its export and its verification. */
public final class AuditResource extends AdminResource {

    AuditResource(AdminResource parent) {
        super(parent);
    }

    /**
     * Without {@code max} the whole range (an export, spooled: {@link AuditExport}); with it, one page of the console's
     * table. {@code afterSeq} keeps the sealed entries after that sequence number: the cursor of an exporter that
     * comes back for what follows what it took, which a time window cannot be (an entry is sealed after its
     * {@code at}, by a node whose clock may differ).
     */
    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response audit(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("format") String format,
                          @QueryParam("first") String first, @QueryParam("max") String max,
                          @QueryParam("afterSeq") String afterSeq) throws IOException {
        try {
            authz.requireManager();
            Instant f = instant("from", from);
            Instant t = instant("to", to);
            AuditExport.Format fmt = format(format);
            Long after = QueryParams.sequence("afterSeq", afterSeq);
            if (after != null && QueryParams.first(first) > 0) {
                throw ApiError.badRequest("first", "first does not go with afterSeq, which is the cursor.");
            }
            if (after != null && (f != null || t != null)) {
                // an entry stamped outside the window, below the cursor, would be passed over for good
                throw ApiError.badRequest(f != null ? "from" : "to", "from and to do not go with afterSeq, which is the cursor.");
            }
            if (QueryParams.integer("max", max) == null) {
                StreamingOutput export = AuditExport.of(session.getKeycloakSessionFactory(), realm.getId(), f, t,
                        after == null ? 0 : after, fmt);
                return fmt == AuditExport.Format.CSV ? csv(export) : Response.ok(export, MediaType.APPLICATION_JSON_TYPE).build();
            }
            List<AuditEntry> page = sealedView((store, r) -> after != null
                    ? store.sealedAuditAfter(r, f, t, after, Long.MAX_VALUE, maxOf(max))
                    : store.audit(r, f, t, QueryParams.first(first), maxOf(max)));
            return fmt == AuditExport.Format.CSV
                    ? csv(AuditCsv.HEADER + page.stream().map(AuditCsv::line).collect(Collectors.joining()))
                    : Response.ok(page.stream().map(Representations::audit).toList(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (DomainException e) {
            throw ApiError.from(e);
        }
    }

    private static Response csv(Object body) {
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"jit-columns-audit.csv\"").build();
    }

    private static AuditExport.Format format(String format) {
        return switch (format == null || format.isBlank() ? "json" : format.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> AuditExport.Format.JSON;
            case "csv" -> AuditExport.Format.CSV;
            default -> throw ApiError.badRequest("format", "format must be json or csv.");
        };
    }

    @GET
    @Path("verify")
    @Produces(MediaType.APPLICATION_JSON)
    public Response verify() {
        return respond(() -> {
            authz.requireManager();
            return sealedView((store, r) -> {
                AuditEntry head = store.auditHead(r);
                long headSeq = head == null ? 0 : head.seq();
                AuditChain.Verifier verifier = new AuditChain.Verifier();
                // Every sealed entry, not only those up to the head: a head moved back (or deleted) would hide a cut tail.
                AuditPages.read(after -> store.sealedAuditAfter(r, null, null, after, Long.MAX_VALUE, AuditPages.PAGE),
                        verifier::accept);
                return verification(verifier.result(headSeq, head == null ? null : head.hash()), store.pendingAuditCount(r));
            });
        });
    }

    private static Map<String, Object> verification(AuditChain.Verification v, long pending) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", v.ok());
        m.put("entries", v.entries());
        m.put("pending", pending);
        m.put("brokenAt", v.brokenAtSeq());
        m.put("problem", v.problem());
        m.put("headHash", v.headHash());
        return m;
    }

    /**
     * Seals what is committed, then reads, holding the chain head until the reads end: a consistent view. In a
     * transaction of its own whose first read is the head's lock: on MySQL and MariaDB (REPEATABLE READ) the later
     * plain reads then answer from a snapshot taken under the lock, not from one that an earlier read of this request
     * took before another seal committed.
     */
    private <T> T sealedView(BiFunction<JitColumnsStore, RealmModel, T> read) {
        String realmId = realm.getId();
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), s -> {
            JitColumnsStore store = s.getProvider(JitColumnsStore.class);
            RealmModel r = s.realms().getRealm(realmId);
            store.sealAudit(r);
            return read.apply(store, r);
        });
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant at = Instant.parse(value.strip());
            at.toEpochMilli(); // what the query compares: years beyond about ±292 million do not fit
            return at;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiError.badRequest(field, field + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z.");
        }
    }
}
