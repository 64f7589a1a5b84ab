package dev.jitcolumns.keycloak.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jitcolumns.keycloak.model.AuditEntry;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditCsvTest {

    /** The actor's name column of a sealed entry whose actor is {@code username}. */
    private static String actorCell(String username) {
        String line = AuditCsv.line(new AuditEntry(7, Instant.EPOCH, "id-1", username, "REQUEST_CREATED", "r-1", null, "{}",
                "00", "11"));
        int start = line.indexOf(",\"id-1\",") + ",\"id-1\",".length();
        return line.substring(start, line.indexOf(",\"REQUEST_CREATED\""));
    }

    /** A user name from a directory that a spreadsheet would run as a formula. */
    @ParameterizedTest
    @ValueSource(strings = {"=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"})
    void a_cell_a_spreadsheet_would_read_as_a_formula_starts_with_a_quote(String username) {
        assertEquals("\"'" + username.replace("\"", "\"\"") + "\"", actorCell(username));
    }

    @ParameterizedTest
    @ValueSource(strings = {"analyst", "o'brien", "a=b"})
    void any_other_cell_is_quoted_as_it_is(String username) {
        assertEquals("\"" + username + "\"", actorCell(username));
    }
}
