package dev.xmppscope.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium + chromedriver driven by Selenium, set up so it never touches the network
 * beyond loopback (no Selenium Manager download, no Google DNS lookups) and starts from a fresh
 * profile. Fails, never skips, when the packages are missing.
 */
public final class HeadlessChromium implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    public final ChromeDriver driver;
    private final Path profile;

    public HeadlessChromium(int width, int height) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver"
                    + " (/usr/bin/chromium, /usr/bin/chromedriver): run .ci/install-deps");
        }
        try {
            profile = Files.createTempDirectory("xmppscope-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--lang=en-US", // numbers as the tests write them
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_PROBLEMS));
    }

    /**
     * Runs in every page before its own scripts: keeps what the page reports going wrong (uncaught
     * errors, rejected promises, console errors and warnings, whatever the content security policy
     * blocked, and a request answered 404: each is a red line in the browser's console), for
     * {@link #pageProblems()}. A 503 is left out: it is how the API says the analysis stopped,
     * which the page then shows.
     */
    private static final String RECORD_PROBLEMS = """
            window.__problems = [];
            addEventListener('error', e => __problems.push('error: ' + e.message));
            addEventListener('unhandledrejection', e => __problems.push('unhandled rejection: ' + e.reason));
            addEventListener('securitypolicyviolation', e => __problems.push('blocked by ' + e.violatedDirective + ': '
                + (e.sample || e.blockedURI)));
            for (const level of ['error', 'warn']) {
              const original = console[level].bind(console);
              console[level] = (...args) => { __problems.push(level + ': ' + args.join(' ')); original(...args); };
            }
            const originalFetch = fetch.bind(window);
            window.fetch = async (resource, init) => {
              const response = await originalFetch(resource, init);
              if (response.status === 404) {
                __problems.push('HTTP ' + response.status + ' for ' + (init?.method || 'GET') + ' ' + resource);
              }
              return response;
            };""";

    /** What the current page reported going wrong since it loaded. */
    @SuppressWarnings("unchecked")
    public List<String> pageProblems() {
        return (List<String>) driver.executeScript("return window.__problems || [];");
    }

    /**
     * Clicks what {@code find} returns (null or {@link org.openqa.selenium.NotFoundException}: not
     * there yet), brought to the middle of its scrolling pane first as a user would scroll to it
     * (at an edge, the timeline's sticky lane headers cover it). A live view re-renders and
     * scrolls as stanzas arrive, so an element found a moment ago may be gone or covered by the
     * click: then it is found again, for up to 30 s.
     */
    public void click(Function<WebDriver, WebElement> find) {
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(ElementClickInterceptedException.class)
                .until(d -> {
                    WebElement e = find.apply(d);
                    if (e == null) {
                        return false;
                    }
                    ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
                    e.click();
                    return true;
                });
    }

    /** Saves a PNG under web/target/screenshots and returns its path. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path out = SCREENSHOTS.resolve(name + ".png");
            Files.write(out, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save screenshot " + name, e);
        }
    }

    /**
     * Quits the browser, after checking that the page it shows reported nothing going wrong: every
     * browser test asserts that much about the page it ends on.
     */
    @Override
    public void close() {
        List<String> problems;
        try {
            problems = pageProblems();
        } catch (RuntimeException e) {
            problems = List.of(); // the browser is gone already: the test says why
        }
        try {
            if (!problems.isEmpty()) {
                throw new AssertionError("the page reported problems: " + problems);
            }
        } finally {
            quit();
        }
    }

    private void quit() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not remove chromium profile " + profile + ": " + e.getMessage());
            }
        }
    }
}
