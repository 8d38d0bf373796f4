package dev.surge.bench.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.aws.RequestCounter;
import dev.surge.worker.ProcessCpu;
import dev.surge.worker.WorkerRunner;
import java.time.Duration;
import java.util.Map;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The Java peer of {@code surge bench}: a Spring Cloud AWS SQS batch listener ({@link
 * PeerConfiguration}, {@link ItemListener}) in a plain Spring application context, run in its own
 * JVM with the worker's JVM options. It drains the bench's queue into its table and stops once it
 * has deleted {@code SURGE_BENCH_MESSAGES} messages, then prints one {@value #RESULT_PREFIX} JSON
 * line with the fields every contender reports: messages, busy millis, CPU millis over the busy
 * window, requests, peak heap and peak RSS.
 */
public final class SpringPeer {
  /** Prefix of the result line: the one the bench reads from every reference loop. */
  public static final String RESULT_PREFIX = "SURGE_BENCH_RESULT ";

  /** Seconds without progress (nothing received, written or deleted) before the peer gives up. */
  public static final String STALL = "SURGE_BENCH_STALL_SECONDS";

  private SpringPeer() {}

  /** Starts the peer's context with its settings from the environment. */
  public static void main(String[] args) throws InterruptedException {
    int exit;
    try (AnnotationConfigApplicationContext context = start(Map.of())) {
      Progress progress = context.getBean(Progress.class);
      Duration stall =
          Duration.ofSeconds(context.getEnvironment().getProperty(STALL, Integer.class, 60));
      boolean done = progress.await(stall);
      System.out.println(RESULT_PREFIX + result(progress, context.getBean(RequestCounter.class)));
      System.out.flush();
      if (!done) {
        System.err.printf(
            "spring peer: no progress for %d s; deleted %d of %d messages%n",
            stall.toSeconds(), progress.deleted(), progress.expected());
      }
      exit = done ? 0 : 1;
    }
    System.exit(exit);
  }

  /**
   * Starts the peer's context; {@code properties} come before the environment's variables (tests
   * give the settings this way). The listener starts polling at once.
   */
  static AnnotationConfigApplicationContext start(Map<String, Object> properties) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    if (!properties.isEmpty()) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(new MapPropertySource("surge-bench", properties));
    }
    context.register(PeerConfiguration.class);
    context.refresh();
    return context;
  }

  static ObjectNode result(Progress progress, RequestCounter requests) {
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("kind", "spring");
    json.put("messages", progress.deleted());
    json.put("written", progress.written());
    json.put("expected", progress.expected());
    json.put("failedBatches", progress.failedBatches());
    json.put("failedDeletes", progress.failedDeletes());
    json.put("millis", progress.busyMillis());
    json.put("cpuMillis", progress.busyCpuMillis());
    json.put("processCpuMillis", ProcessCpu.millis());
    json.put("requests", requests.total());
    json.put("sqsRequests", requests.sqs());
    json.put("dynamoDbRequests", requests.dynamoDb());
    requests.snapshot().forEach((op, n) -> json.put("requests" + op, n));
    json.put("peakHeapMb", WorkerRunner.peakHeapMb());
    json.put("peakRssMb", WorkerRunner.peakRssMb());
    return json;
  }
}
