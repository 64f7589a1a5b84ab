package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.model.JitColumnsStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Seals committed audit entries into their realm's chain off the request path: one background thread per node,
 * told after each commit which entries it wrote. Requests for a realm coalesce: a seal starts {@value #DELAY_MS} ms
 * after the first request, and while it is queued further requests only add their entries (it starts after their
 * commit, so it sees them). Under load one sealing transaction then chains the entries of many requests. Anything
 * missed (node stopped before sealing, a failed seal) is sealed by the scheduler task or by the next audit
 * export/verification, which seal every pending entry before they read.
 */
final class AuditSealer {

    private static final Logger LOG = Logger.getLogger(AuditSealer.class);
    static final long DELAY_MS = 50;

    /** A realm's entries waiting for the next seal; {@code scan}: some were written without their ids known. */
    private static final class Pending {
        final Queue<Long> ids = new ConcurrentLinkedQueue<>();
        volatile boolean scan;
    }

    private final KeycloakSessionFactory factory;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jit-columns-audit-sealer");
        t.setDaemon(true);
        return t;
    });

    AuditSealer(KeycloakSessionFactory factory) {
        this.factory = factory;
    }

    /** Call after a commit that wrote these audit entries of the realm (none: their ids are unknown). */
    void sealSoon(String realmId, List<Long> entryIds) {
        Pending p = pending.computeIfAbsent(realmId, k -> new Pending());
        if (entryIds.isEmpty()) {
            p.scan = true;
        } else {
            p.ids.addAll(entryIds);
        }
        if (!queued.add(realmId)) {
            return;
        }
        try {
            executor.schedule(() -> {
                queued.remove(realmId); // first: what is added from now on schedules the next seal
                boolean scan = p.scan;
                p.scan = false;
                List<Long> ids = new ArrayList<>();
                for (Long id = p.ids.poll(); id != null; id = p.ids.poll()) {
                    ids.add(id);
                }
                if (sealNow(realmId, scan ? null : ids) < 0) {
                    p.scan = true; // the drained ids are pending still: the next seal looks for all of them
                }
            }, DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            queued.remove(realmId);
        }
    }

    /** Seals these pending entries of the realm (null: all of them) in a transaction of its own; -1 on failure. */
    int sealNow(String realmId, List<Long> entryIds) {
        if (entryIds != null && entryIds.isEmpty()) {
            return 0;
        }
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                RealmModel realm = s.realms().getRealm(realmId);
                if (realm == null) {
                    return 0;
                }
                JitColumnsStore store = s.getProvider(JitColumnsStore.class);
                return entryIds == null ? store.sealAudit(realm) : store.sealAudit(realm, entryIds);
            });
        } catch (RuntimeException e) {
            // e.g. two nodes creating a realm's first chain head at once: the entries stay pending for the next seal.
            LOG.debugf(e, "jit-columns: sealing the audit entries of realm %s failed, retried later", realmId);
            return -1;
        }
    }

    void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
