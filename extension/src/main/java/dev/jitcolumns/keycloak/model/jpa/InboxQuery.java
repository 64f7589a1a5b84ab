package dev.jitcolumns.keycloak.model.jpa;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * The inbox page: pending requests whose current approver key is one of the user's, not requested or already decided
 * by the user, oldest first. A request nobody decided on yet needs no look at its decisions: measured, those probes
 * were three quarters of the page's buffer reads.
 *
 * <p>On PostgreSQL each key reads its own oldest rows from the index on (realm, status, approver, created), and stops
 * at the page's end; the page merges them. A key's backlog, and the index entries that approvals left behind it until
 * the next vacuum, cost nothing. Elsewhere the keys are one {@code in} list (padded to a power of two, so that a few
 * texts serve every user), which reads every pending request of those keys and sorts them.
 *
 * @param keys distinct approver keys, at least one
 */
record InboxQuery(String requests, String decisions, String realmId, List<String> keys, long now, String userId,
                  int first, int max) implements Jdbc.DatabaseQuery {

    /** Timed out (even before the scheduler marks it), requested by the user or decided by them: not in the inbox. */
    private static final String DECIDABLE = " and (r.TIMEOUT_AT is null or r.TIMEOUT_AT > ?) and r.REQUESTER_ID <> ?"
            + " and (r.DECISION_COUNT = 0 or not exists (select 1 from %s d where d.REQUEST_ID = r.ID and d.APPROVER_ID = ?))";

    @Override
    public String sql(String database) {
        String decidable = String.format(DECIDABLE, decisions);
        if (database.equals("PostgreSQL")) {
            return "select p.* from unnest(cast(? as varchar[])) k(APPROVER_KEY) cross join lateral (select "
                    + RequestRows.COLUMNS + " from " + requests + " r where r.REALM_ID = ? and r.STATUS = 'PENDING'"
                    + " and r.CURRENT_APPROVER = k.APPROVER_KEY" + decidable + " order by r.CREATED_AT, r.ID limit "
                    + ((long) first + max) + ") p order by p.CREATED_AT, p.ID offset " + first + " limit " + max;
        }
        // The page's bounds are literal integers, in the database's own syntax: MySQL has no fetch next, SQL Server
        // and Oracle no limit.
        String page = switch (database) {
            case "MySQL", "MariaDB" -> " limit " + max + " offset " + first;
            default -> " offset " + first + " rows fetch next " + max + " rows only";
        };
        return "select " + RequestRows.COLUMNS + " from " + requests + " r where r.REALM_ID = ? and r.STATUS = 'PENDING'"
                + " and r.CURRENT_APPROVER in (" + String.join(", ", Collections.nCopies(InQuery.paddedSize(keys.size()), "?"))
                + ")" + decidable + " order by r.CREATED_AT, r.ID" + page;
    }

    @Override
    public void bind(PreparedStatement ps, String database) throws SQLException {
        int i = 1;
        if (database.equals("PostgreSQL")) {
            ps.setArray(i++, ps.getConnection().createArrayOf("varchar", keys.toArray()));
            ps.setString(i++, realmId);
        } else {
            ps.setString(i++, realmId);
            for (int slot = 0; slot < InQuery.paddedSize(keys.size()); slot++) {
                ps.setString(i++, keys.get(Math.min(slot, keys.size() - 1)));
            }
        }
        ps.setLong(i++, now);
        ps.setString(i++, userId);
        ps.setString(i, userId);
    }
}
