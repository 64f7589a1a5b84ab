package dev.jitcolumns.keycloak.model.jpa;

import dev.jitcolumns.keycloak.model.JitColumnsStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Seals committed audit entries into their realm's chain off the request path: one background thread per node,
 * asked after each commit that wrote audit entries. Requests for a realm coalesce: a seal starts {@value #DELAY_MS} ms
 * after the first request, and while it is queued further requests add nothing (it starts after their commit, so it
 * sees their entries). Under load one sealing transaction then chains the entries of many requests. Anything missed (node stopped before sealing) is sealed by the scheduler task or by the next
 * audit export/verification, which seal before they read.
 */
final class AuditSealer {

    private static final Logger LOG = Logger.getLogger(AuditSealer.class);

    private final KeycloakSessionFactory factory;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    static final long DELAY_MS = 50;

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jit-columns-audit-sealer");
        t.setDaemon(true);
        return t;
    });

    AuditSealer(KeycloakSessionFactory factory) {
        this.factory = factory;
    }

    /** Call after a commit that wrote audit entries of the realm. */
    void sealSoon(String realmId) {
        if (!queued.add(realmId)) {
            return;
        }
        try {
            executor.schedule(() -> {
                queued.remove(realmId);
                sealNow(realmId);
            }, DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            queued.remove(realmId);
        }
    }

    /** Seals the realm's pending entries in a transaction of its own; returns how many, -1 on failure. */
    int sealNow(String realmId) {
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                RealmModel realm = s.realms().getRealm(realmId);
                return realm == null ? 0 : s.getProvider(JitColumnsStore.class).sealAudit(realm);
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
