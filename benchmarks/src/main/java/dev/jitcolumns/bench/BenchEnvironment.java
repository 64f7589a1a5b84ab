package dev.jitcolumns.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jitcolumns.launcher.EmbeddedPostgresServer;
import dev.jitcolumns.launcher.KeycloakServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** An embedded PostgreSQL and Keycloak with the extension and the acme realm, seeded with a realistic load. */
final class BenchEnvironment implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int REQUESTS = Integer.getInteger("bench.requests", 100_000);
    static final int GRANTS = Integer.getInteger("bench.grants", 10_000);

    final EmbeddedPostgresServer postgres;
    final KeycloakServer keycloak;
    final CpuMeter cpu;
    /** Seeded requests whose current stage the demo user owner decides. */
    final Queue<String> pendingForOwners = new ConcurrentLinkedQueue<>();

    private BenchEnvironment(EmbeddedPostgresServer postgres, KeycloakServer keycloak) throws SQLException {
        this.postgres = postgres;
        this.keycloak = keycloak;
        this.cpu = new CpuMeter(keycloak.process(), postmaster(postgres));
    }

    static BenchEnvironment startSeeded() throws Exception {
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary();
        try {
            KeycloakServer.Builder kc = KeycloakServer.builder(Path.of(System.getProperty("keycloak.home")))
                    .production()
                    .database(pg, "keycloak")
                    .importRealm(Path.of(System.getProperty("jit.realm-config"), "acme-realm.json"));
            try (Stream<Path> jars = Files.list(Path.of(System.getProperty("jit.providers")))) {
                jars.filter(p -> p.toString().endsWith(".jar")).forEach(kc::provider);
            }
            System.out.println("Starting Keycloak ...");
            BenchEnvironment env = new BenchEnvironment(pg, kc.start());
            env.seed();
            return env;
        } catch (Exception e) {
            pg.close();
            throw e;
        }
    }

    /** A backend's parent is the postmaster. */
    private static ProcessHandle postmaster(EmbeddedPostgresServer postgres) throws SQLException {
        try (Connection c = postgres.connect("postgres"); ResultSet rs = c.createStatement().executeQuery("select pg_backend_pid()")) {
            rs.next();
            return ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent)
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL's postmaster is not visible from here"));
        }
    }

    String realmUrl() {
        return keycloak.baseUrl() + "/realms/acme";
    }

    String adminRealm() {
        return keycloak.baseUrl() + "/admin/realms/acme";
    }

    String adminApi() {
        return adminRealm() + "/jit-columns";
    }

    /** A demo user's id, looked up with Keycloak's admin API. */
    String userId(String username) throws Exception {
        String users = send(get(adminRealm() + "/users?exact=true&username=" + username, accessToken("admin")), 200).body();
        return JSON.readTree(users).get(0).get("id").asText();
    }

    /** A token of the master realm's bootstrap administrator, for setting the benchmark's realm up. */
    String masterAdminToken() throws Exception {
        HttpRequest request = form(keycloak.baseUrl() + "/realms/master/protocol/openid-connect/token", Map.of("grant_type",
                "password", "client_id", "admin-cli", "username", KeycloakServer.BOOTSTRAP_ADMIN,
                "password", KeycloakServer.DEFAULT_ADMIN_PASSWORD));
        return JSON.readTree(send(request, 200).body()).get("access_token").asText();
    }

    /** Sends a set-up call; any other status than {@code expected} stops the benchmark. */
    static HttpResponse<String> send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> r = Load.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    /** The token endpoint's JSON answer for a password grant of a demo user (password = user name). */
    Map<?, ?> passwordGrant(String user, String scope) throws Exception {
        HttpResponse<String> r = Load.HTTP.send(passwordGrantRequest(user, scope), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("password grant of " + user + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readValue(r.body(), Map.class);
    }

    String accessToken(String user) throws Exception {
        return (String) passwordGrant(user, "openid").get("access_token");
    }

    HttpRequest passwordGrantRequest(String user, String scope) {
        return form(realmUrl() + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "jit-columns-cli", "username", user, "password", user, "scope", scope));
    }

    HttpRequest refreshGrantRequest(String refreshToken) {
        return form(realmUrl() + "/protocol/openid-connect/token", Map.of("grant_type", "refresh_token",
                "client_id", "jit-columns-cli", "refresh_token", refreshToken));
    }

    static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build();
    }

    static HttpRequest post(String url, String token, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpRequest form(String url, Map<String, String> fields) {
        String encoded = fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded)).build();
    }

    private static String topLevelGroupId(Connection c, String realmId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from keycloak_group where realm_id = ? and name = ? and parent_group = ' '")) {
            ps.setString(1, realmId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("The demo realm has no group /" + name);
                }
                return rs.getString(1);
            }
        }
    }

    /**
     * 100,000 requests (the first 10,000 approved with an active grant, 1,000 pending for /data-owners, 4,000 for
     * the security officers, the rest ended) for 1,000 synthetic users, the decisions of the decided ones and the audit
     * trail of all of it, written with SQL in a few seconds.
     */
    private void seed() throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = postgres.connect("keycloak")) {
            String realmId;
            try (ResultSet rs = c.createStatement().executeQuery("select id from realm where name = 'acme'")) {
                rs.next();
                realmId = rs.getString(1);
            }
            String owners = "group:" + topLevelGroupId(c, realmId, "data-owners");
            String officers = "group:" + topLevelGroupId(c, realmId, "security-officers");
            String stages = "[{\"name\":\"data-owner\",\"approverGroup\":\"/data-owners\",\"approverId\":\""
                    + owners.substring("group:".length()) + "\",\"approverRole\":null,\"minApprovals\":1}]";
            long now = System.currentTimeMillis();
            // 100,000 requests: the first GRANTS approved with an active grant, 1,000 pending for /data-owners,
            // 4,000 pending for the security officers, the rest ended (expired, denied, cancelled).
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into jit_request (id, version, realm_id, requester_id, requester_username, datasource_id, columns,
                      reason, ticket, duration_minutes, break_glass, status, current_stage, current_approver, stages,
                      created_at, decided_at, extends_grant_id, grant_id, timeout_at, escalate_at, escalated)
                    select 'bench-r-' || i, 0, ?, 'bench-user-' || (i % 1000), 'bench' || (i % 1000), 'analytics',
                      'public.customers.email', 'seeded for the benchmark', null, 60, false,
                      case when i <= ? then 'APPROVED' when i <= ? + 1000 then 'PENDING' when i <= ? + 5000 then 'PENDING'
                           when i % 3 = 0 then 'EXPIRED' when i % 3 = 1 then 'DENIED' else 'CANCELLED' end,
                      0,
                      case when i <= ? then null when i <= ? + 1000 then ? when i <= ? + 5000 then ? else null end,
                      ?, ? - i * 1000, null, null, case when i <= ? then 'bench-g-' || i else null end, null, null, false
                    from generate_series(1, ?) i""")) {
                int k = 1;
                ps.setString(k++, realmId);
                for (int j = 0; j < 3; j++) {
                    ps.setInt(k++, GRANTS);
                }
                ps.setInt(k++, GRANTS);
                ps.setInt(k++, GRANTS);
                ps.setString(k++, owners);
                ps.setInt(k++, GRANTS);
                ps.setString(k++, officers);
                ps.setString(k++, stages);
                ps.setLong(k++, now);
                ps.setInt(k++, GRANTS);
                ps.setInt(k, REQUESTS);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into jit_grant (id, realm_id, request_id, user_id, username, datasource_id, columns, starts_at,
                      expires_at, revoked_at, revoked_by, revoke_reason, break_glass, review_required, closed)
                    select 'bench-g-' || i, ?, 'bench-r-' || i, 'bench-user-' || (i % 1000), 'bench' || (i % 1000), 'analytics',
                      'public.customers.email', ?, ? + 86400000, null, null, null, false, false, false
                    from generate_series(1, ?) i""")) {
                ps.setString(1, realmId);
                ps.setLong(2, now);
                ps.setLong(3, now);
                ps.setInt(4, GRANTS);
                ps.executeUpdate();
            }
            // The decisions that ended the approved and denied requests, one each, so that the inbox's "not decided
            // by me yet" check runs against a realistic table and its statistics.
            c.createStatement().executeUpdate("""
                    insert into jit_decision (id, request_id, stage_index, stage_name, approver_id, approver_username, decision,
                      comment, at)
                    select 'bench-d-' || substr(id, 9), id, 0, 'data-owner', 'bench-approver-' || (substr(id, 9)::int % 50),
                      'bench-approver', case when status = 'DENIED' then 'DENIED' else 'APPROVED' end, null, created_at + 60000
                    from jit_request where status in ('APPROVED', 'DENIED', 'EXPIRED')""");
            // Who answers for each request's stages (all seeded requests share the one stage above).
            try (PreparedStatement ps = c.prepareStatement("insert into jit_request_approver (request_id, approver_key)"
                    + " select id, ? from jit_request")) {
                ps.setString(1, owners);
                ps.executeUpdate();
            }
            c.createStatement().executeUpdate("update jit_request set decision_count = 1, decided_at = created_at + 60000"
                    + " where status in ('APPROVED', 'DENIED', 'EXPIRED')");
            // The audit trail those requests left (created, decided, grant created), sealed, so that the audit table
            // has the size and the statistics of a database that lived through them. Not a chain that verifies: the
            // hashes are placeholders, only the shape of the rows matters here.
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into jit_audit (realm_id, seq, at, actor_id, actor_username, action, request_id, grant_id, details,
                      prev_hash, hash)
                    select ?, h.seq + row_number() over (order by e.at, e.request_id, e.action), e.at, e.actor_id,
                      e.actor_username, e.action, e.request_id, e.grant_id, '{"seeded":true}', repeat('0', 64),
                      encode(sha256(convert_to(e.request_id || e.action, 'UTF8')), 'hex')
                    from jit_audit_head h, (
                      select id as request_id, null as grant_id, 'REQUEST_CREATED' as action, created_at as at,
                        requester_id as actor_id, requester_username as actor_username from jit_request
                      union all
                      select request_id, null, case decision when 'DENIED' then 'REQUEST_DENIED' else 'REQUEST_APPROVED' end,
                        at, approver_id, approver_username from jit_decision
                      union all
                      select request_id, id, 'GRANT_CREATED', starts_at, null, 'bench-approver' from jit_grant) e
                    where h.realm_id = ?""")) {
                ps.setString(1, realmId);
                ps.setString(2, realmId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update jit_audit_head set (seq, hash) = (select seq, hash from jit_audit"
                    + " where realm_id = ? order by seq desc limit 1) where realm_id = ?")) {
                ps.setString(1, realmId);
                ps.setString(2, realmId);
                ps.executeUpdate();
            }
            c.createStatement().execute("analyze jit_audit");
            try (PreparedStatement ps = c.prepareStatement("select id from jit_request where current_approver = ?")) {
                ps.setString(1, owners);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pendingForOwners.add(rs.getString(1));
                    }
                }
            }
            c.createStatement().execute("vacuum analyze jit_request");
            c.createStatement().execute("analyze jit_grant");
            c.createStatement().execute("analyze jit_decision");
            c.createStatement().execute("analyze jit_request_approver");
            try (ResultSet rs = c.createStatement().executeQuery("select (select count(*) from jit_request), "
                    + "(select count(*) from jit_grant where revoked_at is null and expires_at > " + now + "), "
                    + "(select count(*) from jit_decision), (select count(*) from jit_audit)")) {
                rs.next();
                System.out.printf("Seeded %,d requests, %,d active grants, %,d decisions and %,d audit entries in %.1f s%n",
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    @Override
    public void close() {
        try {
            keycloak.close();
        } finally {
            postgres.close();
        }
    }
}
