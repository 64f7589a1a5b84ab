package dev.jitcolumns.keycloak.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jitcolumns.keycloak.model.AuditEntry;
import dev.jitcolumns.keycloak.model.JitColumnsStore;
import dev.jitcolumns.keycloak.model.PendingDelivery;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Sends the webhook outbox, off the request path, from one background thread per node: deliveries are rare and small,
 * and none may keep Keycloak from stopping. A delivery is attempted as soon as its change commits ({@link #sendSoon});
 * after a failure, by this node when the retry is due before the scheduler's next run, otherwise when the scheduler
 * finds it due ({@link #sendDue}), on whichever node runs it. That also covers a node that stopped before it sent.
 * <p>
 * Each attempt claims its row first (for {@link #LEASE}: two nodes never post it at the same moment), reads the realm's
 * webhook as it is now (URL and secret: a changed URL gets what is still pending, a removed webhook drops it), posts,
 * then deletes the row or sets its next attempt, each in a short transaction of its own. A delivery given up or refused
 * is logged (the receiver's origin only: a webhook URL's path may be its credential) and audited.
 */
public final class WebhookSender {

    /** Longer than an attempt can take; a claimed delivery whose node stopped mid-attempt is due again after it. */
    static final Duration LEASE = Duration.ofMinutes(2);
    /** Deliveries queued per scheduler run; the rest wait for the next run. */
    private static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakSessionFactory factory;
    private final WebhookRetries retries;
    private final WebhookAddresses addresses;
    private final Duration schedulerInterval;
    /** Deliveries waiting for this node's thread: a scheduler run does not queue them twice. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jit-columns-webhook");
        t.setDaemon(true);
        return t;
    });

    /** What an attempt needs, read with its claim: the row, and the realm's webhook now (null: none). */
    private record Claimed(PendingDelivery delivery, Webhook webhook) {
    }

    public WebhookSender(KeycloakSessionFactory factory, WebhookRetries retries, WebhookAddresses addresses,
                         Duration schedulerInterval) {
        this.factory = factory;
        this.retries = retries;
        this.addresses = addresses;
        this.schedulerInterval = schedulerInterval;
    }

    /** After the commit of a change that queued this delivery. */
    public void sendSoon(String deliveryId) {
        queue(deliveryId, Duration.ZERO);
    }

    /** The scheduler's part: the deliveries due now, oldest first, unless this node holds them queued already. */
    public void sendDue(JitColumnsStore store, Instant now) {
        store.dueDeliveries(now, BATCH).forEach(this::sendSoon);
    }

    private void queue(String id, Duration delay) {
        if (!queued.add(id)) {
            return;
        }
        try {
            executor.schedule(() -> {
                queued.remove(id);
                attempt(id);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            queued.remove(id);
        }
    }

    private void attempt(String id) {
        try {
            Claimed claimed = claim(id, Instant.now());
            if (claimed == null) {
                return;
            }
            if (claimed.webhook() == null) {
                drop(claimed.delivery(), null, "dropped: the realm has no webhook any more");
                return;
            }
            post(claimed.delivery(), claimed.webhook());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt(); // the delivery is due again once its claim runs out
        } catch (RuntimeException e) {
            LOG.warnf("jit-columns: webhook delivery %s: %s; attempted again in %d s at the latest", id, e.toString(),
                    LEASE.toSeconds());
        }
    }

    /** The realm is read into the session's context first: a vault reference resolves by realm. */
    private Claimed claim(String id, Instant now) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> s.getProvider(JitColumnsStore.class)
                .claimDelivery(id, now, now.plus(LEASE)).map(d -> {
                    RealmModel realm = s.realms().getRealm(d.realmId());
                    if (realm == null) {
                        return new Claimed(d, null);
                    }
                    s.getContext().setRealm(realm);
                    return new Claimed(d, Webhook.of(s, realm).orElse(null));
                }).orElse(null));
    }

    private void post(PendingDelivery d, Webhook webhook) throws InterruptedException {
        try {
            addresses.check(webhook.url()); // again: what a name resolves to may have changed since it was set
        } catch (IllegalArgumentException e) {
            drop(d, webhook.origin(), "not sent: " + e.getMessage());
            return;
        }
        WebhookDelivery.Outcome outcome = WebhookDelivery.post(webhook, d.type(), d.id(), d.body());
        switch (outcome.result()) {
            case DELIVERED -> inTransaction(store -> store.removeDelivery(d.id()));
            case REFUSED -> drop(d, webhook.origin(), outcome.failure() + ", not retried");
            case RETRY -> retryOrGiveUp(d, webhook, outcome.failure());
        }
    }

    private void retryOrGiveUp(PendingDelivery d, Webhook webhook, String failure) {
        Instant failedAt = Instant.now();
        Optional<Instant> next = retries.nextAttempt(d.attempts(), d.createdAt(), failedAt);
        if (next.isEmpty()) {
            drop(d, webhook.origin(), failure + ", given up after " + d.attempts() + " attempts ("
                    + WebhookRetries.GIVE_UP_OPTION + "=" + retries.giveUpAfter().toHours() + ")");
            return;
        }
        inTransaction(store -> store.retryDelivery(d.id(), next.get()));
        Duration wait = Duration.between(failedAt, next.get());
        LOG.infof("jit-columns: webhook %s delivery %s (%s) %s, attempt %d, next in %d s", webhook.origin(), d.id(),
                d.type(), failure, d.attempts(), wait.toSeconds());
        // Sooner than the scheduler's next run: this node waits for it itself.
        if (wait.compareTo(schedulerInterval) < 0) {
            queue(d.id(), wait);
        }
    }

    private void drop(PendingDelivery d, String origin, String why) {
        LOG.warnf("jit-columns: webhook %s delivery %s (%s) %s", origin == null ? "(none)" : origin, d.id(), d.type(), why);
        KeycloakModelUtils.runJobInTransaction(factory, s -> {
            JitColumnsStore store = s.getProvider(JitColumnsStore.class);
            store.removeDelivery(d.id());
            RealmModel realm = s.realms().getRealm(d.realmId());
            if (realm != null) {
                store.appendAudit(realm, List.of(dropped(d, origin, why)));
            }
        });
    }

    /** What the trail keeps of a lost delivery: its id, type, request or grant, the receiver's origin, and why. */
    private static AuditEntry dropped(PendingDelivery d, String origin, String why) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("delivery", d.id());
        details.put("type", d.type());
        details.put("origin", origin);
        details.put("attempts", d.attempts());
        details.put("reason", why);
        try {
            JsonNode body = JSON.readTree(d.body());
            return new AuditEntry(0, Instant.now().truncatedTo(ChronoUnit.MILLIS), null, "system", "WEBHOOK_DROPPED",
                    body.path("request").path("id").asText(null), body.path("grant").path("id").asText(null),
                    JSON.writeValueAsString(details), null, null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a queued webhook body is JSON, as rendered: " + d.id(), e);
        }
    }

    private void inTransaction(Consumer<JitColumnsStore> work) {
        KeycloakModelUtils.runJobInTransaction(factory, s -> work.accept(s.getProvider(JitColumnsStore.class)));
    }

    public void close() {
        // Retries waiting here are in the outbox too: the scheduler finds them once they are due.
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
