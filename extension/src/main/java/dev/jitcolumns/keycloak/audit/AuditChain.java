package dev.jitcolumns.keycloak.audit;

import dev.jitcolumns.keycloak.model.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The audit hash chain: {@code hash = hex(sha256(prevHash + "\n" + canonical(entry)))}, the first entry's
 * prevHash is {@link #GENESIS}. Canonical form: each field length-prefixed, so no two entries encode alike.
 * Entries are written unsealed ({@link #isSealed} false: no seq, no hashes) by the transaction that audits, and
 * linked later, in insertion order, by {@link #seal} under the realm's chain head lock.
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** The result of a verification: {@code ok}, how many entries were checked, where and why it broke. */
    public record Verification(boolean ok, long entries, Long brokenAtSeq, String problem, String headHash) {}

    public static String canonical(AuditEntry e) {
        StringBuilder sb = new StringBuilder();
        field(sb, Long.toString(e.seq()));
        field(sb, Long.toString(e.at().toEpochMilli()));
        field(sb, e.actorId());
        field(sb, e.actorUsername());
        field(sb, e.action());
        field(sb, e.requestId());
        field(sb, e.grantId());
        field(sb, e.details());
        return sb.toString();
    }

    private static void field(StringBuilder sb, String value) {
        if (value == null) {
            sb.append("-;");
        } else {
            sb.append(value.length()).append(':').append(value).append(';');
        }
    }

    public static String hash(String prevHash, AuditEntry e) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            sha.update(canonical(e).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The entry as the next link after (headSeq, headHash). */
    public static AuditEntry link(AuditEntry e, long headSeq, String headHash) {
        AuditEntry numbered = new AuditEntry(headSeq + 1, e.at(), e.actorId(), e.actorUsername(), e.action(),
                e.requestId(), e.grantId(), e.details(), headHash, null);
        return new AuditEntry(numbered.seq(), numbered.at(), numbered.actorId(), numbered.actorUsername(),
                numbered.action(), numbered.requestId(), numbered.grantId(), numbered.details(), headHash,
                hash(headHash, numbered));
    }

    public static boolean isSealed(AuditEntry e) {
        return e.hash() != null;
    }

    /** Links {@code pending} (in insertion order) after the head (headSeq, headHash); returns the linked entries. */
    public static List<AuditEntry> seal(List<AuditEntry> pending, long headSeq, String headHash) {
        List<AuditEntry> out = new java.util.ArrayList<>(pending.size());
        long seq = headSeq;
        String hash = headHash == null ? GENESIS : headHash;
        for (AuditEntry e : pending) {
            AuditEntry linked = link(e, seq, hash);
            out.add(linked);
            seq = linked.seq();
            hash = linked.hash();
        }
        return out;
    }

    /**
     * Checks a whole chain, in sequence order, against the head (last seq and hash): an edited entry breaks its
     * hash, a deleted one breaks the sequence or the next prevHash, a deleted tail no longer reaches the head.
     */
    public static Verification verify(List<AuditEntry> entries, long headSeq, String headHash) {
        Verifier verifier = new Verifier();
        for (AuditEntry e : entries) {
            if (!verifier.accept(e)) {
                break;
            }
        }
        return verifier.result(headSeq, headHash);
    }

    /** {@link #verify} fed one entry at a time, in sequence order, so that a long chain is read in pages. */
    public static final class Verifier {
        private String prev = GENESIS;
        private long expectedSeq = 1;
        private Long brokenAt;
        private String problem;

        /** False once the chain is broken: later entries change nothing. */
        public boolean accept(AuditEntry e) {
            if (problem != null) {
                return false;
            }
            if (e.seq() != expectedSeq) {
                return broken(expectedSeq, "entry " + expectedSeq + " is missing");
            }
            if (!prev.equals(e.prevHash())) {
                return broken(e.seq(), "entry " + e.seq() + " does not follow the previous entry");
            }
            if (!hash(prev, e).equals(e.hash())) {
                return broken(e.seq(), "entry " + e.seq() + " was altered");
            }
            prev = e.hash();
            expectedSeq++;
            return true;
        }

        private boolean broken(long at, String why) {
            brokenAt = at;
            problem = why;
            return false;
        }

        /** The entries accepted so far, checked against the head. */
        public Verification result(long headSeq, String headHash) {
            long last = expectedSeq - 1;
            if (problem != null) {
                return new Verification(false, last, brokenAt, problem, headHash);
            }
            if (last != headSeq || !prev.equals(headHash == null ? GENESIS : headHash)) {
                return new Verification(false, last, last + 1, "the chain ends at entry " + last + " but its head is entry " + headSeq, headHash);
            }
            return new Verification(true, last, null, null, headHash);
        }
    }
}
