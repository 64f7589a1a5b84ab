package dev.jitcolumns.keycloak.audit;

import dev.jitcolumns.keycloak.model.AuditEntry;

/** RFC 4180 CSV of audit entries: a header line, then one line per entry. */
public final class AuditCsv {

    public static final String HEADER = "seq,at,actorId,actorUsername,action,requestId,grantId,details,prevHash,hash\r\n";

    private AuditCsv() {
    }

    /** The entry's line, CRLF included. */
    public static String line(AuditEntry e) {
        return new StringBuilder(256).append(e.hash() == null ? "" : Long.toString(e.seq())).append(',').append(e.at()).append(',')
                .append(cell(e.actorId())).append(',').append(cell(e.actorUsername())).append(',').append(cell(e.action())).append(',')
                .append(cell(e.requestId())).append(',').append(cell(e.grantId())).append(',').append(cell(e.details())).append(',')
                .append(e.prevHash() == null ? "" : e.prevHash()).append(',').append(e.hash() == null ? "" : e.hash()).append("\r\n")
                .toString();
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        // No formula injection in spreadsheets (OWASP's list: tab and carriage return start one too).
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
