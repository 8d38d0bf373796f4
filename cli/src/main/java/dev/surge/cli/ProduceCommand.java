package dev.surge.cli;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.aws.SqsQueues;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.ResourceNames;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.producer.ProduceResult;
import dev.surge.producer.Producer;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code surge produce}: fill the queue with the seed's messages. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description =
        "Send the seed's messages (unique random 9-digit numbers) with SendMessageBatch of 10.")
final class ProduceCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin TargetOption target = new TargetOption();

  @Option(
      names = {"--messages", "--count"},
      defaultValue = "1100",
      description =
          "Messages to send (${DEFAULT-VALUE}); --count is the same option, as earlier versions"
              + " named it.")
  long count;

  @Option(
      names = "--concurrency",
      defaultValue = "4",
      description = "Concurrent senders (${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--rate", description = "Messages per second at most (default: unlimited).")
  Double rate;

  @Option(
      names = "--queue",
      description = "Queue name or URL (default: SURGE_QUEUE, else demo-decoupling-saa).")
  String queue;

  @Option(names = "--seed", description = "Random seed, to repeat a run's bodies exactly.")
  Long seed;

  @Option(
      names = "--body",
      description =
          "Send one message with this body (one SendMessage call), instead of the seed's numbers.")
  String body;

  @Option(
      names = "--one-per-call",
      description =
          "Send each message with its own SendMessage call, one after another, as the seed's"
              + " producer does (default: SendMessageBatch of 10 from --concurrency senders).")
  boolean onePerCall;

  ProduceCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    if (count < 1 || count > UniqueBodies.SIZE) {
      throw new ConfigException("--messages must be 1.." + UniqueBodies.SIZE + ", was " + count);
    }
    if (concurrency < 1 || concurrency > 256) {
      throw new ConfigException("--concurrency must be 1..256, was " + concurrency);
    }
    if (rate != null && !(rate > 0)) {
      throw new ConfigException("--rate must be > 0, was " + rate);
    }
    boolean countGiven = spec.commandLine().getParseResult().hasMatchedOption("--messages");
    if (body != null && (countGiven || onePerCall)) {
      throw new ConfigException(
          "--body sends one message; leave out --messages and --one-per-call, or send the seed's"
              + " numbers without --body");
    }
    if (body != null && body.isEmpty()) {
      throw new ConfigException("--body must not be empty (SQS refuses an empty message)");
    }
    Env e = new Env(env);
    AwsTarget t = target.resolve(e);
    String q = queue != null ? queue : e.string("SURGE_QUEUE", ResourceNames.seed().queue());
    PrintWriter out = spec.commandLine().getOut();
    AwsClients clients = new AwsClients(t, concurrency + 2, List.of());
    try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS")) {
      String url = SqsQueues.resolveUrl(sqs, q, target.describe(t, "SQS"));
      if (body != null) {
        String id = sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)).messageId();
        out.printf("sent 1 message to %s (MessageId %s)%n", q, id);
        return 0;
      }
      if (onePerCall) {
        return onePerCall(sqs, url, q, out);
      }
      UniqueBodies bodies =
          new UniqueBodies(
              new SplittableRandom(seed != null ? seed : new SecureRandom().nextLong()));
      ProduceResult r =
          new Producer(sqs, url, Backoff.standard())
              .produce(count, concurrency, Optional.ofNullable(rate), bodies, n -> {});
      out.printf(
          Locale.ROOT,
          "sent %d of %d messages to %s in %.2f s (%.0f msg/s, %d SendMessageBatch requests)%n",
          r.sent(),
          r.requested(),
          q,
          r.elapsed().toMillis() / 1000.0,
          r.rate(),
          r.requests());
      if (r.failed() > 0) {
        spec.commandLine()
            .getErr()
            .printf("surge: %d messages could not be sent (see the log above)%n", r.failed());
        return 1;
      }
      return 0;
    }
  }

  /** The seed's way: one SendMessage per message, one after another, at --rate at most. */
  private int onePerCall(SqsClient sqs, String url, String q, PrintWriter out) {
    UniqueBodies bodies =
        new UniqueBodies(new SplittableRandom(seed != null ? seed : new SecureRandom().nextLong()));
    long t0 = System.nanoTime();
    long gapNanos = rate == null ? 0 : (long) (1e9 / rate);
    for (long i = 0; i < count; i++) {
      if (gapNanos > 0) {
        long due = t0 + i * gapNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
      }
      String next = bodies.body(i);
      sqs.sendMessage(b -> b.queueUrl(url).messageBody(next));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    out.printf(
        Locale.ROOT,
        "sent %d messages to %s in %.2f s (%.0f msg/s, %d SendMessage requests)%n",
        count,
        q,
        seconds,
        count / Math.max(seconds, 1e-9),
        count);
    return 0;
  }
}
