package dev.surge.dashboard.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds headless Chromium and chromedriver, installing them from Debian's packages (with the
 * bundled {@code install-chromium.sh}) when they are missing and this process is root with {@code
 * apt-get}. Otherwise it fails, saying how to install them: a browser test never skips silently.
 *
 * <p>The paths default to Debian's ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}); the
 * system properties {@code surge.chromium} and {@code surge.chromedriver} point elsewhere.
 */
public final class ChromiumSetup {
  private static final String SCRIPT = "install-chromium.sh";
  private static final long INSTALL_MINUTES = 15;

  private ChromiumSetup() {}

  /**
   * The browser and driver to use, installed first if need be.
   *
   * @throws IllegalStateException if they are missing and cannot be installed here
   */
  public static synchronized Installation ensureInstalled() {
    Installation wanted =
        new Installation(
            Path.of(System.getProperty("surge.chromium", "/usr/bin/chromium")),
            Path.of(System.getProperty("surge.chromedriver", "/usr/bin/chromedriver")));
    if (wanted.present()) {
      return wanted;
    }
    if (!isRoot() || !onPath("apt-get")) {
      throw new IllegalStateException(missing(wanted, "this process cannot install them"));
    }
    String log = runInstallScript();
    if (!wanted.present()) {
      throw new IllegalStateException(
          missing(wanted, "running " + SCRIPT + " did not put them there (" + log + ")"));
    }
    return wanted;
  }

  private static String missing(Installation wanted, String why) {
    return "The dashboard's browser test needs headless Chromium and chromedriver at "
        + wanted.chromium()
        + " and "
        + wanted.chromedriver()
        + "; "
        + why
        + ".\nInstall them as root with: apt-get install -y chromium chromium-driver"
        + "\n(or point -Dsurge.chromium and -Dsurge.chromedriver at a matching pair).";
  }

  private static String runInstallScript() {
    try {
      Path script = Files.createTempFile("install-chromium", ".sh");
      Path log = Files.createTempFile("install-chromium", ".log");
      try (InputStream in = ChromiumSetup.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException(SCRIPT + " is missing from the test classpath");
        }
        Files.write(script, in.readAllBytes());
      }
      Process process =
          new ProcessBuilder(List.of("bash", script.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return "timed out after " + INSTALL_MINUTES + " minutes";
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(script);
      Files.deleteIfExists(log);
      return "exit " + process.exitValue() + "; its output:\n" + tail(output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + SCRIPT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing Chromium", e);
    }
  }

  private static String tail(String output) {
    return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
  }

  private static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A browser and its WebDriver.
   *
   * @param chromium the Chromium executable
   * @param chromedriver the matching chromedriver executable
   */
  public record Installation(Path chromium, Path chromedriver) {
    /** Whether both are there and executable. */
    public boolean present() {
      return Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
    }
  }
}
