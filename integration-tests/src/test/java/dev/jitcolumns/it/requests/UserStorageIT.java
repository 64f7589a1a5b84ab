package dev.jitcolumns.it.requests;

import static dev.jitcolumns.it.requests.GrantsIT.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Users that only user storage holds, as with LDAP without import: Keycloak keeps no row of them, so a directory that
 * disables one tells Keycloak nothing. The provider is the tests' own ({@code test-user-storage}): a users file that
 * a test rewrites as an administrator would change the directory.
 */
@ExtendWith(KeycloakHarness.class)
class UserStorageIT {

    private Path usersFile;
    private String componentUrl;

    @BeforeEach
    void federate(TestEnvironment env) throws Exception {
        usersFile = Files.createTempFile("jit-users", ".txt");
        String realmId = Http.get(Jit.stockAdmin(env), env.masterAdminToken()).json().get("id").asText();
        Http.Reply created = Http.post(Jit.stockAdmin(env) + "/components", env.masterAdminToken(), Map.of(
                "name", Jit.unique("directory"), "providerId", "jit-test-users-file",
                "providerType", "org.keycloak.storage.UserStorageProvider", "parentId", realmId,
                // no cache, so that Keycloak sees each change of the file at once
                "config", Map.of("path", List.of(usersFile.toString()), "cachePolicy", List.of("NO_CACHE"),
                        "enabled", List.of("true"))));
        assertEquals(201, created.status(), created.toString());
        componentUrl = created.header("Location");
    }

    @AfterEach
    void unfederate(TestEnvironment env) throws Exception {
        Http.delete(componentUrl, env.masterAdminToken());
        Files.deleteIfExists(usersFile);
    }

    @Test
    void a_user_the_directory_disables_loses_their_grants_at_the_next_run(TestEnvironment env) throws Exception {
        String disabled = Jit.unique("fed");
        String stillEnabled = Jit.unique("fed");
        writeUsers(entry(disabled, "enabled"), entry(stillEnabled, "enabled"));
        Grant gone = grantTo(env, disabled);
        Grant kept = grantTo(env, stillEnabled);
        assertTrue(gone.userId().startsWith("f:"), "a user Keycloak keeps no row of: " + gone.userId());
        assertTrue(Jit.databaseToken(env, disabled).length() > 0, "such a user takes database tokens like any other");

        writeUsers(entry(disabled, "disabled"), entry(stillEnabled, "enabled"));

        eventually(() -> Jit.revokedGrantIds(env).contains(gone.grantId()), "the disabled user's grant in the revocation feed");
        assertEquals("the user was disabled", Jit.grantById(env, gone.grantId()).get("revokeReason").asText());
        assertTrue(Jit.activeGrantIds(env).contains(kept.grantId()), "an enabled user's grant stays");
    }

    @Test
    void a_member_of_the_approver_group_whom_only_user_storage_holds_decides(TestEnvironment env) throws Exception {
        String approver = Jit.unique("fed");
        writeUsers(entry(approver, "enabled"));
        String group = Jit.unique("directory-owners");
        String groupId = Jit.createGroup(env, null, group);
        // Keycloak's id of a user only user storage holds: f:<component id>:<the provider's id>
        String approverId = "f:" + componentUrl.substring(componentUrl.lastIndexOf('/') + 1) + ":" + approver;
        Http.Reply joined = Http.put(Jit.stockAdmin(env) + "/users/" + approverId + "/groups/" + groupId, env.masterAdminToken(), Map.of());
        assertEquals(204, joined.status(), joined.toString());
        String column = Jit.columnWithPolicy(env, "/" + group, 1, Map.of());
        String id = Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                "reason", "A directory approver", "durationMinutes", 30)).get("id").asText();

        assertTrue(Jit.inbox(env, approver).contains(id), "the request is in the directory user's inbox");
        Http.Reply approved = Jit.approve(env, env.tokenOf(approver), id);

        assertEquals(200, approved.status(), approved.toString());
        assertEquals(approverId, approved.json().at("/decisions/0/approver/id").asText(), approved.toString());
    }

    /** Keycloak keeps no row of such a user to lock: activations sent at once must still give one grant. */
    @Test
    void break_glass_activations_sent_at_once_give_one_grant(TestEnvironment env) throws Exception {
        String oncall = Jit.unique("fed");
        writeUsers(entry(oncall, "enabled"));
        String token = env.tokenOf(oncall);

        List<Integer> statuses = ConcurrencyIT.breakGlassSixAtOnce(env, token);

        assertEquals(List.of(201, 409, 409, 409, 409, 409), statuses);
        assertEquals(1, Http.get(env.userApi() + "/grants", token).json().size());
    }

    /**
     * A disabled provider finds none of its users; Keycloak itself shows them disabled. That is no reason to end their
     * access for good: the provider may be off for maintenance.
     */
    @Test
    void a_disabled_provider_ends_nobodys_access(TestEnvironment env) throws Exception {
        String member = Jit.unique("fed");
        writeUsers(entry(member, "enabled"));
        Grant federated = grantTo(env, member);

        JsonNode component = Http.get(componentUrl, env.masterAdminToken()).json();
        ((ObjectNode) component.get("config")).putArray("enabled").add("false");
        Http.Reply off = Http.put(componentUrl, env.masterAdminToken(), component);
        assertEquals(204, off.status(), off.toString());
        // Local users disabled one after the other tell when a whole run has looked since.
        awaitRunAfterNow(env);
        awaitRunAfterNow(env);

        assertTrue(Jit.activeGrantIds(env).contains(federated.grantId()), "the grant of a user of the disabled provider stays");
    }

    /**
     * A directory that fails on one user (here an entry it cannot parse) ends nobody's access for it: the others are
     * still looked up and the disabled among them lose their grants, and the failed user is asked again next run.
     */
    @Test
    void a_lookup_that_fails_for_one_user_neither_ends_their_access_nor_stops_the_others(TestEnvironment env) throws Exception {
        String unreadable = Jit.unique("fed");
        String disabled = Jit.unique("fed");
        writeUsers(entry(unreadable, "enabled"), entry(disabled, "enabled"));
        Grant kept = grantTo(env, unreadable);
        Grant gone = grantTo(env, disabled);

        writeUsers(unreadable + "=" + unreadable /* no state: the provider fails on it */, entry(disabled, "disabled"));
        eventually(() -> Jit.revokedGrantIds(env).contains(gone.grantId()), "the disabled user's grant in the revocation feed");
        awaitRunAfterNow(env);
        assertTrue(Jit.activeGrantIds(env).contains(kept.grantId()), "a failed lookup ends nobody's access");

        writeUsers(entry(unreadable, "disabled"), entry(disabled, "disabled"));
        eventually(() -> Jit.revokedGrantIds(env).contains(kept.grantId()), "the user looked up again, now disabled");
    }

    /** Disables a local user with a grant and waits until the scheduler has revoked it. */
    private static void awaitRunAfterNow(TestEnvironment env) throws Exception {
        Jit.Granted local = Jit.grant(env, 30);
        Http.Reply update = Http.put(Jit.stockAdmin(env) + "/users/" + local.userId(), env.masterAdminToken(), Map.of("enabled", false));
        assertEquals(204, update.status(), update.toString());
        eventually(() -> Jit.revokedGrantIds(env).contains(local.grantId()), "a run of the scheduler");
    }

    private record Grant(String userId, String grantId) {}

    private Grant grantTo(TestEnvironment env, String username) {
        JsonNode request = Jit.created(env, username, Jit.body("datasource", "analytics", "columns", List.of(Jit.DOB),
                "reason", "Verifying the customer's age", "durationMinutes", 30));
        Http.Reply approved = Jit.approve(env, env.tokenOf("owner"), request.get("id").asText());
        assertEquals(200, approved.status(), approved.toString());
        return new Grant(request.at("/requester/id").asText(), approved.json().at("/grant/id").asText());
    }

    /** A directory entry: the password is the username, the state "enabled" or "disabled". */
    private static String entry(String username, String state) {
        return username + "=" + username + "," + state;
    }

    private void writeUsers(String... lines) throws Exception {
        Files.write(usersFile, List.of(lines));
    }
}
