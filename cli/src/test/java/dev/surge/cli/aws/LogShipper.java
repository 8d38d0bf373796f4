package dev.surge.cli.aws;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;

/**
 * What a log driver does with a process's output: each line becomes an event of one CloudWatch Logs
 * stream ({@code CreateLogStream} once, then {@code PutLogEvents} in order). The caller's
 * credentials are the identity AWS would write with: the task's execution role for a container's
 * {@code awslogs} driver, the function's role for Lambda.
 */
final class LogShipper {
  private final CloudWatchLogsClient logs;
  private final String group;
  private final String stream;
  private final Clock clock;
  private final List<InputLogEvent> pending = new ArrayList<>();
  private boolean created;

  LogShipper(CloudWatchLogsClient logs, String group, String stream, Clock clock) {
    this.logs = logs;
    this.group = group;
    this.stream = stream;
    this.clock = clock;
  }

  /** Queues one line, stamped now. */
  synchronized void line(String message) {
    pending.add(InputLogEvent.builder().timestamp(clock.millis()).message(message).build());
  }

  /** Sends what is queued (SDK errors, such as AccessDenied, pass through). */
  synchronized void flush() {
    if (pending.isEmpty()) {
      return;
    }
    if (!created) {
      try {
        logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
      } catch (ResourceAlreadyExistsException e) {
        // A second shipper of the same stream.
      }
      created = true;
    }
    List<InputLogEvent> batch = List.copyOf(pending);
    logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(batch));
    pending.clear();
  }

  String group() {
    return group;
  }

  String stream() {
    return stream;
  }
}
