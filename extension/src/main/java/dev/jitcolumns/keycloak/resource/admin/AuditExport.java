package dev.jitcolumns.keycloak.resource.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jitcolumns.keycloak.audit.AuditCsv;
import dev.jitcolumns.keycloak.model.AuditEntry;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.resource.Representations;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.LongFunction;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * An audit export: the realm's sealed chain up to the head once everything committed was sealed,
 * {@code from <= at < to}, in chain order. It is read a page at a time, each page in a transaction of its own, and
 * spooled to a temporary file that the response then sends and deletes. Memory stays flat and no transaction
 * outlives a page, however long the range; and since nothing is sent before the whole range was read, a failure
 * is a plain error answer, never a cut-off export that a client could take for a whole one. JSON is written as
 * Keycloak writes its answers, so an export and the pages of {@code GET /audit?max=} show an entry alike.
 */
final class AuditExport {

    enum Format { JSON, CSV }

    /** Keycloak's own answers leave null fields out: so does the export. */
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private AuditExport() {
    }

    /** The export of the realm's trail as it stands now, after {@code startAfterSeq}, spooled and ready to send. */
    static StreamingOutput of(KeycloakSessionFactory factory, String realmId, Instant from, Instant to, long startAfterSeq,
                              Format format) throws IOException {
        long upToSeq = sealAll(factory, realmId);
        Path file = spool(pageAfter -> KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
            RealmModel realm = s.realms().getRealm(realmId);
            if (realm == null) {
                throw new IllegalStateException("jit-columns: realm " + realmId + " was removed during an audit export");
            }
            return s.getProvider(JitColumnsStore.class).sealedAuditAfter(realm, from, to, Math.max(pageAfter, startAfterSeq),
                    upToSeq, AuditPages.PAGE);
        }), format);
        return out -> {
            try {
                Files.copy(file, out);
            } finally {
                Files.deleteIfExists(file);
            }
        };
    }

    /**
     * Every page of {@code pageAfter} written to a new temporary file (readable by its owner only, as
     * {@link Files#createTempFile} makes it on POSIX); no file is left when a page fails.
     */
    static Path spool(LongFunction<List<AuditEntry>> pageAfter, Format format) throws IOException {
        Path file = Files.createTempFile("jit-columns-audit-", format == Format.CSV ? ".csv" : ".json");
        try (OutputStream out = Files.newOutputStream(file)) {
            if (format == Format.CSV) {
                writeCsv(pageAfter, out);
            } else {
                writeJson(pageAfter, out);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Seals what is committed, in a transaction of its own that ends here (the pages, read in transactions of their
     * own, must see the seal); returns the head's sequence number.
     */
    private static long sealAll(KeycloakSessionFactory factory, String realmId) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
            JitColumnsStore store = s.getProvider(JitColumnsStore.class);
            RealmModel realm = s.realms().getRealm(realmId);
            store.sealAudit(realm);
            AuditEntry head = store.auditHead(realm);
            return head == null ? 0L : head.seq();
        });
    }

    private static void writeJson(LongFunction<List<AuditEntry>> pageAfter, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartArray();
            forEachEntry(pageAfter, e -> json.writeObject(Representations.audit(e)));
            json.writeEndArray();
        }
    }

    private static void writeCsv(LongFunction<List<AuditEntry>> pageAfter, OutputStream out) throws IOException {
        try (Writer csv = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            csv.write(AuditCsv.HEADER);
            forEachEntry(pageAfter, e -> csv.write(AuditCsv.line(e)));
        }
    }

    private interface EntryWriter {
        void write(AuditEntry e) throws IOException;
    }

    private static void forEachEntry(LongFunction<List<AuditEntry>> pageAfter, EntryWriter writer) throws IOException {
        try {
            AuditPages.read(pageAfter, e -> {
                try {
                    writer.write(e);
                    return true;
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
