package dev.jitcolumns.keycloak.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jitcolumns.keycloak.resource.Representations;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Posts a {@link Notice} to the realm's {@link Webhook} as JSON, signed with HMAC-SHA256 over
 * {@code <timestamp>.<body>} ({@code X-Jit-Columns-Timestamp}, {@code X-Jit-Columns-Signature: sha256=<hex>}), like
 * GitHub's and Stripe's webhooks. Sent off the request thread, after the change committed: a slow receiver never holds
 * an approval. A failure (no answer, 408, 429, 5xx) is retried twice, after 2 and 10 seconds, with the same
 * {@code X-Jit-Columns-Delivery} id so that receivers can drop a repeat; another 4xx is logged and dropped.
 */
final class WebhookDelivery {

    private static final List<Duration> RETRY_AFTER = List.of(Duration.ofSeconds(2), Duration.ofSeconds(10));

    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    // One daemon thread for the whole server: deliveries are rare and small, and none may keep Keycloak from stopping.
    private static final ScheduledExecutorService SENDER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jit-columns-webhook");
        t.setDaemon(true);
        return t;
    });

    private WebhookDelivery() {
    }

    /** Queues the delivery; returns at once. */
    static void send(Webhook webhook, Notice notice, String realmName, String link) {
        String id = UUID.randomUUID().toString();
        String body = body(notice, realmName, link, id, Instant.now());
        SENDER.execute(() -> attempt(webhook, notice.mail().name(), id, body, 0));
    }

    /** The JSON a receiver gets: the same shapes as the REST API's. */
    static String body(Notice notice, String realmName, String link, String id, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", notice.mail().name());
        m.put("realm", realmName);
        m.put("at", Representations.iso(at));
        m.put("link", link);
        m.put("approvers", notice.audience().stages().stream().map(Representations::stage).toList());
        if (notice.request() != null) {
            m.put("request", Representations.request(notice.request()));
        }
        if (notice.grant() != null) {
            m.put("grant", Representations.grant(notice.grant()));
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException("a notice that does not serialise: " + notice.mail(), e);
        }
    }

    /** {@code sha256=} and the hex of HMAC-SHA256(secret, {@code <timestamp>.<body>}). */
    static String signature(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static void attempt(Webhook webhook, String type, String id, String body, int attempt) {
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(webhook.url()).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "jit-columns")
                .header("X-Jit-Columns-Event", type)
                .header("X-Jit-Columns-Delivery", id)
                .header("X-Jit-Columns-Timestamp", Long.toString(timestamp))
                .header("X-Jit-Columns-Signature", signature(webhook.secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String failure;
        try {
            int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                return;
            }
            failure = "answered " + status;
            if (!(status == 408 || status == 429 || status >= 500)) {
                LOG.warnf("jit-columns: webhook %s delivery %s (%s) %s, not retried", webhook.origin(), id, type, failure);
                return;
            }
        } catch (IOException e) {
            failure = "failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (attempt < RETRY_AFTER.size()) {
            LOG.infof("jit-columns: webhook %s delivery %s (%s) %s, retried in %d s", webhook.origin(), id, type, failure,
                    RETRY_AFTER.get(attempt).toSeconds());
            SENDER.schedule(() -> attempt(webhook, type, id, body, attempt + 1), RETRY_AFTER.get(attempt).toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            LOG.warnf("jit-columns: webhook %s delivery %s (%s) %s, given up after %d attempts", webhook.origin(), id, type,
                    failure, attempt + 1);
        }
    }
}
