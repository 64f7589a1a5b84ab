package dev.jitcolumns.keycloak.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitcolumns.keycloak.model.AuditEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

public class AuditChainTest {

    public static List<AuditEntry> chain(int n) {
        List<AuditEntry> out = new ArrayList<>();
        long seq = 0;
        String hash = AuditChain.GENESIS;
        for (int i = 0; i < n; i++) {
            AuditEntry e = AuditChain.link(new AuditEntry(0, Instant.ofEpochMilli(1000L * i), "u", "user", "ACTION_" + i,
                    "r" + i, null, "{\"i\":" + i + "}", null, null), seq, hash);
            out.add(e);
            seq = e.seq();
            hash = e.hash();
        }
        return out;
    }

    @Test
    void an_intact_chain_verifies() {
        List<AuditEntry> c = chain(5);
        assertTrue(AuditChain.verify(c, 5, c.get(4).hash()).ok());
        assertEquals(c.get(0).hash(), c.get(1).prevHash());
    }

    @Test
    void an_edit_is_detected_at_its_entry() {
        List<AuditEntry> c = chain(5);
        AuditEntry e = c.get(2);
        c.set(2, new AuditEntry(e.seq(), e.at(), e.actorId(), e.actorUsername(), e.action(), e.requestId(), e.grantId(),
                "{\"i\":99}", e.prevHash(), e.hash()));
        AuditChain.Verification v = AuditChain.verify(c, 5, c.get(4).hash());
        assertFalse(v.ok());
        assertEquals(3L, v.brokenAtSeq());
    }

    @Test
    void the_verifier_stops_at_the_first_break_whatever_follows() {
        List<AuditEntry> c = chain(5);
        AuditEntry e = c.get(1);
        c.set(1, new AuditEntry(e.seq(), e.at(), e.actorId(), "someone else", e.action(), e.requestId(), e.grantId(),
                e.details(), e.prevHash(), e.hash()));
        AuditChain.Verifier verifier = new AuditChain.Verifier();

        assertTrue(verifier.accept(c.get(0)));
        assertFalse(verifier.accept(c.get(1)));
        assertFalse(verifier.accept(c.get(2)), "nothing after a break is accepted");
        AuditChain.Verification v = verifier.result(5, c.get(4).hash());
        assertFalse(v.ok());
        assertEquals(2L, v.brokenAtSeq());
        assertEquals(1L, v.entries());
    }

    @Test
    void a_deletion_in_the_middle_or_at_the_end_is_detected() {
        List<AuditEntry> c = chain(5);
        String head = c.get(4).hash();
        List<AuditEntry> middle = new ArrayList<>(c);
        middle.remove(1);
        assertFalse(AuditChain.verify(middle, 5, head).ok());
        List<AuditEntry> tail = new ArrayList<>(c);
        tail.remove(4);
        assertFalse(AuditChain.verify(tail, 5, head).ok());
    }

    @Test
    void the_canonical_form_is_unambiguous() {
        AuditEntry a = new AuditEntry(1, Instant.EPOCH, "ab", "c", "X", null, null, null, null, null);
        AuditEntry b = new AuditEntry(1, Instant.EPOCH, "a", "bc", "X", null, null, null, null, null);
        assertNotEquals(AuditChain.canonical(a), AuditChain.canonical(b));
    }

    @Test
    void sealing_pending_entries_in_batches_gives_the_same_chain_as_linking_one_by_one() {
        List<AuditEntry> whole = chain(6);
        List<AuditEntry> pending = whole.stream().map(e -> new AuditEntry(0, e.at(), e.actorId(), e.actorUsername(),
                e.action(), e.requestId(), e.grantId(), e.details(), null, null)).toList();
        assertFalse(AuditChain.isSealed(pending.get(0)));

        List<AuditEntry> first = AuditChain.seal(pending.subList(0, 2), 0, null);
        List<AuditEntry> rest = AuditChain.seal(pending.subList(2, 6), first.get(1).seq(), first.get(1).hash());
        List<AuditEntry> sealed = new ArrayList<>(first);
        sealed.addAll(rest);

        assertEquals(whole, sealed);
        assertTrue(sealed.stream().allMatch(AuditChain::isSealed));
        assertTrue(AuditChain.verify(sealed, 6, sealed.get(5).hash()).ok());
        assertTrue(AuditChain.seal(List.of(), 6, sealed.get(5).hash()).isEmpty());
    }
}
