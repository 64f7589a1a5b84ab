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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.junit.jupiter.api.Nested;
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
        receiver = receiverOn(0);
        webhook(receiverUrl(), SECRET);
    }

    /** A receiver on a loopback port (0: any free one), recording what it gets and answering {@link #answers}. */
    HttpServer receiverOn(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/hooks/jit", exchange -> {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            Delivery d = new Delivery(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            all.add(d);
            received.add(d);
            Integer status = answers.poll();
            exchange.sendResponseHeaders(status == null ? 204 : status, -1);
            exchange.close();
        });
        server.start();
        return server;
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

    /** Keycloak answers every realm attribute to whoever may view the realm: the webhook is not one. */
    @Test
    void a_viewer_of_the_realm_reads_neither_the_secret_nor_the_url() {
        String viewer = Jit.unique("viewer");
        String userId = Jit.createUser(env, viewer);
        String master = env.masterAdminToken();
        String clients = Jit.stockAdmin(env) + "/clients";
        String realmManagement = Http.get(clients + "?clientId=realm-management", master).json().get(0).get("id").asText();
        JsonNode viewRealm = Http.get(clients + "/" + realmManagement + "/roles/view-realm", master).json();
        assertEquals(204, Http.post(Jit.stockAdmin(env) + "/users/" + userId + "/role-mappings/clients/" + realmManagement, master,
                List.of(Map.of("id", viewRealm.get("id").asText(), "name", "view-realm"))).status());

        Http.Reply realm = Http.get(Jit.stockAdmin(env), env.tokenOf(viewer));

        assertEquals(200, realm.status(), realm.toString());
        assertTrue(!realm.body().contains(SECRET), "the secret is in the realm's representation");
        assertTrue(!realm.body().contains("/hooks/jit"), "the URL is in the realm's representation");
        assertEquals(403, Http.get(webhookApi(), env.tokenOf(viewer)).status());
    }

    /** The answer's body is not waited for: a receiver that stalls in it holds up no other delivery. */
    @Test
    void a_receiver_that_stalls_in_its_answer_holds_nothing_up() throws Exception {
        try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (Socket s = stalling.accept()) {
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    Thread.sleep(120_000); // and never the 100 bytes
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            answering.setDaemon(true);
            answering.start();
            webhook("http://127.0.0.1:" + stalling.getLocalPort() + "/hooks/jit", SECRET);
            Jit.created(env, "analyst", Jit.emailRequest());
            Thread.sleep(3000); // the stalling receiver has the first delivery

            webhook(receiverUrl(), SECRET);
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            assertNotNull(next("TO_DECIDE", id), "the next delivery still goes out");
            answering.interrupt();
        }
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
            "{\"url\": \"https://hooks.example/\", \"token\": \"x\"}               | token",
            // Keycloak's own network: only the receivers' 127.0.0.1 is allowed to the tests (webhook-allowed-private-addresses)
            "{\"url\": \"http://169.254.169.254/latest/meta-data/\", \"secret\": \"sixteen chars ok\"} | url",
            "{\"url\": \"http://10.0.0.1:8080/hook\", \"secret\": \"sixteen chars ok\"}       | url",
            "{\"url\": \"http://[::1]:9000/hook\", \"secret\": \"sixteen chars ok\"}          | url",
            "{\"url\": \"http://no-such-host.invalid/hook\", \"secret\": \"sixteen chars ok\"} | url"})
    void bad_settings_are_refused_naming_the_field_and_change_nothing(String body, String field) {
        Http.Reply r = Http.put(webhookApi(), env.tokenOf("admin"), body);

        assertEquals(400, r.status(), r.toString());
        assertEquals(field, r.json().get("field").asText(), r.toString());
        assertEquals(receiverUrl(), Http.get(webhookApi(), env.tokenOf("admin")).json().get("url").asText(), "unchanged");
    }

    /**
     * The webhook outbox: a delivery waits in Keycloak's database until its receiver takes it. The ITs run with
     * {@code webhook-retry-seconds=1,2,3} and the scheduler every 2 s (TestEnvironment).
     */
    @Nested
    class Outbox {

        /** The outbox rows of the deliveries about this request, each column by its lower-case name. */
        List<Map<String, String>> rows(String requestId) throws Exception {
            List<Map<String, String>> rows = new ArrayList<>();
            try (Connection c = env.keycloakDatabase();
                 PreparedStatement ps = c.prepareStatement("select * from JIT_WEBHOOK_OUTBOX where position(? in body) > 0")) {
                ps.setString(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> row = new HashMap<>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            row.put(rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT), rs.getString(i));
                        }
                        rows.add(row);
                    }
                }
            }
            return rows;
        }

        /** The one row about this request once it has been attempted at least {@code attempts} times. */
        Map<String, String> queuedAfter(String requestId, int attempts) throws Exception {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (Instant.now().isBefore(deadline)) {
                List<Map<String, String>> rows = rows(requestId);
                if (rows.size() == 1 && Integer.parseInt(rows.get(0).get("attempts")) >= attempts) {
                    return rows.get(0);
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no delivery about " + requestId + " attempted " + attempts + " times: " + rows(requestId));
        }

        void awaitNoRow(String requestId) throws Exception {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!rows(requestId).isEmpty()) {
                assertTrue(Instant.now().isBefore(deadline), "still queued: " + rows(requestId));
                Thread.sleep(200);
            }
        }

        /** The audit entry of the delivery about this request that was dropped, its details parsed. */
        JsonNode dropped(String requestId) throws Exception {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (Instant.now().isBefore(deadline)) {
                Http.Reply audit = Http.get(env.adminApi() + "/audit?from=" + Instant.now().minusSeconds(300), env.tokenOf("admin"));
                assertEquals(200, audit.status(), audit.toString());
                for (JsonNode entry : audit.json()) {
                    if ("WEBHOOK_DROPPED".equals(entry.get("action").asText()) && requestId.equals(entry.path("requestId").asText())) {
                        return JSON.readTree(entry.get("details").asText());
                    }
                }
                Thread.sleep(500);
            }
            throw new AssertionError("no WEBHOOK_DROPPED entry for request " + requestId);
        }

        @Test
        void a_receiver_failing_longer_than_a_few_seconds_still_gets_it_with_one_delivery_id() throws Exception {
            answers.addAll(List.of(503, 503, 503));
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

            List<Delivery> attempts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                attempts.add(next("TO_DECIDE", id));
            }

            for (Delivery d : attempts) {
                assertEquals(attempts.get(0).header("X-Jit-Columns-Delivery"), d.header("X-Jit-Columns-Delivery"));
                assertEquals(attempts.get(0).body(), d.body(), "the body as rendered at the change");
                assertEquals(sign(SECRET, d.header("X-Jit-Columns-Timestamp"), d.body()), d.header("X-Jit-Columns-Signature"));
            }
            awaitNoRow(id);
        }

        @Test
        void a_delivery_waits_in_the_database_while_the_receiver_is_down_and_arrives_once_it_is_up() throws Exception {
            String url = Jit.unreachableUrl("/hooks/jit");
            webhook(url, SECRET);
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

            Map<String, String> row = queuedAfter(id, 2);
            assertEquals("TO_DECIDE", row.get("event_type"));
            for (Map.Entry<String, String> column : row.entrySet()) {
                assertTrue(!column.getValue().contains(SECRET), "the secret is never stored: " + column.getKey());
                assertTrue(!column.getValue().contains("/hooks/jit"), "nor the URL, read at each attempt: " + column.getKey());
            }

            HttpServer late = receiverOn(URI.create(url).getPort());
            try {
                Delivery d = next("TO_DECIDE", id);
                assertEquals(row.get("id"), d.header("X-Jit-Columns-Delivery"));
                assertEquals(row.get("body"), d.body());
                assertEquals(sign(SECRET, d.header("X-Jit-Columns-Timestamp"), d.body()), d.header("X-Jit-Columns-Signature"));
                awaitNoRow(id);
            } finally {
                late.stop(0);
            }
        }

        @Test
        void a_pending_delivery_goes_to_the_webhook_as_set_when_it_is_sent() throws Exception {
            webhook(Jit.unreachableUrl("/hooks/jit"), SECRET);
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            String deliveryId = queuedAfter(id, 1).get("id");

            String newSecret = "the secret that replaced the first one";
            webhook(receiverUrl(), newSecret);
            Delivery d = next("TO_DECIDE", id);

            assertEquals(deliveryId, d.header("X-Jit-Columns-Delivery"));
            assertEquals(sign(newSecret, d.header("X-Jit-Columns-Timestamp"), d.body()), d.header("X-Jit-Columns-Signature"));
        }

        @Test
        void a_pending_delivery_is_dropped_and_audited_once_the_webhook_is_removed() throws Exception {
            webhook(Jit.unreachableUrl("/hooks/jit"), SECRET);
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            String deliveryId = queuedAfter(id, 1).get("id");

            assertEquals(204, Http.delete(webhookApi(), env.tokenOf("admin")).status());

            awaitNoRow(id);
            JsonNode details = dropped(id);
            assertEquals(deliveryId, details.get("delivery").asText());
            assertTrue(details.get("reason").asText().contains("no webhook"), details.toString());
        }

        @Test
        void a_delivery_still_failing_past_the_bound_is_given_up_and_audited_with_the_origin_only() throws Exception {
            String url = Jit.unreachableUrl("/hooks/jit");
            webhook(url, SECRET);
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            String deliveryId = queuedAfter(id, 1).get("id");

            // As if the receiver had been down since yesterday: past webhook-give-up-hours (24).
            Jit.sql(env, "update JIT_WEBHOOK_OUTBOX set created_at = created_at - 25 * 3600 * 1000 where id = ?", deliveryId);

            awaitNoRow(id);
            JsonNode details = dropped(id);
            assertEquals(deliveryId, details.get("delivery").asText());
            assertEquals("TO_DECIDE", details.get("type").asText());
            assertEquals(url.substring(0, url.indexOf("/hooks/jit")), details.get("origin").asText());
            assertTrue(details.get("reason").asText().contains("given up after"), details.toString());
            assertTrue(!details.toString().contains("/hooks/jit"), "a webhook URL's path may be its credential");
        }

        @Test
        void a_refused_delivery_is_dropped_at_once_and_audited() throws Exception {
            answers.add(410);
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

            next("TO_DECIDE", id);

            awaitNoRow(id);
            assertTrue(dropped(id).get("reason").asText().contains("answered 410, not retried"));
            assertEquals(1, all.stream().filter(d -> d.body().contains(id)).count(), "never retried");
        }

        @Test
        void a_refused_request_queues_nothing() throws Exception {
            String reason = Jit.unique("refused");
            Map<String, Object> request = Jit.body("datasource", "analytics", "columns", List.of(Jit.EMAIL), "reason", reason,
                    "durationMinutes", 100_000);

            assertEquals(400, Jit.create(env, "analyst", request).status());

            assertEquals(List.of(), rows(reason));
        }

        @Test
        void a_change_that_fails_after_queueing_its_delivery_rolls_it_back() throws Exception {
            String reason = Jit.unique("rolled back");
            try (Connection c = env.keycloakDatabase(); Statement st = c.createStatement()) {
                // The audit entries are written after the notice is queued: failing them fails the whole change.
                st.execute("alter table JIT_AUDIT add constraint jit_test_fail check (details not like '%" + reason + "%')");
            }
            try {
                Http.Reply failed = Jit.create(env, "analyst", Jit.body("datasource", "analytics", "columns",
                        List.of(Jit.EMAIL), "reason", reason, "durationMinutes", 30));
                // Keycloak answers a constraint violation as a conflict
                assertEquals(409, failed.status(), failed.toString());
            } finally {
                try (Connection c = env.keycloakDatabase(); Statement st = c.createStatement()) {
                    st.execute("alter table JIT_AUDIT drop constraint jit_test_fail");
                }
            }
            String committed = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();

            // Deliveries go out one by one in commit order: once the next change's arrives, none of the first is coming.
            assertNotNull(next("TO_DECIDE", committed));
            assertEquals(List.of(), rows(reason));
            assertTrue(all.stream().noneMatch(d -> d.body().contains(reason)), "nothing posted for a change rolled back");
        }
    }
}
