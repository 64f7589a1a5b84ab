package dev.jitcolumns.keycloak.resource.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jitcolumns.keycloak.audit.AuditChainTest;
import dev.jitcolumns.keycloak.model.AuditEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The export's spool: every page, in order, into one file; a page that fails leaves no file. */
class AuditExportTest {

    private static final List<AuditEntry> CHAIN = AuditChainTest.chain(2_500);

    /** The chain in pages of {@link AuditPages#PAGE} after a sequence number, recording what was asked. */
    private static LongFunction<List<AuditEntry>> pages(List<Long> asked) {
        return after -> {
            asked.add(after);
            return CHAIN.stream().filter(e -> e.seq() > after).limit(AuditPages.PAGE).toList();
        };
    }

    @Test
    void every_page_is_spooled_in_chain_order_as_json() throws IOException {
        List<Long> asked = new ArrayList<>();
        Path file = AuditExport.spool(pages(asked), AuditExport.Format.JSON);
        try {
            JsonNode entries = new ObjectMapper().readTree(file.toFile());
            assertEquals(2_500, entries.size());
            for (int i = 0; i < CHAIN.size(); i++) {
                assertEquals(CHAIN.get(i).seq(), entries.get(i).get("seq").asLong());
                assertEquals(CHAIN.get(i).hash(), entries.get(i).get("hash").asText());
            }
            assertFalse(entries.get(0).has("grantId"), "no null fields, as Keycloak answers: " + entries.get(0));
            assertEquals(List.of(0L, 1_000L, 2_000L), asked, "keyset pages, each after the last one's sequence number");
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file),
                    "the trail waits on disk readable by Keycloak's user only");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void every_page_is_spooled_in_chain_order_as_csv() throws IOException {
        Path file = AuditExport.spool(pages(new ArrayList<>()), AuditExport.Format.CSV);
        try {
            List<String> lines = List.of(Files.readString(file, StandardCharsets.UTF_8).split("\r\n"));
            assertEquals(1 + 2_500, lines.size());
            assertEquals("seq,at,actorId,actorUsername,action,requestId,grantId,details,prevHash,hash", lines.get(0));
            for (int i = 0; i < CHAIN.size(); i++) {
                assertEquals(CHAIN.get(i).seq() + "," + CHAIN.get(i).at() + ",", lines.get(1 + i).substring(0, lines.get(1 + i).indexOf(',',
                        lines.get(1 + i).indexOf(',') + 1) + 1));
            }
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void a_page_that_fails_fails_the_export_and_leaves_no_file() throws IOException {
        Set<Path> before = spoolFiles();
        LongFunction<List<AuditEntry>> failing = after -> {
            if (after > 0) {
                throw new IllegalStateException("the database went away");
            }
            return CHAIN.subList(0, AuditPages.PAGE);
        };

        for (AuditExport.Format format : AuditExport.Format.values()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuditExport.spool(failing, format));
            assertEquals("the database went away", e.getMessage());
        }
        assertEquals(before, spoolFiles());
    }

    private static Set<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("jit-columns-audit-")).collect(Collectors.toSet());
        }
    }
}
