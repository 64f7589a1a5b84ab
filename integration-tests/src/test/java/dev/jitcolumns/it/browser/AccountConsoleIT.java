package dev.jitcolumns.it.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitcolumns.it.harness.KeycloakHarness;
import dev.jitcolumns.it.harness.TestEnvironment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The realm's account console is our custom build (theme jit-columns): Keycloak's stock pages are
 * still there, and "Sensitive data access" is in its navigation and shows the catalog from the API.
 */
@Tag("browser")
@ExtendWith(KeycloakHarness.class)
class AccountConsoleIT {

    private Browser browser;

    @BeforeEach
    void open() {
        browser = new Browser();
    }

    @AfterEach
    void close() {
        browser.close();
    }

    @Test
    void stock_pages_are_kept_and_our_page_is_in_the_navigation(TestEnvironment env) {
        browser.open(env.realmUrl() + "/account/");
        browser.login("analyst");

        // Keycloak's own "Personal info" page, in the stock shell
        browser.waitForText(By.cssSelector("[data-testid='page-heading']"), "Personal info");
        List<String> nav = browser.all(By.cssSelector("nav a")).stream().map(WebElement::getText).toList();
        assertTrue(nav.containsAll(List.of("Personal info", "Sensitive data access", "Applications")), "navigation: " + nav);
        browser.screenshot("account-personal-info");

        browser.clickText("Account security");
        browser.clickText("Device activity");
        browser.waitForText(By.cssSelector("[data-testid='page-heading']"), "Device activity");
    }

    @Test
    void our_page_renders_the_catalog_from_the_api(TestEnvironment env) throws Exception {

        browser.open(env.realmUrl() + "/account/");
        browser.login("analyst");
        browser.clickText("Sensitive data access");

        browser.waitForText(By.cssSelector("[data-testid='page-heading']"), "Sensitive data access");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/realms/acme/account/sensitive-data"), browser.driver.getCurrentUrl());
        WebElement datasource = browser.visible(By.id("jit-datasource"));
        List<String> options = new Select(datasource).getOptions().stream().map(WebElement::getText).toList();
        assertTrue(options.contains("Analytics (analytics)"), "datasources offered: " + options);
        assertEquals(0, browser.all(By.cssSelector("[data-testid='jit-load-error']")).size(), "no API error shown");
        browser.testId("jit-request-form");
        browser.screenshot("account-sensitive-data-access");
    }

    @Test
    void the_form_shows_its_messages_next_to_the_fields(TestEnvironment env) throws Exception {
        browser.open(env.realmUrl() + "/account/sensitive-data");
        browser.login("analyst");

        browser.testId("jit-submit").click();

        WebElement columns = browser.testId("jit-error-columns");
        assertEquals("Choose at least one column.", columns.getText());
        WebElement reason = browser.testId("jit-error-reason");
        assertEquals("Give a reason.", reason.getText());
        WebElement group = reason.findElement(By.xpath("ancestor::div[contains(@class,'pf-v5-c-form__group')][1]"));
        assertEquals(1, group.findElements(By.id("jit-reason")).size(), "the message sits in the reason's form group");
        browser.screenshot("account-validation-messages");
    }

    @Test
    void our_page_opens_from_a_direct_link(TestEnvironment env) {
        browser.open(env.realmUrl() + "/account/sensitive-data");
        browser.login("analyst");

        browser.waitForText(By.cssSelector("[data-testid='page-heading']"), "Sensitive data access");
        browser.testId("jit-sensitive-data");
    }
}
