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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        webhook(receiverUrl(), SECRET);
    }

    @AfterEach
    void stopTheReceiver() {
        assertEquals(204, Http.delete(webhookApi(), env.tokenOf("admin")).status());
        receiver.stop(0);
    }

    String webhookApi() {
        return env.adminApi() + "/webhook";
    }

    String receiverUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/jit";
    }

    void webhook(String url, String secret) {
        Http.Reply r = Http.put(webhookApi(), env.tokenOf("admin"), Map.of("url", url, "secret", secret));
        assertEquals(200, r.status(), r.toString());
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
    void a_vault_reference_missing_from_the_vault_sends_nothing_unsigned() throws Exception {
        webhook(receiverUrl(), "${vault.no_such_key}");
        String unsigned = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
        webhook(receiverUrl(), SECRET);
        String signed = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

        // Deliveries go out one by one in order: once the second request's arrives, the first one's would be here.
        assertNotNull(next("TO_DECIDE", signed));
        for (Delivery d : all) {
            assertTrue(!d.body().contains(unsigned), "delivered without a secret: " + d.body());
        }
    }

    @Test
    void the_settings_show_the_url_never_the_secret() {
        Http.Reply r = Http.get(webhookApi(), env.tokenOf("admin"));

        assertEquals(200, r.status(), r.toString());
        assertEquals(receiverUrl(), r.json().get("url").asText());
        assertTrue(r.json().get("secretSet").asBoolean());
        assertTrue(!r.body().contains(SECRET), r.body());
    }

    @Test
    void the_audit_trail_records_the_change_without_the_urls_path_or_the_secret() {
        Http.Reply audit = Http.get(env.adminApi() + "/audit?from=" + Instant.now().minusSeconds(300), env.tokenOf("admin"));

        assertEquals(200, audit.status(), audit.toString());
        assertTrue(audit.body().contains("WEBHOOK_UPDATED"), audit.body());
        assertTrue(audit.body().contains("http://127.0.0.1:" + receiver.getAddress().getPort()), "the origin is kept");
        assertTrue(!audit.body().contains("/hooks/jit"), "a webhook URL's path may be its credential");
        assertTrue(!audit.body().contains(SECRET));
    }

    @Test
    void a_new_url_keeps_the_secret_set_before() throws Exception {
        Http.Reply r = Http.put(webhookApi(), env.tokenOf("admin"), Map.of("url", receiverUrl() + "?v=2"));
        assertEquals(200, r.status(), r.toString());

        String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
        Delivery d = next("TO_DECIDE", id);

        assertEquals(sign(SECRET, d.header("X-Jit-Columns-Timestamp"), d.body()), d.header("X-Jit-Columns-Signature"));
    }

    @Test
    void only_realm_managers_see_or_change_it() {
        // A catalog manager through the role jit-columns-admin, without manage-realm: the catalog yes, the webhook no.
        String catalogManager = Jit.unique("catalog");
        String id = Jit.createUser(env, catalogManager);
        Jit.addRealmRole(env, id, "jit-columns-admin");
        assertEquals(200, Http.get(env.adminApi() + "/datasources", env.tokenOf(catalogManager)).status());

        for (String user : List.of("owner", "security", "analyst", catalogManager)) {
            assertEquals(403, Http.get(webhookApi(), env.tokenOf(user)).status(), user);
            assertEquals(403, Http.put(webhookApi(), env.tokenOf(user), Map.of("url", "https://attacker.example/", "secret",
                    "a secret of the attacker")).status(), user);
            assertEquals(403, Http.delete(webhookApi(), env.tokenOf(user)).status(), user);
        }
        assertEquals(401, Http.get(webhookApi(), null).status());
        assertEquals(receiverUrl(), Http.get(webhookApi(), env.tokenOf("admin")).json().get("url").asText(), "unchanged");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"url\": \"ftp://files.example/hook\", \"secret\": \"sixteen chars ok\"} | url",
            "{\"url\": \"/relative/hook\", \"secret\": \"sixteen chars ok\"}       | url",
            "{\"url\": \"https://a b.example/\", \"secret\": \"sixteen chars ok\"}  | url",
            "{\"secret\": \"sixteen chars ok\"}                                      | url",
            "{\"url\": \"https://hooks.example/\", \"secret\": \"short\"}          | secret",
            "{\"url\": \"https://hooks.example/\", \"secret\": 42}                   | secret",
            "{\"url\": \"https://hooks.example/\", \"token\": \"x\"}               | token"})
    void bad_settings_are_refused_naming_the_field_and_change_nothing(String body, String field) {
        Http.Reply r = Http.put(webhookApi(), env.tokenOf("admin"), body);

        assertEquals(400, r.status(), r.toString());
        assertEquals(field, r.json().get("field").asText(), r.toString());
        assertEquals(receiverUrl(), Http.get(webhookApi(), env.tokenOf("admin")).json().get("url").asText(), "unchanged");
    }
}
