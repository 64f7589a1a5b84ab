package dev.jitcolumns.keycloak.scheduler;

import dev.jitcolumns.keycloak.model.AccessService;
import dev.jitcolumns.keycloak.events.KeycloakEvents;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.notify.WebhookSender;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

/**
 * The periodic work, once per cluster: grants past their end APPROVED -> EXPIRED, pending requests past
 * their timeout -> TIMED_OUT, escalation notices, pending requests nobody may decide any more (their approver group
 * or role was removed) -> CANCELLED, the grants of users disabled since, audit entries left unsealed, and
 * webhook deliveries due (handed to this node's {@link WebhookSender}). Each item runs in its own transaction (a failure stays
 * local, row locks are short). Expiry does not depend on this task: "active" is computed at query time.
 */
public final class JitColumnsTask implements ScheduledTask {

    public static final String NAME = "jit-columns-maintenance";
    private static final Logger LOG = Logger.getLogger(JitColumnsTask.class);
    private static final int BATCH = 200;

    private final KeycloakSessionFactory factory;
    private final WebhookSender webhooks;

    public JitColumnsTask(KeycloakSessionFactory factory, WebhookSender webhooks) {
        this.factory = factory;
        this.webhooks = webhooks;
    }

    @Override
    public String getTaskName() {
        return NAME;
    }

    @Override
    public void run(KeycloakSession session) {
        Instant now = Instant.now();
        JitColumnsStore store = session.getProvider(JitColumnsStore.class);
        for (RealmModel realm : session.realms().getRealmsStream().toList()) {
            each(realm, store.dueForExpiry(realm, now, BATCH), AccessService::expire);
            each(realm, store.dueForTimeout(realm, now, BATCH), AccessService::timeOut);
            each(realm, store.dueForEscalation(realm, now, BATCH), AccessService::escalate);
            each(realm, store.pendingWithRemovedApprovers(realm, BATCH), AccessService::cancelUndecidable);
            endAccessOfDisabledUsers(realm, store);
            sealAudit(realm);
        }
        sendDueDeliveries(store, now);
    }

    /**
     * Holders of active grants who are disabled lose them. Keycloak tells no provider when a user is disabled, so each
     * run looks: in Keycloak's own user table for the users it holds (one query), since user storage would also show
     * as disabled every user of a disabled LDAP provider or organisation, which is no reason to end their access for
     * good; and through their provider for the users only user storage holds (one lookup each, all in one transaction,
     * and one transaction more for each user found disabled).
     */
    private void endAccessOfDisabledUsers(RealmModel realm, JitColumnsStore store) {
        each(realm, store.disabledHoldersOfActiveGrants(realm), AccessService::endAccessOfDisabledUser);
        each(realm, disabledInUserStorage(realm, store.federatedHoldersOfActiveGrants(realm)), AccessService::endAccessOfDisabledUser);
    }

    /** Those of {@code userIds} whom their provider finds disabled; a provider that fails is asked again next run. */
    private List<String> disabledInUserStorage(RealmModel realm, List<String> userIds) {
        if (userIds.isEmpty()) {
            return userIds;
        }
        String realmId = realm.getId();
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
            RealmModel r = s.realms().getRealm(realmId);
            if (r == null) {
                return List.<String>of();
            }
            s.getContext().setRealm(r);
            return userIds.stream().filter(id -> {
                try {
                    UserModel user = s.users().getUserById(r, id);
                    return user != null && !user.isEnabled();
                } catch (RuntimeException e) {
                    LOG.warnf("jit-columns: looking up %s in user storage failed: %s", id, e.toString());
                    return false;
                }
            }).toList();
        });
    }

    /** Failed webhook deliveries whose retry has come, and those a stopped node never sent. */
    private void sendDueDeliveries(JitColumnsStore store, Instant now) {
        try {
            webhooks.sendDue(store, now);
        } catch (RuntimeException e) {
            LOG.warnf("jit-columns: reading the webhook deliveries due failed: %s", e.toString());
        }
    }

    /** Audit entries committed but never sealed (the node stopped before its after-commit seal). */
    private void sealAudit(RealmModel realm) {
        String realmId = realm.getId();
        try {
            int sealed = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                RealmModel r = s.realms().getRealm(realmId);
                return r == null ? 0 : s.getProvider(JitColumnsStore.class).sealAudit(r);
            });
            if (sealed > 0) {
                LOG.debugf("jit-columns: sealed %d pending audit entries of realm %s", sealed, realm.getName());
            }
        } catch (RuntimeException e) {
            LOG.warnf("jit-columns: sealing the audit entries of realm %s failed: %s", realm.getName(), e.toString());
        }
    }

    private void each(RealmModel realm, List<String> ids, BiConsumer<AccessService, String> work) {
        String realmId = realm.getId();
        for (String id : ids) {
            try {
                KeycloakModelUtils.runJobInTransaction(factory, s -> {
                    RealmModel r = s.realms().getRealm(realmId);
                    s.getContext().setRealm(r);
                    work.accept(new AccessService(s, r, KeycloakEvents.system(s, r)), id);
                });
            } catch (RuntimeException e) {
                LOG.warnf("jit-columns: scheduled work on %s failed: %s", id, e.toString());
            }
        }
    }
}
