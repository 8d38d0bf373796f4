package dev.surge.standins;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The pinned dynalite (committed {@code package.json}, lockfile and launcher script). */
final class DynaliteInstall {
  private static final String RESOURCES = "/dev/surge/standins/dynalite/";
  private static final String[] FILES = {"package.json", "package-lock.json", "launch.js"};

  private DynaliteInstall() {}

  /**
   * The folder holding {@code launch.js} and {@code node_modules/dynalite}, installed if needed.
   */
  static Path ensure(Path cacheRoot) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String f : FILES) {
      files.put(f, resource(f));
    }
    return PinnedNodePackage.install(
        "dynalite", "dynalite, the local DynamoDB stand-in", files, cacheRoot);
  }

  private static byte[] resource(String name) {
    try (InputStream in = DynaliteInstall.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCES + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
