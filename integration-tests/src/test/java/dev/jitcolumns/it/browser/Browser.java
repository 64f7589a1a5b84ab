package dev.jitcolumns.it.browser;

import dev.jitcolumns.launcher.Directories;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by Debian's chromedriver, both by explicit path (system properties
 * {@code it.chromium}, {@code it.chromedriver}; defaults /usr/bin/...), so Selenium Manager never
 * downloads anything. One fresh profile per browser; closed after each test.
 */
final class Browser implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(45);

    /** Quiet: Selenium warns on every start that it has no DevTools bindings for this Chromium (unused here). */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    final ChromeDriver driver;
    private final Path profile;

    Browser() {
        try {
            profile = Files.createTempDirectory("jit-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String chromedriver = System.getProperty("it.chromedriver", "/usr/bin/chromedriver");
        System.setProperty("webdriver.chrome.driver", chromedriver);
        ChromeOptions options = new ChromeOptions()
                .setBinary(System.getProperty("it.chromium", "/usr/bin/chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--window-size=1400,1000", "--lang=en-US",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(TIMEOUT);
    }

    WebDriverWait waiting() {
        return new WebDriverWait(driver, TIMEOUT);
    }

    void open(String url) {
        driver.get(url);
    }

    /** Signs in on Keycloak's login page (the demo users' password is their username). */
    void login(String username) {
        WebElement user = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        user.sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(username);
        driver.findElement(By.id("kc-login")).click();
    }

    WebElement visible(By by) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    WebElement testId(String id) {
        return visible(By.cssSelector("[data-testid='" + id + "']"));
    }

    WebElement clickable(By by) {
        return waiting().until(ExpectedConditions.elementToBeClickable(by));
    }

    void waitForText(By by, String text) {
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /** Clicks a link or button by its visible text. */
    void clickText(String text) {
        clickable(By.xpath("//*[self::a or self::button][normalize-space(.)='" + text + "']")).click();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves {@code <name>.png} under target/screenshots (README material). */
    Path screenshot(String name) {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("it.screenshots", "target/screenshots")));
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                Directories.delete(profile);
            } catch (IOException ignored) {
                // a temp directory
            }
        }
    }
}
