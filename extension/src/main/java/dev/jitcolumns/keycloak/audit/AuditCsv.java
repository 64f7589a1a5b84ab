package dev.jitcolumns.keycloak.audit;

import dev.jitcolumns.keycloak.model.AuditEntry;
import java.util.List;

/** RFC 4180 CSV of audit entries, one line per entry, with a header. */
public final class AuditCsv {

    private AuditCsv() {
    }

    public static String write(List<AuditEntry> entries) {
        StringBuilder sb = new StringBuilder("seq,at,actorId,actorUsername,action,requestId,grantId,details,prevHash,hash\r\n");
        for (AuditEntry e : entries) {
            sb.append(e.hash() == null ? "" : Long.toString(e.seq())).append(',').append(e.at()).append(',').append(cell(e.actorId())).append(',')
                    .append(cell(e.actorUsername())).append(',').append(cell(e.action())).append(',')
                    .append(cell(e.requestId())).append(',').append(cell(e.grantId())).append(',')
                    .append(cell(e.details())).append(',').append(e.prevHash() == null ? "" : e.prevHash()).append(',')
                    .append(e.hash() == null ? "" : e.hash()).append("\r\n");
        }
        return sb.toString();
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        // No formula injection in spreadsheets.
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
