package dev.surge.standins;

import dev.surge.aws.PlainHttp;
import dev.surge.core.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dynalite (the DynamoDB API on LevelDB, in memory) as a Node.js child process on one local
 * interface. The child ignores SIGINT (a terminal's Ctrl-C reaches the whole process group: the
 * table must outlive the workers and the run's summary) and exits when its standard input closes,
 * so it cannot outlive this JVM even after SIGKILL; {@link #close()} (also run by a shutdown hook)
 * stops it with stdin EOF, then SIGTERM, then SIGKILL.
 */
public final class DynaliteServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DynaliteServer.class);
  private static final String LISTENING = "SURGE_DYNALITE_LISTENING ";
  private static final String ERROR = "SURGE_DYNALITE_ERROR ";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int LAST_LINES = 20;

  private final Process process;
  private final URI endpoint;
  private final Thread shutdownHook;
  private final Owner owner;

  /**
   * Whoever else stops this server at JVM shutdown, and for how long the shutdown hook waits for
   * them: the JVM runs every hook at once, and a local cloud stopping its workers needs DynamoDB
   * until they have finished.
   */
  private static final class Owner {
    private volatile Duration wait = Duration.ZERO;
    private final CountDownLatch closed = new CountDownLatch(1);

    /** Set before this JVM stops the child: an exit before that is reported as unexpected. */
    private volatile boolean stopping;

    void await() {
      try {
        closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private DynaliteServer(Process process, URI endpoint, Thread shutdownHook, Owner owner) {
    this.owner = owner;
    this.process = process;
    this.endpoint = endpoint;
    this.shutdownHook = shutdownHook;
  }

  /** Starts dynalite on {@code host}:{@code port} (0 = a free port), installing it if needed. */
  public static DynaliteServer start(String host, int port) {
    return start(host, port, PinnedNodePackage.defaultCacheRoot());
  }

  /**
   * Starts dynalite with its npm install cached under {@code cacheRoot}, and health-checks it.
   *
   * @throws ConfigException when Node.js is missing, the install fails, or the port is taken
   */
  public static DynaliteServer start(String host, int port, Path cacheRoot) {
    Path node = NodeRuntime.node();
    Path dir = DynaliteInstall.ensure(cacheRoot);
    Process process;
    try {
      process =
          new ProcessBuilder(
                  node.toString(),
                  dir.resolve("launch.js").toString(),
                  "--host",
                  host,
                  "--port",
                  Integer.toString(port))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new ConfigException("could not start dynalite with " + node + ": " + e.getMessage(), e);
    }
    Owner owner = new Owner();
    Thread hook =
        new Thread(
            () -> {
              owner.stopping = true;
              owner.await();
              stop(process);
            },
            "dynalite-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(() -> pump(process, ready, owner), "dynalite-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    try {
      String line = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (line.startsWith(ERROR)) {
        String detail = line.substring(ERROR.length());
        String hint =
            detail.startsWith("EADDRINUSE")
                ? host
                    + ":"
                    + port
                    + " is already in use (is another 'surge up' running?); stop that process or"
                    + " choose another port with --dynamodb-port"
                : detail;
        throw new ConfigException("cannot start dynalite, the local DynamoDB stand-in: " + hint);
      }
      int bound = Integer.parseInt(line.substring(LISTENING.length()).trim());
      URI endpoint = URI.create("http://" + host + ":" + bound);
      healthCheck(endpoint);
      log.debug("dynalite (pid {}) listening at {}", process.pid(), endpoint);
      return new DynaliteServer(process, endpoint, hook, owner);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(process, hook, owner);
      throw new IllegalStateException("interrupted while starting dynalite", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      abort(process, hook, owner);
      if (e instanceof ConfigException ce) {
        throw ce;
      }
      throw new ConfigException(
          "dynalite, the local DynamoDB stand-in, did not start within "
              + START_TIMEOUT.toSeconds()
              + " s: "
              + e.getMessage(),
          e);
    }
  }

  /** The DynamoDB endpoint, e.g. {@code http://127.0.0.1:8000}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /**
   * At JVM shutdown, lets {@link #close()} (called by whoever owns this server, in its own order)
   * stop the child, waiting for that up to {@code atMost} before the hook stops it anyway.
   */
  public void stopAtShutdownAfterOwner(Duration atMost) {
    owner.wait = Objects.requireNonNull(atMost, "atMost");
  }

  /** Stops the child and waits until it is gone. */
  @Override
  public void close() {
    owner.stopping = true;
    owner.closed.countDown();
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running or has run
    }
  }

  private static void abort(Process process, Thread hook, Owner owner) {
    owner.stopping = true;
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down
    }
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    try {
      process.getOutputStream().close(); // EOF on its stdin: it exits by itself
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads the child's output until it ends: the first lines until it listens (for the start's
   * error), then at debug level. An exit nobody asked for is logged as a warning with its exit code
   * and last lines, since every request to the endpoint then fails with "connection refused", which
   * does not say why.
   */
  private static void pump(Process process, CompletableFuture<String> ready, Owner owner) {
    ArrayDeque<String> last = new ArrayDeque<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      StringBuilder early = new StringBuilder();
      String line;
      while ((line = r.readLine()) != null) {
        if (!ready.isDone() && (line.startsWith(LISTENING) || line.startsWith(ERROR))) {
          ready.complete(line);
        } else if (!ready.isDone()) {
          early.append(line).append('\n');
        } else {
          log.debug("dynalite: {}", line);
          if (last.size() == LAST_LINES) {
            last.removeFirst();
          }
          last.addLast(line);
        }
      }
      ready.completeExceptionally(
          new IOException("dynalite exited before listening" + tail(early)));
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
    if (ready.isDone() && !ready.isCompletedExceptionally()) {
      reportUnexpectedExit(process, owner, last);
    }
  }

  private static void reportUnexpectedExit(Process process, Owner owner, ArrayDeque<String> last) {
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS) || owner.stopping) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    int code = process.exitValue();
    log.warn(
        "dynalite (pid {}), the local DynamoDB stand-in, stopped without being asked to: exit code {}{}{}",
        process.pid(),
        code,
        code > 128 ? " (signal " + (code - 128) + ")" : "",
        last.isEmpty() ? "" : "; its last lines:\n" + String.join("\n", last));
  }

  private static String tail(StringBuilder early) {
    String s = early.toString().strip();
    if (s.isEmpty()) {
      return "";
    }
    return ":\n" + (s.length() > 2000 ? s.substring(s.length() - 2000) : s);
  }

  /** One real ListTables request; dynalite checks that a signature is present, not its value. */
  private static void healthCheck(URI endpoint) {
    try {
      PlainHttp.Response r =
          PlainHttp.send(
              "POST",
              endpoint,
              Map.of(
                  "Content-Type", List.of("application/x-amz-json-1.0"),
                  "X-Amz-Target", List.of("DynamoDB_20120810.ListTables"),
                  "X-Amz-Date", List.of("20260101T000000Z"),
                  "Authorization",
                      List.of(
                          "AWS4-HMAC-SHA256 Credential=surge-local/20260101/us-east-1/dynamodb/"
                              + "aws4_request, SignedHeaders=host;x-amz-date, Signature=0")),
              "{}".getBytes(StandardCharsets.UTF_8),
              Duration.ofSeconds(5),
              Duration.ofSeconds(10));
      String body = r.text();
      if (r.statusCode() != 200 || !body.contains("TableNames")) {
        throw new IllegalStateException(
            "health check ListTables answered " + r.statusCode() + ": " + body);
      }
    } catch (IOException e) {
      throw new IllegalStateException("health check ListTables failed: " + e.getMessage(), e);
    }
  }
}
