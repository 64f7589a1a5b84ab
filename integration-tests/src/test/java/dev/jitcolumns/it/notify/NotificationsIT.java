package dev.jitcolumns.it.notify;

import static dev.jitcolumns.it.support.Jit.EMAIL;
import static dev.jitcolumns.it.support.Jit.SSN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.notify.Mailbox.Received;
import dev.jitcolumns.it.support.Jit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mails a user receives, through a real SMTP server (GreenMail on loopback) that the realm's SMTP settings
 * point at: who is told, the subject, the text naming what was asked, the console link.
 */
@ExtendWith(KeycloakHarness.class)
class NotificationsIT {

    static final String ANALYST = "analyst@acme.example";
    static final String OWNER = "owner@acme.example";
    static final String SECURITY = "security@acme.example";
    static final int SMTP_PORT = freeLoopbackPort();

    /** A fresh, empty SMTP server for every test. */
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    final Mailbox mailbox = new Mailbox(SMTP);
    RealmMailSettings realm;

    @BeforeEach
    void pointTheRealmAtTheSink(TestEnvironment env) {
        realm = new RealmMailSettings(env);
        realm.smtp("127.0.0.1", SMTP_PORT);
    }

    @AfterEach
    void restoreTheRealm() {
        realm.restore();
    }

    static String adminLink(String base, String requestId) {
        return base + "/admin/acme/console/#/acme/jit-columns/requests/" + requestId;
    }

    static String accountLink(TestEnvironment env) {
        return env.keycloakUrl() + "/realms/acme/account/sensitive-data";
    }

    static String id(JsonNode request) {
        return request.get("id").asText();
    }

    @Nested
    class ToDecide {

        @Test
        void a_new_request_goes_to_the_first_stage_approvers_and_not_to_the_requester(TestEnvironment env) throws Exception {
            String id = id(Jit.created(env, "analyst", Jit.ssnRequest()));

            Received mail = mailbox.awaitTo(OWNER, "Access request from analyst to decide: analytics");

            assertTrue(mail.text().contains("analyst asks for access to sensitive columns of analytics for 60 minutes."), mail.text());
            assertTrue(mail.text().contains("Columns: " + SSN), mail.text());
            assertTrue(mail.text().contains("Reason: Investigating fraud case 42"), mail.text());
            assertTrue(mail.text().contains("Ticket: INC-1234"), mail.text());
            assertTrue(mail.text().contains("Stage waiting for you: data-owner"), mail.text());
            assertTrue(mail.text().contains(adminLink(env.keycloakUrl(), id)), mail.text());
            assertTrue(mail.html().contains("href=\"" + adminLink(env.keycloakUrl(), id) + "\""), mail.html());
            assertEquals(List.of(), mailbox.to(ANALYST), "the requester is not asked to decide");
            assertEquals(List.of(), mailbox.to(SECURITY), "the second stage waits for the first");
        }

        @Test
        void an_approved_stage_hands_over_to_the_next_stage_approvers(TestEnvironment env) throws Exception {
            String id = id(Jit.created(env, "analyst", Jit.ssnRequest()));
            mailbox.awaitTo(OWNER, "to decide");

            assertEquals(200, Jit.approve(env, env.tokenOf("owner"), id).status());

            Received mail = mailbox.awaitTo(SECURITY, "Access request from analyst to decide: analytics");
            assertTrue(mail.text().contains("Stage waiting for you: security"), mail.text());
            assertTrue(mail.text().contains(adminLink(env.keycloakUrl(), id)), mail.text());
            assertEquals(1, mailbox.to(OWNER).size(), "who decided the first stage is not asked again: " + mailbox.summary());
            assertEquals(List.of(), mailbox.to(ANALYST), "a stage approved is not final: " + mailbox.summary());
        }

        /** Whoever may decide is told: a holder of the stage's role through a group, or through a composite role. */
        @Test
        void a_role_stage_tells_holders_through_a_group_or_a_composite_role(TestEnvironment env) throws Exception {
            String master = env.masterAdminToken();
            String role = Jit.unique("deciders");
            String composite = Jit.unique("senior");
            for (String r : List.of(role, composite)) {
                assertEquals(201, Http.post(Jit.stockAdmin(env) + "/roles", master, Map.of("name", r)).status());
            }
            JsonNode roleRep = Http.get(Jit.stockAdmin(env) + "/roles/" + role, master).json();
            assertEquals(204, Http.post(Jit.stockAdmin(env) + "/roles/" + composite + "/composites", master, List.of(roleRep)).status());
            String group = Jit.unique("deciding-group");
            String groupId = Jit.createGroup(env, null, group);
            assertEquals(204, Http.post(Jit.stockAdmin(env) + "/groups/" + groupId + "/role-mappings/realm", master,
                    List.of(roleRep)).status());
            String viaGroup = Jit.unique("via-group");
            Jit.createUser(env, viaGroup, "/" + group);
            String viaComposite = Jit.unique("via-composite");
            Jit.addRealmRole(env, Jit.createUser(env, viaComposite), composite);
            String column = Jit.columnWithPolicy(env, null, 1, Map.of("stages",
                    List.of(Jit.body("name", "role stage", "approverRole", role, "minApprovals", 1))));

            Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                    "reason", "Who decides this", "durationMinutes", 30));

            mailbox.awaitTo(viaGroup + "@example.test", "Access request from analyst to decide");
            mailbox.awaitTo(viaComposite + "@example.test", "Access request from analyst to decide");
        }

        @Test
        void an_approver_who_asks_is_not_told_about_their_own_request(TestEnvironment env) throws Exception {
            String requester = Jit.unique("owner-asks");
            Jit.createUser(env, requester, "/data-owners");

            Jit.created(env, requester, Jit.emailRequest());

            mailbox.awaitTo(OWNER, "Access request from " + requester + " to decide");
            assertEquals(List.of(), mailbox.to(requester + "@example.test"));
        }

        @Test
        void an_extension_request_asks_the_approvers_again(TestEnvironment env) throws Exception {
            String id = id(Jit.created(env, "analyst", Jit.emailRequest()));
            assertEquals(200, Jit.approve(env, env.tokenOf("owner"), id).status());
            mailbox.awaitTo(ANALYST, "is approved");

            Http.Reply extension = Http.post(env.userApi() + "/requests/" + id + "/extend", env.tokenOf("analyst"),
                    Map.of("durationMinutes", 30, "reason", "The export takes longer"));
            assertEquals(201, extension.status(), extension.toString());

            Received mail = mailbox.await(m -> m.isFor(OWNER) && m.text().contains("asks to extend"), "the extension mail");
            assertTrue(mail.text().contains("analyst asks to extend their access to sensitive columns of analytics by 30 minutes."), mail.text());
            assertTrue(mail.text().contains("Reason: The export takes longer"), mail.text());
            assertTrue(mail.text().contains(adminLink(env.keycloakUrl(), id(extension.json()))), mail.text());
        }
    }

    @Nested
    class Outcome {

        @Test
        void final_approval_tells_the_requester_when_the_access_ends(TestEnvironment env) throws Exception {
            String id = id(Jit.created(env, "analyst", Jit.emailRequest()));
            Http.Reply approved = Jit.approve(env, env.tokenOf("owner"), id);
            assertEquals(200, approved.status(), approved.toString());
            String end = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                    .format(Instant.parse(approved.json().at("/grant/expiresAt").asText()));

            Received mail = mailbox.awaitTo(ANALYST, "Your access to analytics is approved");

            assertTrue(mail.text().contains("Your request for analytics was approved. Your access ends at " + end + "."), mail.text());
            assertTrue(mail.text().contains("Columns: " + EMAIL), mail.text());
            assertTrue(mail.text().contains(accountLink(env)), mail.text());
        }

        @Test
        void a_denial_tells_the_requester_who_denied_and_why(TestEnvironment env) throws Exception {
            String id = id(Jit.created(env, "analyst", Jit.emailRequest()));
            assertEquals(200, Jit.deny(env, env.tokenOf("owner"), id, "Use the anonymised export").status());

            Received mail = mailbox.awaitTo(ANALYST, "Your access request to analytics was denied");

            assertTrue(mail.text().contains("Your request for analytics was denied by owner."), mail.text());
            assertTrue(mail.text().contains("Comment: Use the anonymised export"), mail.text());
            assertTrue(mail.text().contains(accountLink(env)), mail.text());
        }

        @Test
        void a_revocation_tells_the_holder(TestEnvironment env) throws Exception {
            String id = id(Jit.created(env, "analyst", Jit.emailRequest()));
            String grant = Jit.approve(env, env.tokenOf("owner"), id).json().at("/grant/id").asText();

            Http.Reply revoked = Http.post(env.adminApi() + "/grants/" + grant + "/revoke", env.tokenOf("owner"),
                    Map.of("reason", "Case closed early"));
            assertEquals(200, revoked.status(), revoked.toString());

            Received mail = mailbox.awaitTo(ANALYST, "Your access to analytics was revoked");
            assertTrue(mail.text().contains("Your access to analytics was revoked by owner."), mail.text());
            assertTrue(mail.text().contains("Reason: Case closed early"), mail.text());
        }
    }

    @Nested
    class BreakGlassAndEscalation {

        @Test
        void break_glass_tells_every_stage_approver_at_once_and_flags_the_review(TestEnvironment env) throws Exception {
            String oncall = Jit.unique("oncall"); // break glass lasts: each test activates it for a user of its own
            Jit.createUser(env, oncall);
            String id = id(Jit.created(env, oncall, Jit.body("datasource", "analytics", "columns", List.of(EMAIL),
                    "reason", "Production incident 4711", "ticket", "INC-4711", "durationMinutes", 15, "breakGlass", true)));

            Received mail = mailbox.awaitTo(OWNER, "Break glass: " + oncall + " activated access to analytics, review needed");

            assertTrue(mail.text().contains("The grant is flagged for review."), mail.text());
            assertTrue(mail.text().contains("Columns: " + EMAIL), mail.text());
            assertTrue(mail.text().contains("Reason: Production incident 4711"), mail.text());
            assertTrue(mail.text().contains("Ticket: INC-4711"), mail.text());
            assertTrue(mail.text().contains(adminLink(env.keycloakUrl(), id)), mail.text());
            assertEquals(List.of(), mailbox.to(oncall + "@example.test"));
        }

        @Test
        void a_request_waiting_too_long_is_mailed_to_the_escalation_group(TestEnvironment env) throws Exception {
            String governance = Jit.unique("gov");
            Jit.createGroup(env, null, governance);
            String reviewer = Jit.unique("reviewer");
            Jit.createUser(env, reviewer, "/" + governance);
            String column = Jit.columnWithPolicy(env, "/data-owners", 1,
                    Map.of("escalateAfterMinutes", 60, "escalationGroup", "/" + governance));
            // The scheduler has no HTTP request to take the server's URL from: the realm's Frontend URL gives it.
            String frontend = env.keycloakUrl().replace("127.0.0.1", "localhost");
            realm.frontendUrl(frontend);
            String id = id(Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                    "reason", "Quarterly audit sample", "ticket", "AUD-7", "durationMinutes", 30)));

            Jit.passDeadline(env, "JIT_REQUEST", "escalate_at", id);

            Received mail = mailbox.awaitTo(reviewer + "@example.test", "Waiting for a decision: access request from analyst to analytics");
            assertTrue(mail.text().contains("Columns: " + column), mail.text());
            assertTrue(mail.text().contains("Reason: Quarterly audit sample"), mail.text());
            assertTrue(mail.text().contains("Ticket: AUD-7"), mail.text());
            assertTrue(mail.text().contains(adminLink(frontend, id)), mail.text());
            assertEquals(List.of(), mailbox.to(ANALYST));
        }
    }

    @Nested
    class Delivery {

        @Test
        void a_realm_without_smtp_server_sends_nothing(TestEnvironment env) throws Exception {
            realm.noSmtp();
            String silent = id(Jit.created(env, "analyst", Jit.ssnRequest()));

            realm.smtp("127.0.0.1", SMTP_PORT);
            String told = id(Jit.created(env, "analyst", Jit.ssnRequest()));

            // Each mail is sent before its request's response: once the second arrived, the first would have too.
            mailbox.await(m -> m.isFor(OWNER) && m.text().contains(told), "the mail of the request made with SMTP");
            assertTrue(mailbox.all().stream().noneMatch(m -> m.text().contains(silent)), mailbox.summary());
        }

        @Test
        void an_unreachable_smtp_server_fails_no_change(TestEnvironment env) throws Exception {
            realm.smtp("127.0.0.1", freeLoopbackPort());

            Http.Reply created = Jit.create(env, "analyst", Jit.ssnRequest());
            assertEquals(201, created.status(), created.toString());
            Http.Reply approved = Jit.approve(env, env.tokenOf("owner"), id(created.json()));
            assertEquals(200, approved.status(), approved.toString());
            assertEquals("security", approved.json().get("currentStage").asText());

            realm.smtp("127.0.0.1", SMTP_PORT);
            String told = id(Jit.created(env, "analyst", Jit.ssnRequest()));
            mailbox.await(m -> m.isFor(OWNER) && m.text().contains(told), "the mail once SMTP is reachable again");
            assertTrue(mailbox.all().stream().noneMatch(m -> m.text().contains(id(created.json()))), mailbox.summary());
        }

        @Test
        void a_realm_with_another_email_theme_still_gets_the_jit_columns_mails(TestEnvironment env) throws Exception {
            realm.emailTheme("keycloak");

            String id = id(Jit.created(env, "analyst", Jit.ssnRequest()));

            Received mail = mailbox.awaitTo(OWNER, "Access request from analyst to decide: analytics");
            assertTrue(mail.text().contains("Reason: Investigating fraud case 42"), mail.text());
            assertTrue(mail.text().contains(adminLink(env.keycloakUrl(), id)), mail.text());
            assertNotNull(mail.html(), "html and text, like every Keycloak mail");
        }
    }

    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
