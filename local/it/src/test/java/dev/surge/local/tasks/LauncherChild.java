package dev.surge.local.tasks;

import dev.surge.aws.AwsTarget;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.TaskState;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A launcher in its own JVM, for the tests that end that JVM: starts workers that would idle for
 * two minutes, prints {@code WORKERS <pid>...} once they all run, and when its standard input
 * closes exits without closing the launcher, leaving the workers to its shutdown hook.
 */
public final class LauncherChild {
  private LauncherChild() {}

  /** Arguments: SQS endpoint, DynamoDB endpoint, queue, table, log directory, workers. */
  public static void main(String[] args) throws IOException {
    int workers = Integer.parseInt(args[5]);
    AwsTarget target = AwsTarget.local(URI.create(args[0]), URI.create(args[1]));
    LauncherSettings settings =
        LauncherSettings.of(target, args[2], args[3], workers, Path.of(args[4]))
            .withTuning(
                WorkerTuning.defaults()
                    .withConcurrency(1)
                    .withPollWait(Duration.ofSeconds(1))
                    .withIdleWindow(Duration.ofMinutes(2)));
    EventLog events = new EventLog(100);
    Set<String> running = ConcurrentHashMap.newKeySet();
    ProcessTaskLauncher launcher =
        new ProcessTaskLauncher(settings, WorkerCommand.current(), Clock.systemUTC(), events);
    events.subscribe(
        0,
        s -> {
          if (s.event() instanceof PipelineEvent.TaskChanged t
              && t.task().state() == TaskState.RUNNING
              && running.add(t.task().taskId())
              && running.size() == workers) {
            System.out.println(
                "WORKERS "
                    + launcher.tasks().stream()
                        .map(v -> Long.toString(launcher.process(v.taskId()).orElseThrow().pid()))
                        .collect(Collectors.joining(" ")));
            System.out.flush();
          }
        });
    launcher.run(launcher.latestOfFamily("surge"), workers);
    while (System.in.read() >= 0) {
      // nothing is expected; only the end of input matters
    }
    System.exit(0);
  }
}
