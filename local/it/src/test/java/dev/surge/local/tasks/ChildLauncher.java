package dev.surge.local.tasks;

import dev.surge.standins.JavaProcess;
import dev.surge.standins.StandIns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A {@link LauncherChild} JVM seen from the test: its workers' pids and its output. */
final class ChildLauncher implements AutoCloseable {
  final Process process;
  final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<List<Long>> workers = new CompletableFuture<>();

  ChildLauncher(StandIns standIns, Resources r, Path logs, int workerCount) throws IOException {
    process =
        JavaProcess.builder(
                LauncherChild.class,
                Map.of(),
                standIns.sqsEndpoint().toString(),
                standIns.dynamoDbEndpoint().toString(),
                r.name,
                r.name,
                logs.toString(),
                Integer.toString(workerCount))
            .redirectErrorStream(true)
            .start();
    Thread reader = new Thread(this::read, "launcher-child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The workers' process ids, once they all run. */
  List<Long> workers(Duration timeout) throws Exception {
    return workers.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void read() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        output.add(line);
        if (line.startsWith("WORKERS ")) {
          workers.complete(
              Arrays.stream(line.substring(8).trim().split(" ")).map(Long::valueOf).toList());
        }
      }
    } catch (IOException e) {
      workers.completeExceptionally(e);
    }
    workers.completeExceptionally(new IllegalStateException("no WORKERS line: " + output));
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Kills the child and any worker still alive, so that no test leaves a process behind. */
  @Override
  public void close() {
    process.destroyForcibly();
    workers
        .getNow(List.of())
        .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }
}
