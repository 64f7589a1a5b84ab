package dev.jitcolumns.it.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jitcolumns.it.harness.Http;
import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import dev.jitcolumns.it.support.Jit;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The story of DESIGN.md in a real browser: analyst requests in the account console, owner and security
 * approve in the admin console, analyst copies the database token, and the column unmasks in PostgreSQL;
 * a deny with a comment; a validation error from the API shown next to its field.
 *
 */
@Tag("browser")
@ExtendWith(KeycloakHarness.class)
class AccessRequestStoryIT {

    /** The demo catalog seeded from realm-config: ssn needs the data owner, then security; tickets like OPS-42. */
    private static final String DATASOURCE = "analytics";
    private static final String SSN = "public.customers.ssn";
    private static final String ACCOUNT = "/realms/acme/account/sensitive-data";
    private static final String INBOX = "/admin/acme/console/#/acme/jit-columns";

    private Browser browser;

    @BeforeEach
    void open() {
        browser = new Browser();
    }

    @AfterEach
    void close() {
        browser.close();
    }

    /** analyst fills the request form; returns when the request shows in "My requests". */
    private void request(TestEnvironment env, String reason, String ticket, int minutes) {
        browser.open(env.keycloakUrl() + ACCOUNT);
        browser.login("analyst");
        new Select(browser.visible(By.id("jit-datasource"))).selectByValue(DATASOURCE);
        browser.clickable(By.id("jit-col-" + SSN)).click();
        browser.testId("jit-stages"); // the policy's two stages are shown before sending
        browser.visible(By.id("jit-reason")).sendKeys(reason);
        browser.visible(By.id("jit-ticket")).sendKeys(ticket);
        WebElement duration = browser.visible(By.id("jit-duration-input"));
        duration.sendKeys(Keys.chord(Keys.CONTROL, "a"), String.valueOf(minutes));
        browser.screenshot("story-1-analyst-request-form");
        browser.testId("jit-submit").click();
    }

    /** Ends every browser session of the realm's demo users (as an administrator would), then forgets the cookies. */
    private void logout(TestEnvironment env) {
        for (String user : new String[] {"analyst", "owner", "security"}) {
            String id = Http.get(Jit.stockAdmin(env) + "/users?exact=true&username=" + user, env.masterAdminToken())
                    .json().get(0).get("id").asText();
            Http.post(Jit.stockAdmin(env) + "/users/" + id + "/logout", env.masterAdminToken(), "");
        }
        browser.driver.manage().deleteAllCookies();
        browser.open("about:blank"); // the consoles are single-page apps: the next open must load afresh
    }

    /**
     * An approver decides analyst's pending request in the admin console's inbox: the row with this reason, since other
     * tests of the run may leave requests of analyst pending too.
     */
    private void decide(TestEnvironment env, String reason, String approver, String decision, String comment, String screenshot) {
        logout(env);
        browser.open(env.keycloakUrl() + INBOX);
        browser.login(approver);
        WebElement row = inboxRow(By.xpath("//table[@data-testid='jit-requests']//tr[.//a[normalize-space(.)='analyst']"
                + " and contains(., '" + reason + "')]"));
        assertTrue(row.getText().contains(SSN), row.getText());
        assertTrue(row.getText().contains("PII"), "the column's label is shown to the approver: " + row.getText());
        browser.screenshot(screenshot);
        row.findElement(By.cssSelector("[data-testid='jit-" + decision + "']")).click();
        browser.visible(By.id("jit-comment")).sendKeys(comment);
        browser.testId("jit-decide-confirm").click();
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-testid='jit-decide-modal']")));
    }

    /**
     * The row, paging forward as an approver would: the inbox shows the oldest first, 20 to a page, and the requests
     * other tests of the run left pending come before this one.
     */
    private WebElement inboxRow(By row) {
        browser.testId("jit-requests");
        while (browser.all(row).isEmpty()) {
            List<WebElement> next = browser.all(By.cssSelector("[data-testid='jit-page-next']"));
            assertTrue(!next.isEmpty() && next.get(0).isEnabled(), "the request is on no page of the inbox: " + row);
            String range = browser.testId("jit-page-range").getText();
            next.get(0).click();
            browser.waiting().until(d -> !browser.testId("jit-page-range").getText().equals(range));
        }
        return browser.visible(row);
    }

    @Test
    void analyst_requests_owner_and_security_approve_and_the_column_unmasks(TestEnvironment env) throws Exception {
        String reason = "Quarterly churn analysis needs SSN joins";
        request(env, reason, "OPS-42", 60);
        browser.waitForText(By.cssSelector("[data-testid='jit-requests']"), "Pending");

        decide(env, reason, "owner", "approve", "ok for churn", "story-2-owner-inbox");
        decide(env, reason, "security", "approve", "approved for 60 min", "story-3-security-inbox");

        logout(env);
        browser.open(env.keycloakUrl() + ACCOUNT);
        browser.login("analyst");
        WebElement grants = browser.testId("jit-grants");
        assertTrue(grants.getText().contains(SSN), grants.getText());
        String countdown = browser.testId("jit-countdown").getText();
        browser.waiting().until(d -> !browser.testId("jit-countdown").getText().equals(countdown)); // it ticks
        browser.screenshot("story-4-analyst-active-grant");

        browser.testId("jit-get-token").click();
        WebElement sql = browser.visible(By.cssSelector("[data-testid='jit-copy-sql'] input"));
        String line = sql.getAttribute("value");
        assertTrue(line.startsWith("SELECT jit_columns.set_token('ey") && line.endsWith("');"), line);
        browser.visible(By.cssSelector("[data-testid='jit-copy-sql'] button")).click(); // the copy button
        browser.screenshot("story-5-analyst-database-token");

        try (Connection c = env.postgres().connect(DATASOURCE); Statement s = c.createStatement()) {
            try (ResultSet before = s.executeQuery("SELECT ssn FROM app.customers LIMIT 1")) {
                assertTrue(before.next());
                assertNull(before.getString(1), "masked before the token");
            }
            s.execute(line);
            try (ResultSet after = s.executeQuery("SELECT ssn FROM app.customers LIMIT 1")) {
                assertTrue(after.next());
                assertNotNull(after.getString(1), "ssn unmasked with analyst's token");
            }
        }
    }

    @Nested
    class Deny {
        @Test
        void owner_denies_with_a_comment_and_analyst_sees_it(TestEnvironment env) {
            String reason = "Ad-hoc look at customer SSNs";
            request(env, reason, "OPS-43", 30);
            browser.waitForText(By.cssSelector("[data-testid='jit-requests']"), "Pending");

            decide(env, reason, "owner", "deny", "Use the anonymised extract instead", "deny-1-owner-inbox");

            logout(env);
            browser.open(env.keycloakUrl() + ACCOUNT);
            browser.login("analyst");
            WebElement row = browser.visible(By.xpath("//table[@data-testid='jit-requests']//tbody[.//*[normalize-space(.)='Denied']]"));
            row.findElement(By.cssSelector("button[id^='expandable-toggle'], td button")).click();
            browser.waitForText(By.cssSelector("[data-testid='jit-decision']"), "Use the anonymised extract instead");
            assertTrue(browser.testId("jit-decision").getText().contains("owner"));
            browser.screenshot("deny-2-analyst-sees-the-comment");
        }
    }

    @Nested
    class BreakGlass {
        @Test
        void analyst_breaks_the_glass_and_holds_a_short_grant_at_once_flagged_for_review(TestEnvironment env) {
            String email = "public.customers.email"; // its policy allows break glass for at most 30 minutes
            String reason = "Production incident at night";
            String user = Jit.unique("glass"); // a user of its own: its grant changes what nobody else reads
            Jit.createUser(env, user);
            browser.open(env.keycloakUrl() + ACCOUNT);
            browser.login(user);
            new Select(browser.visible(By.id("jit-datasource"))).selectByValue(DATASOURCE);
            browser.clickable(By.id("jit-col-" + email)).click();
            browser.testId("jit-stages");
            browser.clickable(By.id("jit-break-glass")).click();
            // Nobody decides a break-glass request: the form no longer shows the stages.
            browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-testid='jit-stages']")));
            browser.visible(By.id("jit-reason")).sendKeys(reason);
            browser.visible(By.id("jit-duration-input")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "15");
            browser.screenshot("break-glass-1-form");
            browser.testId("jit-submit").click();

            // The user's only request, approved at once and labelled.
            browser.visible(By.xpath("//table[@data-testid='jit-requests']//tr[contains(., '" + email + "')"
                    + " and contains(., 'Approved') and contains(., 'Break glass')]"));
            browser.screenshot("break-glass-2-approved");
            JsonNode mine = Http.get(env.userApi() + "/requests", env.tokenOf(user)).json();
            assertEquals(1, mine.size(), mine.toString());
            JsonNode request = mine.get(0);
            assertEquals(reason, request.get("reason").asText());
            assertEquals(List.of(email), Jit.texts(request.get("columns"), ""));
            assertEquals("APPROVED", request.get("status").asText());
            assertTrue(request.get("breakGlass").asBoolean());
            assertEquals(15, request.get("durationMinutes").asInt());
            assertTrue(request.get("grant").get("reviewRequired").asBoolean(), request.toString());
        }
    }

    @Nested
    class Validation {
        @Test
        void the_apis_message_shows_next_to_the_field_it_names(TestEnvironment env) {
            // the policy's ticket pattern is [A-Z]+-[0-9]+: only the API checks it
            request(env, "Quarterly churn analysis needs SSN joins", "not a ticket", 60);

            WebElement error = browser.testId("jit-error-ticket");
            assertTrue(error.getText().length() > 0, "the API's message");
            WebElement group = error.findElement(By.xpath("ancestor::div[contains(@class,'pf-v5-c-form__group')][1]"));
            assertEquals(1, group.findElements(By.id("jit-ticket")).size(), "the message sits in the ticket's form group");
            assertEquals("true", browser.visible(By.id("jit-ticket")).getAttribute("aria-invalid"));
            browser.screenshot("validation-ticket-error");
        }
    }
}
