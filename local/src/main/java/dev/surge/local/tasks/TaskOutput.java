package dev.surge.local.tasks;

import dev.surge.core.port.TaskView;
import dev.surge.local.logs.LogLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's output: followed, line by line, into its log file ({@code <task id>.log}) with the time
 * of each line, and read back with those times. For Surge's worker it also notes the ready line
 * (the task is RUNNING) and the summary line (items written, messages deleted, requests); once the
 * output ends the task is DEPROVISIONING, then STOPPED with its process's exit code.
 */
final class TaskOutput {
  private static final Logger log = LoggerFactory.getLogger(TaskOutput.class);

  private TaskOutput() {}

  /**
   * Follows {@code process}, the process of task {@code t}, until its output ends and it has
   * exited, stamping states with {@code clock} and handing the task to {@code changed} at each
   * change its viewers see. Runs on the task's own thread: every task needs one, or a chatty worker
   * would block on a full pipe.
   */
  static void follow(LocalTask t, Process process, Clock clock, Consumer<LocalTask> changed) {
    Writer file = openLog(t);
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        file = append(t, file, line);
        if (file != null) {
          t.lineWritten(clock.instant());
        }
        if (!t.request.definition().worker()) {
          continue; // a summary or a ready line means something for Surge's worker only
        }
        if (WorkerSummary.isReady(line)) {
          if (t.running(clock.instant())) {
            log.debug("task {} running", t.id);
            changed.accept(t);
          }
        } else {
          OptionalLong written = WorkerSummary.itemsWritten(line);
          if (written.isPresent()) {
            t.itemsWritten(written.getAsLong());
            WorkerSummary.messagesDeleted(line).ifPresent(t::messagesDeleted);
            WorkerSummary.requests(line).ifPresent(t::requests);
            t.requestsByService(
                WorkerSummary.sqsRequests(line).orElse(0),
                WorkerSummary.dynamoDbRequests(line).orElse(0));
          }
        }
      }
      // Its output ended: its process has exited (or closed its output).
      t.deprovisioning(clock.instant());
    } catch (IOException e) {
      log.warn("task {}: reading its output failed: {}", t.id, e.toString());
    } finally {
      closeQuietly(t, file);
    }
    int code = exitCode(process);
    t.stopped(clock.instant(), code);
    TaskView v = t.view();
    log.info(
        "task {} stopped: exit code {}, {} items written ({})",
        t.id,
        code,
        t.itemsWritten(),
        v.stopReason().orElse(""));
    changed.accept(t);
    t.stopped.countDown();
  }

  /**
   * The lines of task {@code t}'s log so far, each with when it was written.
   *
   * @throws UncheckedIOException if the log cannot be read
   */
  static List<LogLine> read(LocalTask t) {
    long[] times = t.lineTimes();
    List<LogLine> out = new ArrayList<>(times.length);
    // A reader that replaces malformed bytes, as the output was read: a worker may print any.
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(t.logFile), StandardCharsets.UTF_8))) {
      String line;
      // Only the lines whose time was noted: a line being written has none yet.
      for (int i = 0; i < times.length && (line = in.readLine()) != null; i++) {
        out.add(new LogLine(Instant.ofEpochMilli(times[i]), line));
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of task " + t.id, e);
    }
    return out;
  }

  private static int exitCode(Process p) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return p.waitFor();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Writer openLog(LocalTask t) {
    try {
      return Files.newBufferedWriter(t.logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      log.warn("task {}: cannot write its log {}: {}", t.id, t.logFile, e.toString());
      return null;
    }
  }

  private static Writer append(LocalTask t, Writer file, String line) {
    if (file == null) {
      return null;
    }
    try {
      file.write(line);
      file.write(System.lineSeparator());
      file.flush(); // so the log can be followed while the task runs
      return file;
    } catch (IOException e) {
      log.warn("task {}: writing its log failed, no more lines kept: {}", t.id, e.toString());
      closeQuietly(t, file);
      return null;
    }
  }

  private static void closeQuietly(LocalTask t, Writer file) {
    if (file == null) {
      return;
    }
    try {
      file.close();
    } catch (IOException e) {
      log.warn("task {}: closing its log failed: {}", t.id, e.toString());
    }
  }
}
