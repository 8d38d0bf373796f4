package dev.surge.dashboard.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium showing the dashboard, driven by Selenium: open a URL, read or wait for the
 * text of an element by its {@code data-testid}, take a screenshot. Reusable from another module's
 * tests through this module's test-jar (declare {@code selenium-chrome-driver} there too).
 *
 * <pre>{@code
 * try (DashboardBrowser browser = DashboardBrowser.start()) {
 *   browser.open(server.uri());
 *   browser.waitForText("items-count", "1,100", Duration.ofSeconds(30));
 *   browser.screenshot(Path.of("target/screenshots/run.png"));
 * }
 * }</pre>
 */
public final class DashboardBrowser implements AutoCloseable {
  /** The window of a 1080p projector. */
  public static final int WIDTH = 1920;

  /** The window of a 1080p projector. */
  public static final int HEIGHT = 1080;

  // Each read is a WebDriver round trip (chromedriver, then the page's renderer): at 50 ms the
  // waits kept both busy beside the page's own rendering; a fifth of a second is still well
  // within what a watcher sees of a change.
  private static final Duration POLL = Duration.ofMillis(200);

  // This helper uses WebDriver only, never the DevTools protocol, so Selenium's warning that it
  // has no DevTools bindings for this Chromium version is noise. Held here so it is not collected.
  private static final Logger CDP_VERSION_LOG =
      quiet(Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"));

  private final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;

  private DashboardBrowser(ChromeDriver driver, ChromeDriverService service, Path profile) {
    this.driver = driver;
    this.service = service;
    this.profile = profile;
  }

  /** Starts headless Chromium in a 1920x1080 window (installing it first if need be). */
  public static DashboardBrowser start() {
    return start(WIDTH, HEIGHT);
  }

  /** Starts headless Chromium in a window of the given size (installing it first if need be). */
  public static DashboardBrowser start(int width, int height) {
    ChromiumSetup.Installation chromium = ChromiumSetup.ensureInstalled();
    Path profile;
    try {
      profile = Files.createTempDirectory("surge-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Chromium profile directory", e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.chromium().toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        // Without these, Chromium keeps calling Google's services, which are unreachable here.
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // The driver is given explicitly, so Selenium Manager never looks for (or downloads) one.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromium.chromedriver().toFile())
            .usingAnyFreePort()
            .build();
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      fitViewport(driver, width, height);
      return new DashboardBrowser(driver, service, profile);
    } catch (RuntimeException e) {
      service.stop();
      deleteTree(profile);
      throw e;
    }
  }

  /** Makes the page's viewport (not the window) the given size, so screenshots are that size. */
  private static void fitViewport(ChromeDriver driver, int width, int height) {
    Object frame =
        driver.executeScript(
            "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];");
    if (frame instanceof List<?> sizes && sizes.size() == 2) {
      int extraWidth = ((Number) sizes.get(0)).intValue();
      int extraHeight = ((Number) sizes.get(1)).intValue();
      driver.manage().window().setSize(new Dimension(width + extraWidth, height + extraHeight));
    }
  }

  /** Loads {@code uri}. */
  public void open(URI uri) {
    driver.get(uri.toString());
  }

  /** The text of the element with this {@code data-testid}, or null if there is none. */
  public String text(String testId) {
    try {
      return element(testId).getText();
    } catch (NoSuchElementException | StaleElementReferenceException e) {
      return null;
    }
  }

  /** An attribute of the element with this {@code data-testid}, or null. */
  public String attribute(String testId, String name) {
    try {
      return element(testId).getDomAttribute(name);
    } catch (NoSuchElementException | StaleElementReferenceException e) {
      return null;
    }
  }

  /** Waits until the element's text equals {@code expected}; returns it. */
  public String waitForText(String testId, String expected, Duration timeout) {
    return waitForText(testId, expected::equals, "'" + expected + "'", timeout);
  }

  /**
   * Waits until the element's text satisfies {@code until}; returns it.
   *
   * @throws AssertionError on timeout, with the last text seen
   */
  public String waitForText(
      String testId, Predicate<String> until, String description, Duration timeout) {
    return waitFor(testId, () -> text(testId), until, description, timeout);
  }

  /** Waits until an attribute of the element satisfies {@code until}; returns it. */
  public String waitForAttribute(
      String testId, String name, Predicate<String> until, String description, Duration timeout) {
    return waitFor(
        testId + "[" + name + "]", () -> attribute(testId, name), until, description, timeout);
  }

  private String waitFor(
      String what,
      java.util.function.Supplier<String> read,
      Predicate<String> until,
      String description,
      Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String last = read.get();
    while (last == null || !until.test(last)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            what + " did not become " + description + " within " + timeout + "; last: " + last);
      }
      sleep(POLL);
      last = read.get();
    }
    return last;
  }

  /** Writes a PNG of the window to {@code file} (creating its directory); returns the file. */
  public Path screenshot(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write screenshot " + file, e);
    }
  }

  /**
   * The page's console messages at SEVERE level (script errors, failed loads) since the last call.
   */
  public List<String> consoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(entry.getMessage());
      }
    }
    return errors;
  }

  /** The underlying driver, for what this class does not wrap. */
  public ChromeDriver driver() {
    return driver;
  }

  /** Quits the browser and removes its profile. */
  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteTree(profile);
    }
  }

  private WebElement element(String testId) {
    return driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
  }

  private static Logger quiet(Logger logger) {
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the page", e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp profile is harmless.
    }
  }
}
