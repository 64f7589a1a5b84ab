package dev.jitcolumns.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import dev.jitcolumns.launcher.FreePort;
import dev.jitcolumns.launcher.KeycloakServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Keycloak nodes in one cluster (embedded Infinispan, found through the database) on a database of their own, as
 * production runs them behind a load balancer: what one node changes, the other acts on at once. Each call goes to
 * the node that issued its token (an issuer is the node's own URL here: no shared hostname).
 */
@ExtendWith(KeycloakHarness.class)
class ClusterIT {

    private static KeycloakServer a;
    private static KeycloakServer b;

    @BeforeAll
    static void twoNodes(TestEnvironment env) throws Exception {
        Path dist = Path.of(System.getProperty("keycloak.home"));
        try {
            a = node(env, KeycloakServer.copyDistribution(dist, dist.resolveSibling("keycloak-cluster-a")));
            b = node(env, KeycloakServer.copyDistribution(dist.resolveSibling("keycloak-cluster-a"), // built by a's start
                    dist.resolveSibling("keycloak-cluster-b")));
        } catch (Exception e) {
            stopNodes();
            throw e;
        }
    }

    @AfterAll
    static void stopNodes() {
        for (KeycloakServer node : new KeycloakServer[] {b, a}) {
            if (node != null) {
                node.close();
            }
        }
    }

    private static KeycloakServer node(TestEnvironment env, Path home) throws IOException {
        KeycloakServer.Builder node = KeycloakServer.builder(home).database(env.postgres(), "cluster").clusterNode(FreePort.onLoopback())
                // Webhook retries after 1, 2 and 3 s, on the node that failed or by the scheduler (every 2 s, on either node).
                .option("spi-jit-columns-store--jpa--scheduler-interval-seconds", "2")
                .option("spi-jit-columns-store--jpa--webhook-retry-seconds", "1,2,3")
                .option("spi-jit-columns-store--jpa--webhook-allowed-private-addresses", "127.0.0.1");
        return TestEnvironment.withOurProvidersAndRealm(node).start();
    }

    private static String token(KeycloakServer node, String user) {
        return TestEnvironment.passwordGrant(node.baseUrl() + "/realms/" + TestEnvironment.REALM, TestEnvironment.CLI_CLIENT,
                user, user, List.of());
    }

    private static String userApi(KeycloakServer node) {
        return node.baseUrl() + "/realms/" + TestEnvironment.REALM + "/jit-columns";
    }

    private static String adminApi(KeycloakServer node) {
        return node.baseUrl() + "/admin/realms/" + TestEnvironment.REALM + "/jit-columns";
    }

    /**
     * The {@code jit_columns} claim of a fresh OIDC token with the {@code jit-columns} scope from this node: its
     * token mapper reads the grants that Keycloak's user cache holds for the user.
     */
    private static JsonNode columnsClaim(KeycloakServer node, String user) throws IOException {
        String token = TestEnvironment.passwordGrant(node.baseUrl() + "/realms/" + TestEnvironment.REALM, TestEnvironment.CLI_CLIENT,
                user, user, List.of("jit-columns"));
        return Http.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1])).path("jit_columns");
    }

    @Test
    void a_grant_approved_or_revoked_on_one_node_decides_the_next_token_on_the_other(TestEnvironment env) throws Exception {
        String user = "analyst";
        assertTrue(columnsClaim(a, user).isMissingNode(), "no grant yet; node a now caches the user with no grants");
        Http.Reply created = Http.post(userApi(a) + "/requests", token(a, user), Jit.emailRequest());
        assertEquals(201, created.status(), created.toString());

        Http.Reply approved = Http.post(adminApi(b) + "/requests/" + created.json().get("id").asText() + "/approve",
                token(b, "owner"), Map.of("comment", "ok"));
        assertEquals(200, approved.status(), approved.toString());
        assertEquals("[\"" + Jit.EMAIL + "\"]", columnsClaim(a, user).path("analytics").toString(),
                "node a's token carries the grant approved on node b");

        Http.Reply revoked = Http.post(adminApi(b) + "/grants/" + approved.json().get("grant").get("id").asText() + "/revoke",
                token(b, "owner"), Map.of("reason", "Investigation closed"));
        assertEquals(200, revoked.status(), revoked.toString());
        assertTrue(columnsClaim(a, user).isMissingNode(), "node a's token no longer carries the grant revoked on node b");
    }

    @Test
    void a_catalog_change_on_one_node_is_in_the_other_nodes_catalog_at_once(TestEnvironment env) {
        String column = Jit.unique("iban").replace('-', '_');
        assertTrue(catalogColumns(b).stream().noneMatch(c -> c.endsWith("." + column)), "node b holds the catalog in memory now");

        Http.Reply added = Http.post(adminApi(a) + "/columns", token(a, "admin"), Jit.body("datasource", "analytics",
                "schema", "public", "table", "invoices", "column", column, "label", "PCI", "policy", "standard"));
        assertEquals(201, added.status(), added.toString());

        assertTrue(catalogColumns(b).contains("public.invoices." + column), catalogColumns(b).toString());
    }

    /**
     * An administrator saves the realm's settings from a page loaded before a catalog change: the realm as they loaded
     * it, attributes and all. The other node, which had not read the catalog since the change, finds it all the same
     * (within the catalog cache's recheck, 5 s).
     */
    @Test
    void a_stale_realm_save_keeps_no_node_on_an_old_catalog(TestEnvironment env) throws InterruptedException {
        String master = TestEnvironment.passwordGrant(a.baseUrl() + "/realms/master", "admin-cli", KeycloakServer.BOOTSTRAP_ADMIN,
                KeycloakServer.DEFAULT_ADMIN_PASSWORD, List.of());
        String realm = a.baseUrl() + "/admin/realms/" + TestEnvironment.REALM;
        JsonNode loaded = Http.get(realm, master).json();
        String column = Jit.unique("vat").replace('-', '_');
        assertTrue(catalogColumns(b).stream().noneMatch(c -> c.endsWith("." + column)), "node b holds the catalog in memory now");

        Http.Reply added = Http.post(adminApi(a) + "/columns", token(a, "admin"), Jit.body("datasource", "analytics",
                "schema", "public", "table", "invoices", "column", column, "label", "PCI", "policy", "standard"));
        assertEquals(201, added.status(), added.toString());
        Http.Reply saved = Http.put(realm, master, loaded);
        assertEquals(204, saved.status(), saved.toString());

        for (KeycloakServer node : List.of(b, a)) {
            Instant giveUp = Instant.now().plusSeconds(15);
            while (!catalogColumns(node).contains("public.invoices." + column) && Instant.now().isBefore(giveUp)) {
                Thread.sleep(250);
            }
            assertTrue(catalogColumns(node).contains("public.invoices." + column), node.baseUrl() + ": " + catalogColumns(node));
        }
    }

    private static List<String> catalogColumns(KeycloakServer node) {
        Http.Reply catalog = Http.get(userApi(node) + "/catalog", token(node, "analyst"));
        assertEquals(200, catalog.status(), catalog.toString());
        List<String> columns = new ArrayList<>();
        for (JsonNode d : catalog.json().get("datasources")) {
            d.get("columns").forEach(c -> columns.add(c.get("schema").asText() + "." + c.get("table").asText() + "." + c.get("column").asText()));
        }
        return columns;
    }

    @Test
    void both_nodes_writing_at_once_keep_one_whole_audit_chain(TestEnvironment env) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> writes = new ArrayList<>();
            for (KeycloakServer node : List.of(a, b, a, b, a, b, a, b)) {
                String analyst = token(node, "analyst");
                writes.add(pool.submit(() -> {
                    int created = 0;
                    for (int i = 0; i < 5; i++) {
                        created += Http.post(userApi(node) + "/requests", analyst, Jit.emailRequest()).status() == 201 ? 1 : 0;
                    }
                    return created;
                }));
            }
            for (Future<Integer> w : writes) {
                assertEquals(5, w.get());
            }
        } finally {
            pool.shutdown();
        }

        for (KeycloakServer node : List.of(a, b)) {
            JsonNode chain = Http.get(adminApi(node) + "/audit/verify", token(node, "admin")).json();
            assertTrue(chain.get("ok").asBoolean(), chain.toString());
            assertEquals(0, chain.get("pending").asInt(), chain.toString());
        }
        JsonNode trail = Http.get(adminApi(b) + "/audit", token(b, "admin")).json();
        long created = 0;
        for (int i = 0; i < trail.size(); i++) {
            assertEquals(i + 1, trail.get(i).get("seq").asLong(), "one chain, no sequence number twice or missing");
            created += "REQUEST_CREATED".equals(trail.get(i).get("action").asText()) ? 1 : 0;
        }
        assertTrue(created >= 40, "the 40 requests of both nodes are in the chain: " + created);
    }

    /**
     * Deliveries whose first attempts fail are retried by the node that made the change and by the scheduler, which
     * runs on either node: each attempt claims its row first, so no delivery is ever posted twice at once, and
     * each is retried on its schedule, not once per node.
     */
    @Test
    void both_nodes_retrying_the_webhook_never_post_one_delivery_twice(TestEnvironment env) throws Exception {
        Map<String, List<Integer>> answered = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicInteger mostAtOnce = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool()); // attempts of one delivery may arrive together
        receiver.createContext("/hooks/jit", exchange -> {
            String id = exchange.getRequestHeaders().getFirst("X-Jit-Columns-Delivery");
            exchange.getRequestBody().readAllBytes();
            int atOnce = inFlight.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            mostAtOnce.accumulateAndGet(atOnce, Math::max);
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<Integer> statuses = answered.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
            int status = statuses.size() < 3 ? 503 : 204; // three failures, then taken
            statuses.add(status);
            inFlight.get(id).decrementAndGet();
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        String webhook = adminApi(a) + "/webhook";
        try {
            assertEquals(200, Http.put(webhook, token(a, "admin"), Map.of("url", "http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hooks/jit", "secret", "a webhook secret for the cluster")).status());
            for (KeycloakServer node : List.of(a, b, a, b)) {
                assertEquals(201, Http.post(userApi(node) + "/requests", token(node, "analyst"), Jit.emailRequest()).status());
            }

            Instant deadline = Instant.now().plusSeconds(60);
            while (!(answered.size() >= 4 && answered.values().stream().allMatch(s -> s.contains(204))) && Instant.now().isBefore(deadline)) {
                Thread.sleep(250);
            }
            Thread.sleep(4_000); // time for a second post, were there one
            assertEquals(4, answered.size(), "one delivery per new request: " + answered);
            answered.forEach((id, statuses) -> assertEquals(List.of(503, 503, 503, 204), statuses, id));
            assertEquals(1, mostAtOnce.get(), "never two attempts of one delivery at once");
        } finally {
            assertEquals(204, Http.delete(webhook, token(a, "admin")).status());
            receiver.stop(0);
        }
    }
}
