package dev.jitcolumns.it.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The realm's webhook, received by a real HTTP server on loopback, configured with the realm attributes an
 * administrator sets through the stock admin REST API.
 */
@ExtendWith(KeycloakHarness.class)
class WebhookIT {

    static final String SECRET = "a webhook secret for the tests";
    static final ObjectMapper JSON = new ObjectMapper();

    record Delivery(Map<String, String> headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    final List<Delivery> all = new CopyOnWriteArrayList<>();
    /** Statuses the receiver answers with, one per delivery, then 204. */
    final BlockingQueue<Integer> answers = new LinkedBlockingQueue<>();
    HttpServer receiver;
    TestEnvironment env;

    @BeforeEach
    void startTheReceiver(TestEnvironment env) throws IOException {
        this.env = env;
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks/jit", exchange -> {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            Delivery d = new Delivery(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            all.add(d);
            received.add(d);
            Integer status = answers.poll();
            exchange.sendResponseHeaders(status == null ? 204 : status, -1);
            exchange.close();
        });
        receiver.start();
        webhook("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/jit", SECRET);
    }

    @AfterEach
    void stopTheReceiver() {
        webhook("", "");
        receiver.stop(0);
    }

    void webhook(String url, String secret) {
        Http.Reply r = Http.put(Jit.stockAdmin(env), env.masterAdminToken(), Map.of("attributes",
                Map.of("jit-columns.webhook.url", url, "jit-columns.webhook.secret", secret)));
        assertEquals(204, r.status(), r.toString());
    }

    /** The next delivery about {@code requestId} (others, from other changes, are skipped). */
    Delivery next(String type, String requestId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Delivery d = received.poll(1, TimeUnit.SECONDS);
            if (d != null && type.equals(d.header("X-Jit-Columns-Event"))
                    && requestId.equals(d.json().path("request").path("id").asText(null))) {
                return d;
            }
        }
        throw new AssertionError("no " + type + " delivery for request " + requestId);
    }

    static String sign(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_new_request_is_posted_signed_with_the_realms_secret() throws Exception {
        String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

        Delivery d = next("TO_DECIDE", id);

        String timestamp = d.header("X-Jit-Columns-Timestamp");
        assertEquals(sign(SECRET, timestamp, d.body()), d.header("X-Jit-Columns-Signature"), "the receiver can verify it");
        assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 300, timestamp);
        assertEquals("application/json", d.header("Content-Type"));
        JsonNode body = d.json();
        assertEquals(d.header("X-Jit-Columns-Delivery"), body.get("id").asText());
        assertEquals("acme", body.get("realm").asText());
        assertEquals("analyst", body.get("request").get("requester").get("username").asText());
        assertEquals(Jit.EMAIL, body.get("request").get("columns").get(0).asText());
        assertEquals("/data-owners", body.get("approvers").get(0).get("approverGroup").asText());
        assertTrue(body.get("link").asText().endsWith("/jit-columns/requests/" + id), body.toString());
    }

    @Test
    void the_final_approval_is_posted_with_the_grant() throws Exception {
        String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
        Http.Reply approved = Jit.approve(env, env.tokenOf("owner"), id);
        assertEquals(200, approved.status(), approved.toString());

        JsonNode body = next("APPROVED", id).json();

        assertEquals("APPROVED", body.get("request").get("status").asText());
        assertEquals(approved.json().get("grant").get("id").asText(), body.get("grant").get("id").asText());
        assertEquals(approved.json().get("grant").get("expiresAt").asText(), body.get("grant").get("expiresAt").asText());
    }

    @Test
    void a_receiver_that_fails_gets_the_same_delivery_again() throws Exception {
        answers.add(503);
        String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

        Delivery first = next("TO_DECIDE", id);
        Delivery again = next("TO_DECIDE", id);

        assertEquals(first.header("X-Jit-Columns-Delivery"), again.header("X-Jit-Columns-Delivery"),
                "one delivery id: the receiver can drop a repeat");
        assertEquals(first.body(), again.body());
        assertEquals(sign(SECRET, again.header("X-Jit-Columns-Timestamp"), again.body()), again.header("X-Jit-Columns-Signature"));
    }

    @Test
    void a_webhook_without_its_secret_sends_nothing_unsigned() throws Exception {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/jit";
        webhook(url, "");
        String unsigned = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
        webhook(url, SECRET);
        String signed = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

        // Deliveries go out one by one in order: once the second request's arrives, the first one's would be here.
        assertNotNull(next("TO_DECIDE", signed));
        for (Delivery d : all) {
            assertTrue(!d.body().contains(unsigned), "delivered without a secret: " + d.body());
        }
    }
}
