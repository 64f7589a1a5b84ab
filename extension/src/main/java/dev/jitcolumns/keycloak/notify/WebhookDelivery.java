package dev.jitcolumns.keycloak.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jitcolumns.keycloak.resource.Representations;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One attempt to post a delivery to the realm's {@link Webhook}: JSON signed with HMAC-SHA256 over
 * {@code <timestamp>.<body>} ({@code X-Jit-Columns-Timestamp}, {@code X-Jit-Columns-Signature: sha256=<hex>}), like
 * GitHub's and Stripe's webhooks, the timestamp taken at the attempt. Every attempt of a delivery carries its
 * {@code X-Jit-Columns-Delivery} id, so that receivers can drop a repeat. {@link WebhookSender} decides what follows.
 */
final class WebhookDelivery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** What an attempt came to; {@code failure} says why it was not delivered (null when it was). */
    record Outcome(Result result, String failure) {
        enum Result {
            DELIVERED,
            /** No answer, 408, 429 or 5xx: the receiver may take it later. */
            RETRY,
            /** Any other answer: the receiver will not take it. */
            REFUSED
        }
    }

    private WebhookDelivery() {
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

    /**
     * Waits for the receiver's answer, at most {@link #TIMEOUT} to connect and as much for its status. The answer's body
     * is not read: the timeout ends with the headers, and a receiver that stalled in its body would hold up the node's
     * webhook thread, every realm's deliveries with it.
     */
    static Outcome post(Webhook webhook, String type, String id, String body) throws InterruptedException {
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(webhook.url()).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "jit-columns")
                .header("X-Jit-Columns-Event", type)
                .header("X-Jit-Columns-Delivery", id)
                .header("X-Jit-Columns-Timestamp", Long.toString(timestamp))
                .header("X-Jit-Columns-Signature", signature(webhook.secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        int status;
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            response.body().close();
        } catch (IOException e) {
            return new Outcome(Outcome.Result.RETRY, "failed: " + e);
        }
        if (status / 100 == 2) {
            return new Outcome(Outcome.Result.DELIVERED, null);
        }
        boolean retry = status == 408 || status == 429 || status >= 500;
        return new Outcome(retry ? Outcome.Result.RETRY : Outcome.Result.REFUSED, "answered " + status);
    }
}
