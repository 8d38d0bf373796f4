package dev.surge.deploy;

import dev.surge.core.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Node.js that runs the CDK CLI and the CDK app's runtime (jsii), against the releases the
 * pinned jsii supports. Node.js 22 and 24 are supported. Node.js 20 reached its end of life on
 * 2026-04-30 and the end of jsii's support on 2026-10-30: it still deploys, but jsii then prints a
 * 20-line banner on every synth; Surge says so in one line instead and silences the banner. Older
 * releases are refused.
 */
record NodeVersion(String version, int major) {
  /** The oldest major release that runs the pinned CDK at all. */
  static final int OLDEST = 20;

  /** The oldest major release the pinned CDK's runtime still supports. */
  static final int SUPPORTED = 22;

  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.\\d+\\.\\d+.*");

  /** Parses what {@code node --version} prints, e.g. {@code v20.20.2}. */
  static NodeVersion parse(String printed) {
    Matcher m = VERSION.matcher(printed.trim());
    if (!m.matches()) {
      throw new ConfigException(
          "cannot tell the Node.js version from 'node --version' ('"
              + printed.trim()
              + "'); install Node.js "
              + SUPPORTED
              + " or 24");
    }
    return new NodeVersion(printed.trim(), Integer.parseInt(m.group(1)));
  }

  /** Asks {@code node} its version. */
  static NodeVersion of(Path node) {
    try {
      Process p =
          new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new ConfigException("'node --version' did not answer within 30 s");
      }
      return parse(out);
    } catch (IOException e) {
      throw new ConfigException("cannot run 'node --version': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while asking node its version", e);
    }
  }

  /** Refuses a release the pinned CDK cannot run on, with what to install. */
  NodeVersion requireRunnable() {
    if (major < OLDEST) {
      throw new ConfigException(
          "Node.js "
              + version
              + " is too old for the AWS CDK; install Node.js "
              + SUPPORTED
              + " or 24 (with npm)");
    }
    return this;
  }

  /** The one line to print before running the CDK, when this release is past its support. */
  Optional<String> warning() {
    return major < SUPPORTED
        ? Optional.of(
            "surge: Node.js "
                + version
                + " is past its end of life and the AWS CDK's runtime no longer supports it;"
                + " it still deploys, but move to Node.js "
                + SUPPORTED
                + " or 24")
        : Optional.empty();
  }

  /** What the CDK app's runtime needs to say it once (here) instead of in a banner each time. */
  Map<String, String> silencing() {
    return major < SUPPORTED
        ? Map.of(
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION",
            String.valueOf(major),
            "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION",
            "1")
        : Map.of();
  }
}
