package dev.surge.standins.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.standins.NodeRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OCI/Docker registry (Distribution v2, Debian's {@code docker-registry}) on a free port of
 * 127.0.0.1, storing into a folder of the test's, without authentication. It runs under a small
 * shell that stops it when its standard input closes, so it cannot outlive the test JVM; {@link
 * #close()} stops both by PID. When the binary is missing and this process is root with {@code
 * apt-get}, the bundled {@code install-docker-registry.sh} installs it; otherwise it fails with the
 * command to run.
 */
public final class ImageRegistry implements AutoCloseable {
  /** Docker's v2 manifest media type (what Jib pushes by default). */
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** The OCI manifest media type. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern CHILD = Pattern.compile("REGISTRY_PID=(\\d+)");
  private static final Duration START = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process shell;
  private final long registryPid;
  private final String host;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private ImageRegistry(Process shell, long registryPid, String host, Path log) {
    this.shell = shell;
    this.registryPid = registryPid;
    this.host = host;
    this.log = log;
  }

  /** Starts a registry whose storage, configuration and log live in {@code dir}. */
  public static ImageRegistry start(Path dir) {
    Path binary = binary();
    try {
      Files.createDirectories(dir.resolve("storage"));
      Path config = dir.resolve("config.yml");
      Files.writeString(
          config,
          "version: 0.1\n"
              + "log:\n  level: info\n  accesslog:\n    disabled: true\n"
              + "storage:\n  filesystem:\n    rootdirectory: "
              + dir.resolve("storage")
              + "\n  delete:\n    enabled: true\n"
              + "http:\n  addr: 127.0.0.1:0\n  secret: surge-test-registry\n",
          StandardCharsets.UTF_8);
      Path log = dir.resolve("registry.log");
      // The shell holds the registry: end of standard input (the JVM's end, however it ends)
      // stops it, and so does a TERM to the shell.
      String script =
          "\"$0\" serve \"$1\" & child=$!; echo REGISTRY_PID=$child;"
              + " trap 'kill $child 2>/dev/null' EXIT INT TERM; cat >/dev/null";
      Process shell =
          new ProcessBuilder("sh", "-c", script, binary.toString(), config.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      Instant deadline = Instant.now().plus(START);
      while (Instant.now().isBefore(deadline)) {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        Matcher port = LISTENING.matcher(text);
        Matcher child = CHILD.matcher(text);
        if (port.find() && child.find()) {
          return new ImageRegistry(
              shell, Long.parseLong(child.group(1)), "127.0.0.1:" + port.group(1), log);
        }
        if (!shell.isAlive()) {
          break;
        }
        Thread.sleep(100);
      }
      shell.destroyForcibly();
      throw new IllegalStateException(
          "the registry did not start within "
              + START.toSeconds()
              + " s; its log:\n"
              + Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the registry", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the registry", e);
    }
  }

  private static Path binary() {
    Optional<Path> found =
        NodeRuntime.find("docker-registry")
            .or(() -> Optional.of(Path.of("/usr/bin/docker-registry")).filter(Files::isExecutable));
    if (found.isPresent()) {
      return found.get();
    }
    String result = install();
    return NodeRuntime.find("docker-registry")
        .or(() -> Optional.of(Path.of("/usr/bin/docker-registry")).filter(Files::isExecutable))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "The image push test needs a registry v2 server ('docker-registry' on the"
                        + " PATH); installing it did not work ("
                        + result
                        + "). Install it as root with: apt-get install -y docker-registry"));
  }

  private static String install() {
    try {
      Path script = Files.createTempFile("install-docker-registry", ".sh");
      try (InputStream in =
          ImageRegistry.class.getResourceAsStream("/install-docker-registry.sh")) {
        if (in == null) {
          return "install-docker-registry.sh is missing from the test class path";
        }
        Files.write(script, in.readAllBytes());
      }
      Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean done = p.waitFor(15, TimeUnit.MINUTES);
      Files.deleteIfExists(script);
      if (!done) {
        p.destroyForcibly();
        return "timed out";
      }
      return "exit " + p.exitValue() + ": " + out.strip();
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** {@code 127.0.0.1:<port>}: the registry part of an image reference. */
  public String host() {
    return host;
  }

  /** The registry's PID (the shell that holds it has its own). */
  public long pid() {
    return registryPid;
  }

  /** Where the registry logs. */
  public Path log() {
    return log;
  }

  /** Uploads {@code content} as a blob of {@code repository}; returns its digest. */
  public String putBlob(String repository, byte[] content) {
    String digest = digest(content);
    HttpResponse<String> start =
        send(
            HttpRequest.newBuilder(url("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.ofString(),
            202);
    String location = start.headers().firstValue("Location").orElseThrow();
    URI upload = location.startsWith("http") ? URI.create(location) : url(location);
    String sep = upload.getQuery() == null ? "?" : "&";
    send(
        HttpRequest.newBuilder(URI.create(upload + sep + "digest=" + digest))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content)),
        HttpResponse.BodyHandlers.ofString(),
        201);
    return digest;
  }

  /** Puts {@code manifest} (of {@code mediaType}) as {@code repository:tag}. */
  public void putManifest(String repository, String tag, byte[] manifest, String mediaType) {
    send(
        HttpRequest.newBuilder(url("/v2/" + repository + "/manifests/" + tag))
            .header("Content-Type", mediaType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
        HttpResponse.BodyHandlers.ofString(),
        201);
  }

  /** The manifest of {@code repository:reference}, as the registry serves it. */
  public JsonNode manifest(String repository, String reference) {
    HttpResponse<byte[]> r =
        send(
            HttpRequest.newBuilder(url("/v2/" + repository + "/manifests/" + reference))
                .header("Accept", OCI_MANIFEST + ", " + DOCKER_MANIFEST)
                .GET(),
            HttpResponse.BodyHandlers.ofByteArray(),
            200);
    return parse(r.body());
  }

  /** The tags of {@code repository}. */
  public List<String> tags(String repository) {
    HttpResponse<byte[]> r =
        send(
            HttpRequest.newBuilder(url("/v2/" + repository + "/tags/list")).GET(),
            HttpResponse.BodyHandlers.ofByteArray(),
            200);
    List<String> tags = new java.util.ArrayList<>();
    parse(r.body()).path("tags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  /** The blob {@code digest} of {@code repository}. */
  public byte[] blob(String repository, String digest) {
    return send(
            HttpRequest.newBuilder(url("/v2/" + repository + "/blobs/" + digest)).GET(),
            HttpResponse.BodyHandlers.ofByteArray(),
            200)
        .body();
  }

  /** {@code sha256:<hex>} of {@code content}. */
  public static String digest(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private URI url(String path) {
    return URI.create("http://" + host + path);
  }

  private <T> HttpResponse<T> send(
      HttpRequest.Builder request, HttpResponse.BodyHandler<T> body, int expected) {
    HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
    try {
      HttpResponse<T> r = http.send(built, body);
      if (r.statusCode() != expected) {
        Object b = r.body();
        String text =
            b instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : "" + b;
        throw new IllegalStateException(
            built.method() + " " + built.uri() + " answered HTTP " + r.statusCode() + ": " + text);
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the registry: closes the shell's input, then ends both processes by PID. */
  @Override
  public void close() {
    try {
      shell.getOutputStream().close();
    } catch (IOException e) {
      // Already gone.
    }
    try {
      if (!shell.waitFor(5, TimeUnit.SECONDS)) {
        shell.destroy();
        shell.waitFor(5, TimeUnit.SECONDS);
      }
      ProcessHandle.of(registryPid)
          .ifPresent(
              h -> {
                h.destroy();
                try {
                  h.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                  h.destroyForcibly();
                }
              });
    } catch (InterruptedException e) {
      shell.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
