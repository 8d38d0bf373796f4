package dev.surge.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.standins.aws.ImageRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An image pulled from a registry and unpacked into a folder: its manifest, its configuration
 * (entry point, user, environment) and its layers' files. {@link #command} is the container's
 * command with paths moved under the folder, which is how this machine runs "the container" without
 * a container engine: the same classes, libraries, JVM flags and main class as the image's entry
 * point; only {@code java} is this JVM's instead of the base image's.
 *
 * @param root the folder the layers were unpacked into
 * @param manifest the image manifest
 * @param config the image configuration document
 */
record ContainerImage(Path root, JsonNode manifest, JsonNode config) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Pulls {@code repository:tag} from {@code registry} and unpacks its layers into {@code root}.
   */
  static ContainerImage pull(ImageRegistry registry, String repository, String tag, Path root) {
    JsonNode manifest = registry.manifest(repository, tag);
    JsonNode config;
    try {
      config =
          JSON.readTree(registry.blob(repository, manifest.path("config").path("digest").asText()));
      Files.createDirectories(root);
      for (JsonNode layer : manifest.path("layers")) {
        byte[] blob = registry.blob(repository, layer.path("digest").asText());
        unpack(blob, root);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ContainerImage(root, manifest, config);
  }

  /** The configuration's {@code Entrypoint} followed by its {@code Cmd}. */
  List<String> entrypoint() {
    List<String> out = new ArrayList<>();
    config.path("config").path("Entrypoint").forEach(a -> out.add(a.asText()));
    config.path("config").path("Cmd").forEach(a -> out.add(a.asText()));
    return out;
  }

  /** The configuration's {@code User}. */
  String user() {
    return config.path("config").path("User").asText("");
  }

  /** The configuration's {@code Env}, as a map. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode kv : config.path("config").path("Env")) {
      String s = kv.asText();
      int eq = s.indexOf('=');
      env.put(s.substring(0, eq), s.substring(eq + 1));
    }
    return env;
  }

  /**
   * The entry point as this machine runs it: {@code java} is {@code javaExecutable}, and every
   * absolute path of the image ({@code /app/...}, also inside an {@code @argfile}) is under {@link
   * #root}.
   */
  List<String> command(String javaExecutable) {
    List<String> cmd = new ArrayList<>();
    for (String arg : entrypoint()) {
      if (cmd.isEmpty() && arg.equals("java")) {
        cmd.add(javaExecutable);
      } else if (arg.startsWith("@/")) {
        cmd.add("@" + rewriteArgFile(arg.substring(1)));
      } else if (arg.startsWith("/")) {
        cmd.add(root + arg);
      } else {
        cmd.add(arg);
      }
    }
    return cmd;
  }

  /**
   * Writes the rewritten argument file once, atomically: containers start concurrently, and a JVM
   * reading a file another start is rewriting sees a truncated classpath (java then prints its
   * usage and exits 1).
   */
  private synchronized Path rewriteArgFile(String inImage) {
    Path original = root.resolve(inImage.substring(1));
    Path local = original.resolveSibling(original.getFileName() + ".local");
    if (Files.exists(local)) {
      return local;
    }
    try {
      String text = Files.readString(original, StandardCharsets.UTF_8).strip();
      StringBuilder out = new StringBuilder();
      for (String entry : text.split(":")) {
        out.append(out.length() == 0 ? "" : ":")
            .append(entry.startsWith("/") ? root + entry : entry);
      }
      Path partial =
          Files.createTempFile(local.getParent(), local.getFileName().toString(), ".tmp");
      Files.writeString(partial, out.toString(), StandardCharsets.UTF_8);
      Files.move(partial, local, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return local;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void unpack(byte[] gzippedTar, Path root) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gzippedTar)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("layer entry outside the root: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /**
   * A base image made here, needing no network: one layer with one file, an amd64/linux
   * configuration with a PATH. Pushed to {@code repository:tag}; returns its reference.
   */
  static String pushTestBase(ImageRegistry registry, String repository, String tag) {
    try {
      ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
        byte[] file =
            "Surge's test base image: no Java inside; the test runs the worker with the test's JVM\n"
                .getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry("etc/surge-test-base");
        entry.setSize(file.length);
        tar.putArchiveEntry(entry);
        tar.write(file);
        tar.closeArchiveEntry();
      }
      byte[] layerTar = tarBytes.toByteArray();
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write(layerTar);
      }
      byte[] layer = gz.toByteArray();
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("architecture", "amd64");
      config.put("os", "linux");
      config.put("config", Map.of("Env", List.of("PATH=/usr/local/bin:/usr/bin:/bin")));
      config.put(
          "rootfs", Map.of("type", "layers", "diff_ids", List.of(ImageRegistry.digest(layerTar))));
      byte[] configBytes = JSON.writeValueAsBytes(config);
      String configDigest = registry.putBlob(repository, configBytes);
      String layerDigest = registry.putBlob(repository, layer);
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("schemaVersion", 2);
      manifest.put("mediaType", ImageRegistry.DOCKER_MANIFEST);
      manifest.put(
          "config",
          Map.of(
              "mediaType",
              "application/vnd.docker.container.image.v1+json",
              "size",
              configBytes.length,
              "digest",
              configDigest));
      manifest.put(
          "layers",
          List.of(
              Map.of(
                  "mediaType",
                  "application/vnd.docker.image.rootfs.diff.tar.gzip",
                  "size",
                  layer.length,
                  "digest",
                  layerDigest)));
      registry.putManifest(
          repository, tag, JSON.writeValueAsBytes(manifest), ImageRegistry.DOCKER_MANIFEST);
      return registry.host() + "/" + repository + ":" + tag;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
