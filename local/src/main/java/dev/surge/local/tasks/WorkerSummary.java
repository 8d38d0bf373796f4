package dev.surge.local.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.worker.WorkerRunner;
import java.io.IOException;
import java.util.OptionalLong;

/** Reads the one-line JSON summary a worker prints when it ends. */
final class WorkerSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkerSummary() {}

  /** The {@code written} count of {@code line}, if it is a well-formed summary line. */
  static OptionalLong itemsWritten(String line) {
    return field(line, "written");
  }

  /**
   * The {@code deleted} count of a summary line: messages the worker wrote and then deleted from
   * the queue (two messages with the same body are two, written as one item).
   */
  static OptionalLong messagesDeleted(String line) {
    return field(line, "deleted");
  }

  /** The {@code requests} count (API requests the worker sent) of a summary line. */
  static OptionalLong requests(String line) {
    return field(line, "requests");
  }

  /** The SQS requests of a summary line. */
  static OptionalLong sqsRequests(String line) {
    return field(line, "sqsRequests");
  }

  /** The DynamoDB requests of a summary line. */
  static OptionalLong dynamoDbRequests(String line) {
    return field(line, "dynamoDbRequests");
  }

  private static OptionalLong field(String line, String name) {
    if (!line.startsWith(WorkerRunner.SUMMARY_PREFIX)) {
      return OptionalLong.empty();
    }
    try {
      JsonNode value =
          JSON.readTree(line.substring(WorkerRunner.SUMMARY_PREFIX.length())).path(name);
      return value.canConvertToLong() && value.isIntegralNumber()
          ? OptionalLong.of(value.asLong())
          : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** Whether {@code line} is the worker's ready line. */
  static boolean isReady(String line) {
    return line.startsWith(WorkerRunner.READY_PREFIX);
  }
}
