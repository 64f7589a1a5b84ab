package dev.jitcolumns.it.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hash-chained audit trail: export, time filter, verification against tampering in PostgreSQL, admin events. */
@ExtendWith(KeycloakHarness.class)
class AuditIT {

    static JsonNode verify(TestEnvironment env) {
        Http.Reply reply = Http.get(env.adminApi() + "/audit/verify", env.tokenOf("admin"));
        assertEquals(200, reply.status(), reply.toString());
        return reply.json();
    }


    @Nested
    class Export {

        @Test
        void every_step_is_a_chained_entry(TestEnvironment env) {
            Instant from = Instant.now().minusSeconds(1);
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            Jit.approve(env, env.tokenOf("owner"), id);

            Http.Reply reply = Http.get(env.adminApi() + "/audit?from=" + from, env.tokenOf("admin"));

            assertEquals(200, reply.status(), reply.toString());
            JsonNode entries = reply.json();
            String prev = null;
            int mine = 0;
            for (JsonNode e : entries) {
                if (prev != null) {
                    assertEquals(prev, e.get("prevHash").asText(), "each entry holds the previous hash");
                }
                prev = e.get("hash").asText();
                assertEquals(64, prev.length());
                mine += id.equals(e.path("requestId").asText()) ? 1 : 0;
            }
            assertEquals(3, mine, "created, approved, grant created: " + entries);

            Http.Reply none = Http.get(env.adminApi() + "/audit?to=2000-01-01T00:00:00Z", env.tokenOf("admin"));
            assertEquals(0, none.json().size());
        }

        @Test
        void a_change_is_sealed_into_the_chain_without_anyone_reading_it(TestEnvironment env) throws Exception {
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            Jit.approve(env, env.tokenOf("owner"), id);

            // By the sealer, about 50 ms after the commit, or else by the scheduler's catch-up (every 2 s in these tests).
            long sealed = 0;
            try (Connection c = env.keycloakDatabase();
                 PreparedStatement ps = c.prepareStatement("select count(*) from JIT_AUDIT where request_id = ?"
                         + " and seq is not null and length(hash) = 64 and length(prev_hash) = 64")) {
                ps.setString(1, id);
                for (long deadline = System.nanoTime() + 10_000_000_000L; sealed < 3 && System.nanoTime() < deadline; ) {
                    Thread.sleep(50);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        sealed = rs.getLong(1);
                    }
                }
            }
            assertEquals(3, sealed, "created, approved, grant created: sealed");
            assertTrue(verify(env).get("ok").asBoolean());
        }

        @Test
        void pages_follow_the_chain_and_together_are_the_whole_export(TestEnvironment env) {
            String admin = env.tokenOf("admin");
            Jit.created(env, "analyst", Jit.emailRequest()); // at least a few entries in any run order
            List<JsonNode> whole = sealed(Http.get(env.adminApi() + "/audit", admin).json());
            assertTrue(whole.size() >= 3, whole.toString());

            List<JsonNode> paged = new ArrayList<>();
            for (int first = 0; first < whole.size(); first += 2) {
                JsonNode page = Http.get(env.adminApi() + "/audit?first=" + first + "&max=2", admin).json();
                assertTrue(page.size() == 2 || page.size() == 1 && first == whole.size() - 1, "first=" + first + ": " + page);
                paged.addAll(sealed(page));
            }

            // Entries the scheduler writes meanwhile are chained after these: the pages start as the export did,
            // entry for entry (the export is streamed, the pages are not: one shape all the same).
            assertEquals(whole, paged.subList(0, whole.size()));
        }

        /**
         * An export is streamed a page of 1,000 entries at a time: a range across several pages comes whole, in chain
         * order, once each, in JSON and in CSV.
         */
        @Test
        void an_export_longer_than_a_page_comes_whole_and_in_chain_order(TestEnvironment env) throws Exception {
            Instant first = Instant.parse("2026-01-01T00:00:00Z");
            try (SeededRealm realm = new SeededRealm(env, 2500, first, 1000)) { // entry n at first + (n - 1) s
                String range = "from=" + first.plusSeconds(699) + "&to=" + first.plusSeconds(2300); // entries 700 to 2300

                JsonNode json = Http.get(realm.api + "/audit?" + range, realm.master).json();
                assertEquals(1601, json.size());
                for (int i = 0; i < json.size(); i++) {
                    JsonNode e = json.get(i);
                    assertEquals(700 + i, e.get("seq").asLong(), "sealed in insertion order, exported in chain order");
                    assertEquals("{\"n\":" + (700 + i) + "}", e.get("details").asText());
                    assertEquals(first.plusSeconds(699 + i).toString(), e.get("at").asText());
                    if (i > 0) {
                        assertEquals(json.get(i - 1).get("hash").asText(), e.get("prevHash").asText());
                    }
                }

                Http.Reply csv = Http.get(realm.api + "/audit?format=csv&" + range, realm.master);
                assertEquals(200, csv.status(), csv.toString());
                String[] lines = csv.body().split("\r\n");
                assertEquals(1 + 1601, lines.length);
                for (int i = 0; i < json.size(); i++) {
                    assertTrue(lines[1 + i].startsWith((700 + i) + "," + first.plusSeconds(699 + i) + ","), lines[1 + i]);
                    assertTrue(lines[1 + i].endsWith("," + json.get(i).get("prevHash").asText() + "," + json.get(i).get("hash").asText()),
                            lines[1 + i]);
                }

                assertEquals(2500, Http.get(realm.api + "/audit", realm.master).json().size(), "without a range: the whole chain");
            }
        }

        /**
         * An exporter's cursor: the sealed entries after the last sequence number it took, across pages, also one
         * sealed after entries of a later time (a node's clock behind), which a time window after the last export misses.
         */
        @Test
        void an_exporter_resumes_after_the_last_sequence_number_it_took(TestEnvironment env) throws Exception {
            Instant first = Instant.parse("2026-01-01T00:00:00Z");
            try (SeededRealm realm = new SeededRealm(env, 2500, first, 1000)) {
                JsonNode rest = Http.get(realm.api + "/audit?afterSeq=1200", realm.master).json();
                assertEquals(1300, rest.size());
                for (int i = 0; i < rest.size(); i++) {
                    assertEquals(1201 + i, rest.get(i).get("seq").asLong());
                }

                realm.append(first); // committed now, stamped by a clock far behind
                String lastWindow = "from=" + first.plusSeconds(2500);
                assertEquals(0, Http.get(realm.api + "/audit?" + lastWindow, realm.master).json().size(), "a window misses it");
                JsonNode next = Http.get(realm.api + "/audit?afterSeq=2500", realm.master).json();
                assertEquals(1, next.size(), next.toString());
                assertEquals(2501, next.get(0).get("seq").asLong());
                assertEquals(rest.get(rest.size() - 1).get("hash").asText(), next.get(0).get("prevHash").asText());
                assertEquals(List.of(2499L, 2500L), Jit.texts(Http.get(realm.api + "/audit?afterSeq=2498&max=2", realm.master).json(), "/seq")
                        .stream().map(Long::valueOf).toList(), "a page after the cursor");

                Map<String, String> refusedFor = Map.of("afterSeq=-1", "afterSeq", "afterSeq=last", "afterSeq",
                        "afterSeq=10&first=5", "first", "afterSeq=10&" + lastWindow, "from");
                refusedFor.forEach((bad, field) -> {
                    Http.Reply refused = Http.get(realm.api + "/audit?" + bad, realm.master);
                    assertEquals(400, refused.status(), bad + ": " + refused);
                    assertEquals(field, refused.json().get("field").asText(), bad);
                });
            }
        }

        /** The sealed entries (a pending one, committed while reading, has no sequence number yet). */
        private static List<JsonNode> sealed(JsonNode entries) {
            List<JsonNode> sealed = new ArrayList<>();
            entries.forEach(e -> {
                if (!e.path("seq").isNull() && !e.path("seq").isMissingNode()) {
                    sealed.add(e);
                }
            });
            return sealed;
        }

        @Test
        void csv_export(TestEnvironment env) {
            Http.Reply csv = Http.get(env.adminApi() + "/audit?format=csv", env.tokenOf("admin"));

            assertEquals(200, csv.status(), csv.toString());
            assertTrue(csv.header("Content-Type").startsWith("text/csv"), csv.header("Content-Type"));
            assertTrue(csv.body().startsWith("seq,at,actorId,actorUsername,action,requestId,grantId,details,prevHash,hash\r\n"));
            assertTrue(csv.body().contains("\"CATALOG_SEEDED\""), "the seeding is audited");
        }

        @Test
        void bad_parameters_and_non_managers_are_refused(TestEnvironment env) {
            Http.Reply bad = Http.get(env.adminApi() + "/audit?from=yesterday", env.tokenOf("admin"));
            assertEquals(400, bad.status());
            assertEquals("from", bad.json().get("field").asText());
            assertEquals("format", Http.get(env.adminApi() + "/audit?format=xml", env.tokenOf("admin")).json().get("field").asText());
            assertEquals(403, Http.get(env.adminApi() + "/audit", env.tokenOf("owner")).status());
            assertEquals(403, Http.get(env.adminApi() + "/audit/verify", env.tokenOf("analyst")).status());
        }
    }

    @Nested
    class Tampering {

        @Test
        void an_edited_or_deleted_entry_is_detected(TestEnvironment env) throws Exception {
            Jit.created(env, "analyst", Jit.emailRequest());
            JsonNode ok = verify(env);
            assertTrue(ok.get("ok").asBoolean(), ok.toString());
            long entries = ok.get("entries").asLong();
            assertTrue(entries >= 2);
            long victim = entries - 1;

            try (Connection c = env.keycloakDatabase()) {
                String original;
                try (PreparedStatement ps = c.prepareStatement(
                        "select details from JIT_AUDIT where seq = ? and realm_id = (select id from REALM where name = 'acme')")) {
                    ps.setLong(1, victim);
                    ResultSet rs = ps.executeQuery();
                    assertTrue(rs.next());
                    original = rs.getString(1);
                }
                update(c, "update JIT_AUDIT set details = '{\"edited\":true}' where seq = ? and realm_id = (select id from REALM where name = 'acme')", victim);
                JsonNode edited = verify(env);
                assertFalse(edited.get("ok").asBoolean(), edited.toString());
                assertEquals(victim, edited.get("brokenAt").asLong());
                assertTrue(edited.get("problem").asText().contains("altered"), edited.toString());

                try (PreparedStatement ps = c.prepareStatement(
                        "update JIT_AUDIT set details = ? where seq = ? and realm_id = (select id from REALM where name = 'acme')")) {
                    ps.setString(1, original);
                    ps.setLong(2, victim);
                    ps.executeUpdate();
                }
                assertTrue(verify(env).get("ok").asBoolean(), "restored");

                update(c, "create temporary table saved as select * from JIT_AUDIT where seq = ? and realm_id = (select id from REALM where name = 'acme')", victim);
                update(c, "delete from JIT_AUDIT where seq = ? and realm_id = (select id from REALM where name = 'acme')", victim);
                JsonNode deleted = verify(env);
                assertFalse(deleted.get("ok").asBoolean(), deleted.toString());
                assertTrue(deleted.get("problem").asText().contains("missing"), deleted.toString());
                c.createStatement().execute("insert into JIT_AUDIT select * from saved");
                assertTrue(verify(env).get("ok").asBoolean(), "restored");
            }
        }

        @Test
        void an_entry_committed_but_never_sealed_is_sealed_before_the_chain_is_read(TestEnvironment env) throws Exception {
            long before = verify(env).get("entries").asLong();
            try (Connection c = env.keycloakDatabase();
                 PreparedStatement ps = c.prepareStatement("insert into JIT_AUDIT (realm_id, at, actor_username, action, details)"
                         + " select id, ?, 'system', 'TEST_LEFT_UNSEALED', '{}' from REALM where name = 'acme'")) {
                // What a node stopped between its commit and its seal leaves behind: a row without seq and hashes.
                ps.setLong(1, System.currentTimeMillis());
                assertEquals(1, ps.executeUpdate());
            }

            JsonNode after = verify(env);

            assertTrue(after.get("ok").asBoolean(), after.toString());
            assertEquals(0, after.get("pending").asLong(), after.toString());
            assertTrue(after.get("entries").asLong() >= before + 1, after.toString());
            boolean sealed = false;
            for (JsonNode e : Http.get(env.adminApi() + "/audit", env.tokenOf("admin")).json()) {
                sealed |= e.get("action").asText().equals("TEST_LEFT_UNSEALED") && e.path("hash").asText().length() == 64
                        && e.path("seq").asLong() > before;
            }
            assertTrue(sealed, "the left-over entry is in the chain");
        }

        private void update(Connection c, String sql, long seq) throws Exception {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, seq);
                ps.executeUpdate();
            }
        }
    }

    @Nested
    class NewRealm {
        @Test
        void the_first_writes_and_reads_racing_for_a_new_chain_all_succeed_and_chain_once(TestEnvironment env) throws Exception {
            String realm = Jit.unique("audit");
            String master = env.masterAdminToken();
            assertEquals(201, Http.post(env.keycloakUrl() + "/admin/realms", master, Map.of("realm", realm, "enabled", true)).status());
            String api = env.keycloakUrl() + "/admin/realms/" + realm + "/jit-columns";

            ExecutorService pool = Executors.newFixedThreadPool(12);
            try {
                List<Future<Http.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String id = "ds" + i;
                    replies.add(pool.submit(() -> Http.post(api + "/datasources", master, Map.of("id", id, "name", id))));
                }
                for (int i = 0; i < 4; i++) {
                    replies.add(pool.submit(() -> Http.get(api + "/audit", master)));
                }
                for (var reply : replies) {
                    int status = reply.get().status();
                    assertTrue(status == 200 || status == 201, reply.get().toString());
                }
            } finally {
                pool.shutdownNow();
            }

            JsonNode chain = Http.get(api + "/audit/verify", master).json();
            assertTrue(chain.get("ok").asBoolean(), chain.toString());
            assertEquals(8, chain.get("entries").asInt(), chain.toString());
        }

        /** Verification reads the chain in pages of 1,000: a chain longer than a page, and a break past the first. */
        @Test
        void a_chain_longer_than_a_page_verifies_and_an_entry_altered_on_a_later_page_is_found(TestEnvironment env) throws Exception {
            try (SeededRealm realm = new SeededRealm(env, 2500, Instant.now(), 0)) {
                JsonNode chain = Http.get(realm.api + "/audit/verify", realm.master).json();
                assertTrue(chain.get("ok").asBoolean(), chain.toString());
                assertEquals(2500, chain.get("entries").asInt(), chain.toString());
                assertEquals(0, chain.get("pending").asInt(), chain.toString());

                try (Connection c = env.keycloakDatabase();
                     PreparedStatement ps = c.prepareStatement("update JIT_AUDIT set details = '{}' where realm_id = ? and seq = 2100")) {
                    ps.setString(1, realm.id);
                    assertEquals(1, ps.executeUpdate());
                }
                JsonNode broken = Http.get(realm.api + "/audit/verify", realm.master).json();
                assertFalse(broken.get("ok").asBoolean(), broken.toString());
                assertEquals(2100, broken.get("brokenAt").asLong(), broken.toString());
                assertEquals(2099, broken.get("entries").asLong(), broken.toString());
            }
        }

        /** The head is a row of the same database: moved back or deleted, it must not hide the entries after it. */
        @Test
        void a_head_moved_back_or_deleted_does_not_hide_the_tail(TestEnvironment env) throws Exception {
            try (SeededRealm realm = new SeededRealm(env, 30, Instant.now(), 0)) {
                assertTrue(Http.get(realm.api + "/audit/verify", realm.master).json().get("ok").asBoolean());
                try (Connection c = env.keycloakDatabase()) {
                    try (PreparedStatement ps = c.prepareStatement("update JIT_AUDIT_HEAD h set seq = 20, hash = "
                            + "(select a.hash from JIT_AUDIT a where a.realm_id = h.realm_id and a.seq = 20) where h.realm_id = ?")) {
                        ps.setString(1, realm.id);
                        assertEquals(1, ps.executeUpdate());
                    }
                    JsonNode movedBack = Http.get(realm.api + "/audit/verify", realm.master).json();
                    assertFalse(movedBack.get("ok").asBoolean(), movedBack.toString());
                    assertTrue(movedBack.get("problem").asText().contains("head is entry 20"), movedBack.toString());

                    try (PreparedStatement ps = c.prepareStatement("delete from JIT_AUDIT_HEAD where realm_id = ?")) {
                        ps.setString(1, realm.id);
                        assertEquals(1, ps.executeUpdate());
                    }
                    JsonNode deleted = Http.get(realm.api + "/audit/verify", realm.master).json();
                    assertFalse(deleted.get("ok").asBoolean(), deleted.toString());
                    assertEquals(30, deleted.get("entries").asInt(), deleted.toString());
                }
            }
        }
    }

    /**
     * A new realm whose trail holds {@code entries} entries written as a change writes them, unsealed (the first
     * read seals them, with the product's code), entry n (from 1) at {@code firstAt} + (n - 1) * {@code stepMillis}.
     * Removed again on close.
     */
    static final class SeededRealm implements AutoCloseable {
        final TestEnvironment env;
        final String master;
        final String name = Jit.unique("long-audit");
        final String id;
        final String api;

        SeededRealm(TestEnvironment env, int entries, Instant firstAt, long stepMillis) throws Exception {
            this.env = env;
            this.master = env.masterAdminToken();
            assertEquals(201, Http.post(env.keycloakUrl() + "/admin/realms", master, Map.of("realm", name, "enabled", true)).status());
            this.id = Http.get(env.keycloakUrl() + "/admin/realms/" + name, master).json().get("id").asText();
            this.api = env.keycloakUrl() + "/admin/realms/" + name + "/jit-columns";
            try (Connection c = env.keycloakDatabase();
                 PreparedStatement ps = c.prepareStatement("insert into JIT_AUDIT (realm_id, at, actor_username, action, details)"
                         + " values (?, ?, 'seeded', 'SEEDED', ?)")) {
                for (int n = 1; n <= entries; n++) {
                    ps.setString(1, id);
                    ps.setLong(2, firstAt.toEpochMilli() + (n - 1) * stepMillis);
                    ps.setString(3, "{\"n\":" + n + "}");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }

        /** One more entry, committed now and not yet sealed, stamped {@code at}. */
        void append(Instant at) throws Exception {
            try (Connection c = env.keycloakDatabase();
                 PreparedStatement ps = c.prepareStatement("insert into JIT_AUDIT (realm_id, at, actor_username, action, details)"
                         + " values (?, ?, 'seeded', 'SEEDED', '{}')")) {
                ps.setString(1, id);
                ps.setLong(2, at.toEpochMilli());
                ps.executeUpdate();
            }
        }

        @Override
        public void close() {
            assertEquals(204, Http.delete(env.keycloakUrl() + "/admin/realms/" + name, master).status());
        }
    }

    @Nested
    class KeycloakEvents {

        @Test
        void changes_are_admin_events_of_resource_type_custom(TestEnvironment env) {
            String realm = Jit.stockAdmin(env);
            String master = env.masterAdminToken();
            assertEquals(204, Http.put(realm, master, Map.of("adminEventsEnabled", true, "adminEventsDetailsEnabled", true)).status());
            String id = Jit.created(env, "analyst", Jit.emailRequest()).get("id").asText();
            Jit.approve(env, env.tokenOf("owner"), id);

            JsonNode events = Http.get(realm + "/admin-events?resourceTypes=CUSTOM&max=100", master).json();

            boolean created = false;
            boolean approved = false;
            for (JsonNode e : events) {
                String path = e.get("resourcePath").asText();
                created |= path.equals("jit-columns/requests/" + id) && e.get("operationType").asText().equals("CREATE");
                approved |= path.equals("jit-columns/requests/" + id) && e.get("operationType").asText().equals("ACTION");
            }
            assertTrue(created && approved, events.toString());
        }
    }
}
