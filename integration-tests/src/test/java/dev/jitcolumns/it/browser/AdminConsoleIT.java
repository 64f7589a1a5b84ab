package dev.jitcolumns.it.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The realm's admin console (/admin/acme/console/) is our custom build: the stock shell and pages plus
 * the "Access requests" section, for a realm manager and for an approver with no administration role
 * but realm-management query-realms (role jit-columns-approver). Its entries and pages follow what the
 * API lets the signed-in admin use ({@code GET .../jit-columns/me}). Fails loudly if a Keycloak upgrade
 * changes the stock navigation our section attaches to (notes/consoles.md, pitfall 6).
 */
@Tag("browser")
@ExtendWith(KeycloakHarness.class)
class AdminConsoleIT {

    private static final By NAV_LINKS = By.cssSelector(".keycloak__page_nav__nav a");
    private static final By SECTION = By.cssSelector("[data-testid='jit-nav-section']");

    private Browser browser;

    @BeforeEach
    void open() {
        browser = new Browser();
    }

    @AfterEach
    void close() {
        browser.close();
    }

    private List<String> nav() {
        return browser.all(NAV_LINKS).stream().map(WebElement::getText).toList();
    }

    @Test
    void a_realm_manager_gets_the_stock_pages_and_our_section(TestEnvironment env) throws Exception {
        browser.open(env.keycloakUrl() + "/admin/acme/console/");
        browser.login("admin");

        browser.visible(SECTION);
        List<String> nav = nav();
        assertTrue(nav.containsAll(List.of("Users", "Groups")), "stock navigation: " + nav);
        assertTrue(nav.containsAll(List.of("Inbox", "Active grants", "Catalog", "Audit trail")), "our section: " + nav);
        browser.screenshot("admin-home");

        // a stock page still works inside the custom build
        browser.clickText("Users");
        browser.waitForText(By.cssSelector("main"), "analyst");
        browser.screenshot("admin-users");

        browser.clickText("Inbox");
        browser.testId("jit-inbox");
        assertTrue(browser.driver.getCurrentUrl().endsWith("#/acme/jit-columns"), browser.driver.getCurrentUrl());
        browser.screenshot("admin-access-requests-inbox");

        browser.clickText("Active grants");
        browser.testId("jit-grants-page");
        browser.screenshot("admin-active-grants");

        browser.clickText("Catalog");
        browser.testId("jit-catalog");
        browser.waitForText(By.cssSelector("[data-testid='jit-catalog']"), "analytics");
        browser.screenshot("admin-catalog");

        // More than a page of trail, whatever ran before: a new request is one entry.
        String admin = env.tokenOf("admin");
        for (int trail = Http.get(env.adminApi() + "/audit", admin).json().size(); trail <= 20; trail++) {
            Jit.created(env, "analyst", Jit.emailRequest());
        }
        browser.clickText("Audit trail");
        browser.testId("jit-audit-table");
        List<WebElement> entries = rows("jit-audit-table");
        assertEquals(20, entries.size(), "one page of the trail");
        // The trail of this run began minutes ago, inside the page's default week: its first row is the chain's first
        // entry, and the next page starts with the 21st.
        assertTrue(shows(entries.get(0), Http.get(env.adminApi() + "/audit?max=1", admin).json().get(0)), entries.get(0).getText());
        browser.screenshot("admin-audit");
        browser.testId("jit-page-next").click();
        browser.waitForText(By.cssSelector("[data-testid='jit-page-range']"), "21 - ");
        WebElement twentyFirst = rows("jit-audit-table").get(0);
        assertTrue(shows(twentyFirst, Http.get(env.adminApi() + "/audit?first=20&max=1", admin).json().get(0)), twentyFirst.getText());
    }

    /** The row shows this audit entry: its action and its subject (request or grant id, none for catalog changes). */
    private static boolean shows(WebElement row, JsonNode entry) {
        String subject = entry.path("requestId").asText(entry.path("grantId").asText(""));
        return row.getText().contains(entry.get("action").asText()) && row.getText().contains(subject);
    }

    @Test
    void a_realm_manager_sets_the_webhook_and_never_sees_its_secret_again(TestEnvironment env) {
        String webhook = env.adminApi() + "/webhook";
        browser.open(env.keycloakUrl() + "/admin/acme/console/#/acme/jit-columns/catalog");
        browser.login("admin");
        browser.testId("jit-catalog");
        browser.clickText("Webhook");
        browser.testId("jit-webhook");
        browser.waitForText(By.cssSelector("[data-testid='jit-webhook-status']"), "No webhook");
        try {
            WebElement url = browser.visible(By.id("jit-webhook-url"));
            url.sendKeys("ftp://hooks.example/jit");
            browser.visible(By.id("jit-webhook-secret")).sendKeys("a secret of sixteen chars");
            browser.testId("jit-webhook-save").click();
            browser.waitForText(By.cssSelector("[data-testid='jit-error-url']"), "http or https");
            assertNull(Http.get(webhook, env.tokenOf("admin")).json().path("url").textValue(), "nothing saved");

            url.clear();
            url.sendKeys("https://203.0.113.10/jit");
            browser.testId("jit-webhook-save").click();
            browser.waitForText(By.cssSelector("[data-testid='jit-webhook-status']"), "Active");
            browser.screenshot("admin-catalog-webhook");

            JsonNode saved = Http.get(webhook, env.tokenOf("admin")).json();
            assertEquals("https://203.0.113.10/jit", saved.get("url").asText());
            assertTrue(saved.get("secretSet").asBoolean());
            assertEquals("", browser.visible(By.id("jit-webhook-secret")).getAttribute("value"), "the secret is not shown again");
            assertFalse(browser.driver.getPageSource().contains("a secret of sixteen chars"));

            browser.testId("jit-webhook-remove").click();
            browser.waitForText(By.cssSelector("[data-testid='jit-webhook-status']"), "No webhook");
            assertNull(Http.get(webhook, env.tokenOf("admin")).json().path("url").textValue(), "removed");
        } finally {
            Http.delete(webhook, env.tokenOf("admin"));
        }
    }

    @Test
    void it_opens_for_an_approver_who_is_not_a_realm_administrator(TestEnvironment env) {
        browser.open(env.keycloakUrl() + "/admin/acme/console/");
        browser.login("owner");

        browser.visible(SECTION);
        List<String> nav = nav();
        assertTrue(nav.containsAll(List.of("Inbox", "Active grants", "Catalog")), "our section: " + nav);
        assertFalse(nav.contains("Users"), "an approver administers nothing else: " + nav);
        assertFalse(nav.contains("Audit trail"), "the audit trail is for catalog managers: " + nav);

        browser.clickText("Inbox");
        browser.testId("jit-inbox");
        browser.screenshot("admin-approver-inbox");

        // The API lets approvers read the catalog, not change it.
        browser.clickText("Catalog");
        browser.waitForText(By.cssSelector("[data-testid='jit-catalog']"), "analytics");
        assertEquals(0, browser.all(By.cssSelector("[data-testid='jit-create-datasources']")).size(), "no Add datasource");
        assertEquals(0, browser.all(By.cssSelector("[data-testid='jit-tab-webhook']")).size(), "no webhook tab");
    }

    @Test
    void a_jit_columns_admin_without_manage_realm_manages_the_catalog(TestEnvironment env) {
        String manager = Jit.unique("catalog-admin");
        String userId = Jit.createUser(env, manager);
        Jit.addRealmRole(env, userId, "jit-columns-admin");
        Jit.addRealmRole(env, userId, "jit-columns-approver"); // query-realms, without which the stock console does not start
        String datasource = Jit.unique("ds");
        try {
            browser.open(env.keycloakUrl() + "/admin/acme/console/");
            browser.login(manager);
            browser.visible(SECTION);
            List<String> nav = nav();
            assertTrue(nav.containsAll(List.of("Inbox", "Active grants", "Catalog", "Audit trail")), "our section: " + nav);

            browser.clickText("Catalog");
            browser.waitForText(By.cssSelector("[data-testid='jit-catalog']"), "analytics");
            assertEquals(0, browser.all(By.cssSelector("[data-testid='jit-tab-webhook']")).size(), "the webhook needs manage-realm");
            browser.testId("jit-create-datasources").click();
            browser.visible(By.id("jit-field-id")).sendKeys(datasource);
            browser.visible(By.id("jit-field-name")).sendKeys("Added by a catalog admin");
            browser.testId("jit-save").click();
            browser.waitForText(By.cssSelector("[data-testid='jit-table-datasources']"), datasource);

            Http.Reply saved = Http.get(env.adminApi() + "/datasources/" + datasource, env.tokenOf("admin"));
            assertEquals(200, saved.status(), saved.toString());
            assertEquals("Added by a catalog admin", saved.json().get("name").asText());
        } finally {
            Http.delete(env.adminApi() + "/datasources/" + datasource, env.tokenOf("admin"));
            Jit.deleteUser(env, userId);
        }
    }

    /** A user of the realm who may open the console (query-realms) but approves nothing and manages nothing. */
    @Test
    void an_admin_without_the_right_who_opens_the_audit_trail_reads_that_it_is_not_allowed(TestEnvironment env) {
        String user = Jit.unique("nobody");
        String userId = Jit.createUser(env, user);
        Jit.addRealmRole(env, userId, "jit-columns-approver");
        try {
            browser.open(env.keycloakUrl() + "/admin/acme/console/#/acme/jit-columns/audit");
            browser.login(user);
            browser.waitForText(By.cssSelector("[data-testid='jit-not-allowed']"), "The audit trail is for catalog managers");
            browser.screenshot("admin-not-allowed");
            assertEquals(0, browser.all(By.cssSelector("[data-testid='jit-audit']")).size());
            assertEquals(0, browser.all(By.cssSelector("[data-testid='jit-load-error']")).size(), "no raw error");
            assertFalse(nav().contains("Audit trail"), nav().toString());
        } finally {
            Jit.deleteUser(env, userId);
        }
    }

    /** A group removed in Keycloak's own pages: the policy says so, and a manager names another group in its form. */
    @Test
    void a_policy_whose_group_was_removed_says_so_until_a_manager_names_another(TestEnvironment env) {
        String removed = Jit.unique("gone");
        String removedId = Jit.createGroup(env, null, removed);
        String successor = Jit.unique("successor");
        Jit.createGroup(env, null, successor);
        String policyUrl = Jit.policyUrlOf(env, Jit.columnWithPolicy(env, "/" + removed, 1, Map.of()));
        assertEquals(204, Http.delete(Jit.stockAdmin(env) + "/groups/" + removedId, env.masterAdminToken()).status());

        browser.open(env.keycloakUrl() + "/admin/acme/console/#/acme/jit-columns/catalog");
        browser.login("admin");
        browser.testId("jit-tab-policies").click();
        browser.waitForText(By.cssSelector("[data-testid='jit-table-policies']"), "/" + removed + " (removed)");
        browser.clickable(By.xpath("//tr[contains(., '/" + removed + " (removed)')]//button[contains(@aria-label, 'Kebab')]")).click();
        browser.clickText("Edit");
        browser.waitForText(By.cssSelector("[data-testid='jit-stages-editor']"), "This was removed in Keycloak");
        browser.screenshot("admin-policy-group-removed");
        WebElement group = browser.visible(By.cssSelector("[data-testid='jit-stages-editor'] input[aria-label='Approver group']"));
        group.sendKeys(Keys.chord(Keys.CONTROL, "a"), "/" + successor);
        browser.testId("jit-save").click();
        browser.waitForText(By.cssSelector("[data-testid='jit-table-policies']"), "/" + successor);

        JsonNode policy = Http.get(policyUrl, env.tokenOf("admin")).json();
        assertEquals("/" + successor, policy.at("/stages/0/approverGroup").asText());
        assertTrue(policy.at("/stages/0/approverRemoved").isMissingNode(), policy.toString());
    }

    /** A mail's link leads to one request, however many newer ones the lists hold. */
    @Test
    void a_request_page_shows_a_request_older_than_any_list_page(TestEnvironment env) {
        String requester = Jit.unique("busy"); // a requester of its own: other tests' lists stay as they were
        Jit.createUser(env, requester);
        String reason = "The oldest of many " + Jit.unique("r");
        String id = Jit.created(env, requester, Jit.body("datasource", "analytics", "columns", List.of(Jit.EMAIL),
                "reason", reason, "durationMinutes", 30)).get("id").asText();
        for (int i = 0; i <= 100; i++) { // more than the page the list answers without max; cancelled: no one's inbox grows
            String filler = Jit.created(env, requester, Jit.emailRequest()).get("id").asText();
            assertEquals(200, Http.post(env.userApi() + "/requests/" + filler + "/cancel", env.tokenOf(requester), Map.of()).status());
        }

        browser.open(env.keycloakUrl() + "/admin/acme/console/#/acme/jit-columns/requests/" + id);
        browser.login("admin");
        browser.waitForText(By.cssSelector("[data-testid='jit-reason']"), reason);
        assertEquals(0, browser.all(By.cssSelector("[data-testid='jit-load-error']")).size());
    }

    @Test
    void an_approver_pages_through_more_requests_and_grants_than_a_page_holds(TestEnvironment env) {
        int pageSize = 20; // the consoles' page (themes/src/admin/Paging.tsx)
        String group = Jit.unique("pagers");
        Jit.createGroup(env, null, group);
        String approver = Jit.unique("pager");
        // The demo's approver groups carry this role: without any realm-management role the stock console does not start.
        Jit.addRealmRole(env, Jit.createUser(env, approver, "/" + group), "jit-columns-approver");
        String column = Jit.columnWithPolicy(env, "/" + group, 1, Map.of());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= pageSize; i++) {
            ids.add(Jit.created(env, "analyst", Jit.body("datasource", "analytics", "columns", List.of(column),
                    "reason", "Paging request " + i, "durationMinutes", 60)).get("id").asText());
        }

        browser.open(env.keycloakUrl() + "/admin/acme/console/#/acme/jit-columns");
        browser.login(approver);
        browser.testId("jit-inbox");
        browser.screenshot("admin-inbox-first-page");
        assertEquals(pageSize, rows("jit-requests").size());
        assertEquals("1 - 20", browser.testId("jit-page-range").getText());
        browser.testId("jit-page-next").click();
        browser.waitForText(By.cssSelector("[data-testid='jit-page-range']"), "21 - 21");
        List<WebElement> last = rows("jit-requests");
        assertEquals(1, last.size());
        // Oldest first: the last page holds the newest request.
        assertTrue(last.get(0).getText().contains("Paging request " + pageSize), last.get(0).getText());
        assertFalse(browser.testId("jit-page-next").isEnabled());
        browser.screenshot("admin-inbox-second-page");

        String token = env.tokenOf(approver);
        ids.forEach(id -> assertEquals(200, Jit.approve(env, token, id).status()));
        browser.open(env.keycloakUrl() + "/admin/acme/console/#/acme/jit-columns/grants");
        assertEquals(pageSize, rows("jit-grants").size());
        browser.testId("jit-page-next").click();
        browser.waitForText(By.cssSelector("[data-testid='jit-page-range']"), "21 - 21");
        assertEquals(1, rows("jit-grants").size());
        browser.testId("jit-page-previous").click();
        browser.waitForText(By.cssSelector("[data-testid='jit-page-range']"), "1 - 20");
    }

    /** The body rows of one of our tables, once it has loaded. */
    private List<WebElement> rows(String table) {
        browser.testId(table);
        return browser.all(By.cssSelector("[data-testid='" + table + "'] tbody tr"));
    }
}
