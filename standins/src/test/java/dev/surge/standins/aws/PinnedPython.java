package dev.surge.standins.aws;

import dev.surge.standins.NodeRuntime;
import dev.surge.standins.PinnedNodePackage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Python 3 that has the pinned moto (with its server extra) and cfn-lint: the independent AWS
 * references of the AWS tests. In order: {@code $SURGE_PYTHON}; {@code python3} on the PATH; a
 * virtual environment in the project's cache ({@code ~/.cache/surge/python-<hash>}, made once with
 * {@code pip install -r requirements.txt}, as the pinned npm tools are installed). When none has
 * them (no PyPI here, say), it fails with what to install: an AWS test never skips silently.
 */
public final class PinnedPython {
  /** The moto version the patches in {@code surge_moto.py} are written for. */
  public static final String MOTO = "5.2.1";

  /** The cfn-lint version the template is linted with. */
  public static final String CFN_LINT = "1.51.0";

  private static final String REQUIREMENTS = "/dev/surge/standins/moto/requirements.txt";
  // The installed distributions' versions, from their metadata (importing moto itself costs a few
  // CPU seconds, and every test JVM that runs moto or cfn-lint asks once), and the interpreter's
  // own path: a version manager's shim (pyenv's) is a shell script that runs it, at a cost on
  // every start.
  private static final String PROBE =
      "import sys; from importlib.metadata import version as v;"
          + " v('flask'); v('flask-cors'); print(v('moto'), v('cfn-lint'), sys.executable)";
  private static Path found;

  private PinnedPython() {}

  /** The interpreter to run moto and cfn-lint with (found once per test JVM). */
  public static synchronized Path interpreter() {
    if (found == null) {
      found = resolve();
    }
    return found;
  }

  private static Path resolve() {
    List<String> tried = new ArrayList<>();
    Optional<String> own = Optional.ofNullable(System.getenv("SURGE_PYTHON"));
    if (own.isPresent() && !own.get().isBlank()) {
      Path p = Path.of(own.get());
      String versions = versions(p);
      if (pinned(versions)) {
        return p;
      }
      throw new IllegalStateException(
          "SURGE_PYTHON=" + p + " has " + versions + "; " + wanted() + "\n" + howToInstall());
    }
    Optional<Path> python3 = NodeRuntime.find("python3");
    if (python3.isPresent()) {
      String versions = versions(python3.get());
      if (pinned(versions)) {
        // The interpreter itself, not the shim that may stand for it on the PATH.
        Path itself = Path.of(versions.substring(PINNED.length()));
        return Files.isExecutable(itself) ? itself : python3.get();
      }
      tried.add(python3.get() + ": " + versions);
    } else {
      tried.add("python3: not on the PATH");
    }
    Path venv = PinnedNodePackage.defaultCacheRoot().resolve("python-" + requirementsHash());
    Path venvPython = venv.resolve("bin/python");
    if (Files.isExecutable(venvPython) && pinned(versions(venvPython))) {
      return venvPython;
    }
    if (python3.isPresent()) {
      String result = createVenv(python3.get(), venv);
      if (Files.isExecutable(venvPython) && pinned(versions(venvPython))) {
        return venvPython;
      }
      tried.add("a virtual environment in " + venv + ": " + result);
    }
    throw new IllegalStateException(
        "The AWS tests need "
            + wanted()
            + ". Tried:\n  "
            + String.join("\n  ", tried)
            + "\n"
            + howToInstall());
  }

  private static String wanted() {
    return "Python 3 with moto[server]==" + MOTO + " and cfn-lint==" + CFN_LINT;
  }

  private static String howToInstall() {
    return "Install them with: python3 -m pip install 'moto[server]=="
        + MOTO
        + "' 'cfn-lint=="
        + CFN_LINT
        + "' (or let the build make its virtual environment, which needs PyPI), or"
        + " point SURGE_PYTHON at an interpreter that has them.";
  }

  // What the probe prints first for an interpreter that has them: the interpreter's path follows.
  private static final String PINNED = MOTO + " " + CFN_LINT + " ";

  private static boolean pinned(String versions) {
    return versions.startsWith(PINNED);
  }

  /** "moto-version cfn-lint-version interpreter-path", or why they could not be read. */
  private static String versions(Path python) {
    try {
      Process p =
          new ProcessBuilder(python.toString(), "-c", PROBE).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "no answer within 60 s";
      }
      if (p.exitValue() != 0) {
        String last = out.lines().reduce((a, b) -> b).orElse(out);
        return "not moto[server] and cfn-lint (" + last + ")";
      }
      return out;
    } catch (IOException e) {
      return "cannot run it (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String createVenv(Path python3, Path venv) {
    try {
      Files.createDirectories(venv.getParent());
      Path requirements = Files.createTempFile("surge-python", ".txt");
      Files.write(requirements, requirements());
      try {
        run(600, python3.toString(), "-m", "venv", "--clear", venv.toString());
        run(
            900,
            venv.resolve("bin/python").toString(),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            "-r",
            requirements.toString());
        return "installed";
      } finally {
        Files.deleteIfExists(requirements);
      }
    } catch (IOException e) {
      return "could not install (" + e.getMessage().lines().reduce((a, b) -> b).orElse("") + ")";
    }
  }

  private static void run(long seconds, String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed:\n" + out);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static byte[] requirements() {
    try (InputStream in = PinnedPython.class.getResourceAsStream(REQUIREMENTS)) {
      if (in == null) {
        throw new IllegalStateException(REQUIREMENTS + " is missing from the test class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String requirementsHash() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(requirements());
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
