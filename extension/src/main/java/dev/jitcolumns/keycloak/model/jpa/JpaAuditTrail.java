package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.audit.AuditChain;
import dev.jitcolumns.keycloak.model.AuditEntry;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The audit part of {@link JpaJitColumnsStore}: entries appended unsealed by the changing transaction, sealed into the
 * realm's hash chain under its head lock (after commit by the {@link AuditSealer}), read in pages.
 */
final class JpaAuditTrail {

    /** Entries sealed by id per query: at most this many parameters. */
    private static final int SEAL_CHUNK = 256;

    private final EntityManager em;
    private final Jdbc jdbc;
    private final KeycloakSession session;
    private final AuditSealer sealer;
    /** The audit entries this session wrote, by realm (an empty list: ids unknown); sealed after its commit. */
    private final Map<String, List<Long>> auditedRealms = new HashMap<>();

    JpaAuditTrail(EntityManager em, Jdbc jdbc, KeycloakSession session, AuditSealer sealer) {
        this.em = em;
        this.jdbc = jdbc;
        this.session = session;
        this.sealer = sealer;
    }

    /** A realm's chain head before its first entry; created with the realm, or at start for older realms. */
    static JitAuditHeadEntity newHead(String realmId) {
        JitAuditHeadEntity head = new JitAuditHeadEntity();
        head.setRealmId(realmId);
        head.setSeq(0);
        head.setHash(AuditChain.GENESIS);
        return head;
    }

    /**
     * One JDBC batch, one round trip, for all of a change's entries. As entities with an identity key each would be
     * inserted at once, in a round trip of its own, after flushing whatever the session had queued: measured, that
     * was most of the CPU an approval spent in its handler. Nothing reads these rows back in this transaction.
     */
    void append(RealmModel realm, List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        String insert = "insert into " + jdbc.table("JIT_AUDIT")
                + " (REALM_ID, AT, ACTOR_ID, ACTOR_USERNAME, ACTION, REQUEST_ID, GRANT_ID, DETAILS) values (?, ?, ?, ?, ?, ?, ?, ?)";
        List<Long> ids = jdbc.batchReturningIds(insert, entries, (ps, e) -> {
            ps.setString(1, realm.getId());
            ps.setLong(2, e.at().toEpochMilli());
            ps.setString(3, e.actorId());
            ps.setString(4, e.actorUsername());
            ps.setString(5, e.action());
            ps.setString(6, e.requestId());
            ps.setString(7, e.grantId());
            ps.setString(8, e.details());
        });
        sealAfterCommit(realm, ids);
    }

    private void sealAfterCommit(RealmModel realm, List<Long> ids) {
        if (auditedRealms.isEmpty() && sealer != null) {
            session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
                @Override
                protected void commitImpl() {
                    auditedRealms.forEach(sealer::sealSoon);
                    auditedRealms.clear();
                }

                @Override
                protected void rollbackImpl() {
                    auditedRealms.clear();
                }
            });
        }
        auditedRealms.merge(realm.getId(), ids, JpaAuditTrail::bothOrUnknown);
    }

    /** Entry ids of two batches; empty (ids unknown: the sealer scans the realm) if either's are unknown. */
    private static List<Long> bothOrUnknown(List<Long> a, List<Long> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return List.of();
        }
        List<Long> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }

    /**
     * The pending entries are read as entities but never changed as such: their three chain columns are set by one
     * JDBC batch (only those columns, in one round trip), and the stale instances are detached, so that a read of the
     * audit trail later in this transaction (export, verify) loads the sealed rows.
     */
    int seal(RealmModel realm) {
        JitAuditHeadEntity head = lockedHead(realm);
        return seal(head, latest(em.createNamedQuery("jitAuditPending", JitAuditEntryEntity.class))
                .setParameter("realmId", realm.getId()).setHint(JpaJitColumnsStore.READ_ONLY, true).getResultList());
    }

    /**
     * Found by primary key alone; whether they are still pending and of this realm is checked here. A condition on
     * {@code SEQ is null} would let PostgreSQL pick the index on (REALM_ID, SEQ), where every row version sealed since
     * the last vacuum left an entry keyed null: under a steady write load the scan through them made sealing the
     * costliest statement of the whole database (measured: 4 to 10 ms per seal, a third of its time).
     */
    int seal(RealmModel realm, List<Long> entryIds) {
        JitAuditHeadEntity head = lockedHead(realm);
        List<JitAuditEntryEntity> pending = new ArrayList<>();
        for (int from = 0; from < entryIds.size(); from += SEAL_CHUNK) {
            pending.addAll(latest(InQuery.of(em, "select a from JitAuditEntryEntity a where a.id in (%s)", JitAuditEntryEntity.class,
                    entryIds.subList(from, Math.min(entryIds.size(), from + SEAL_CHUNK)))).setHint(JpaJitColumnsStore.READ_ONLY, true).getResultList());
        }
        pending.removeIf(e -> e.getSeq() != null || !e.getRealmId().equals(realm.getId()));
        pending.sort(Comparator.comparing(JitAuditEntryEntity::getId));
        return seal(head, pending);
    }

    /**
     * The head, read and locked by one statement. Each seal runs in a transaction of its own (the sealer's, the
     * scheduler's, an export's or a verification's), so the head is never loaded before it: a locked {@code find} of an
     * entity already loaded would only lock it and keep its old state. Being the transaction's first read matters on
     * MySQL and MariaDB, where the first plain read fixes the snapshot that later plain reads answer from.
     */
    private JitAuditHeadEntity lockedHead(RealmModel realm) {
        return em.find(JitAuditHeadEntity.class, realm.getId(), LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Entries read under the head's lock: where plain reads answer from a snapshot ({@link Jdbc#readsSnapshots}), one
     * taken before the lock was granted would show entries that the lock's previous holder sealed as still pending.
     */
    private <T> TypedQuery<T> latest(TypedQuery<T> query) {
        return jdbc.readsSnapshots() ? query.setLockMode(LockModeType.PESSIMISTIC_WRITE) : query;
    }

    private int seal(JitAuditHeadEntity head, List<JitAuditEntryEntity> pending) {
        if (pending.isEmpty()) {
            return 0;
        }
        List<AuditEntry> linked = AuditChain.seal(pending.stream().map(JpaAuditTrail::toModel).toList(),
                head.getSeq(), head.getHash());
        String update = "update " + jdbc.table("JIT_AUDIT") + " set SEQ = ?, PREV_HASH = ?, HASH = ? where ID = ?";
        jdbc.batch(update, IntStream.range(0, pending.size()).boxed().toList(), (ps, i) -> {
            AuditEntry l = linked.get(i);
            ps.setLong(1, l.seq());
            ps.setString(2, l.prevHash());
            ps.setString(3, l.hash());
            ps.setLong(4, pending.get(i).getId());
        });
        pending.forEach(em::detach);
        AuditEntry last = linked.get(linked.size() - 1);
        head.setSeq(last.seq());
        head.setHash(last.hash());
        em.flush();
        return pending.size();
    }

    List<AuditEntry> page(RealmModel realm, Instant from, Instant to, int first, int max) {
        return em.createNamedQuery("jitAuditRange", JitAuditEntryEntity.class).setParameter("realmId", realm.getId())
                .setParameter("from", millis(from, Long.MIN_VALUE)).setParameter("to", millis(to, Long.MAX_VALUE))
                .setFirstResult(first).setMaxResults(max)
                .getResultStream().map(JpaAuditTrail::toModel).toList();
    }

    /** Each page leaves the persistence context as read: a chain of millions of entries is read in constant memory. */
    List<AuditEntry> sealedAfter(RealmModel realm, Instant from, Instant to, long afterSeq, long upToSeq, int max) {
        List<JitAuditEntryEntity> page = em.createNamedQuery("jitAuditSealedAfter", JitAuditEntryEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("after", afterSeq).setParameter("upTo", upToSeq)
                .setParameter("from", millis(from, Long.MIN_VALUE)).setParameter("to", millis(to, Long.MAX_VALUE))
                .setMaxResults(max).setHint(JpaJitColumnsStore.READ_ONLY, true).getResultList();
        List<AuditEntry> entries = page.stream().map(JpaAuditTrail::toModel).toList();
        page.forEach(em::detach);
        return entries;
    }

    long pendingCount(RealmModel realm) {
        return em.createNamedQuery("jitAuditPendingCount", Long.class).setParameter("realmId", realm.getId()).getSingleResult();
    }

    AuditEntry head(RealmModel realm) {
        JitAuditHeadEntity head = em.find(JitAuditHeadEntity.class, realm.getId());
        return head == null ? null : new AuditEntry(head.getSeq(), null, null, null, null, null, null, null, null, head.getHash());
    }

    private static long millis(Instant instant, long unbounded) {
        return instant == null ? unbounded : instant.toEpochMilli();
    }

    private static AuditEntry toModel(JitAuditEntryEntity a) {
        return new AuditEntry(a.getSeq() == null ? 0 : a.getSeq(), Instant.ofEpochMilli(a.getAt()), a.getActorId(), a.getActorUsername(),
                a.getAction(), a.getRequestId(), a.getGrantId(), a.getDetails(), a.getPrevHash(), a.getHash());
    }
}
