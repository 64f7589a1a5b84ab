package dev.jitcolumns.keycloak.resource.admin;

import dev.jitcolumns.keycloak.model.AuditEntry;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/** A realm's sealed chain read in keyset pages, so that a chain of any length is never held in memory whole. */
final class AuditPages {

    static final int PAGE = 1_000;

    private AuditPages() {
    }

    /**
     * Hands each entry, in chain order, to {@code each} until it answers false or the pages end.
     * {@code pageAfter} reads at most {@value #PAGE} entries after the sequence number it is given.
     */
    static void read(LongFunction<List<AuditEntry>> pageAfter, Predicate<AuditEntry> each) {
        long after = 0;
        while (true) {
            List<AuditEntry> page = pageAfter.apply(after);
            for (AuditEntry e : page) {
                if (!each.test(e)) {
                    return;
                }
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).seq();
        }
    }
}
