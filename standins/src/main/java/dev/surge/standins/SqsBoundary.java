package dev.surge.standins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.surge.aws.PlainHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local SQS endpoint as clients see it: requests pass to ElasticMQ, and the answers that differ
 * from what SQS documents are put right here, at the boundary, so a script written for real SQS
 * runs unchanged. Each difference is one rule (AWS JSON protocol, which SDKs and the aws CLI use
 * for SQS since late 2023):
 *
 * <ul>
 *   <li>{@code ReceiveMessage} with nothing to receive: SQS leaves {@code Messages} out (the
 *       reference lists it as optional; "if no messages are available ... the response is empty");
 *       ElasticMQ answers {@code "Messages": []}, on which a loop testing {@code 'Messages' in
 *       response} never ends.
 *   <li>{@code GetQueueAttributes}: {@code MaximumMessageSize}, {@code MessageRetentionPeriod} and
 *       {@code SqsManagedSseEnabled} are part of every queue's attributes in SQS; ElasticMQ omits
 *       them. They are filled in with what this endpoint does: AWS's defaults for the first two
 *       (ElasticMQ accepts other values and ignores them) and {@code false} for encryption (the
 *       local queue is not encrypted).
 *   <li>An error: SQS, which moved from its query protocol to the AWS JSON protocol, still names
 *       each error by its query-protocol code in the {@code x-amzn-query-error} header ({@code
 *       code;Sender} or {@code code;Receiver}), and clients report that code (botocore, and so the
 *       aws CLI, as the error's {@code Code}); ElasticMQ sends no such header. It is added, with
 *       the code SQS documents where it differs from the error's type ({@code QueueDoesNotExist}:
 *       {@code AWS.SimpleQueueService.NonExistentQueue}), so a script that checks for that code
 *       runs unchanged.
 *   <li>A request signed for another service (CloudWatch, ECS, Lambda, ...) sent here would reach
 *       ElasticMQ as an unknown SQS call and fill the log with its stack traces; it gets one clear
 *       error instead, naming where the local cloud serves it ({@link AwsEndpoint}).
 * </ul>
 *
 * <p>It also tells the local cloud what passes through it that the cloud accounts for: the messages
 * sent ({@link #onArrivals}) and the messages a {@code PurgeQueue} removed ({@link #onPurges}).
 */
public final class SqsBoundary implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqsBoundary.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SQS_TARGET = "AmazonSQS.";
  private static final Pattern SCOPE = Pattern.compile("Credential=[^/]*/[^/]*/[^/]*/([^/]+)/");

  /** SQS's defaults for the attributes ElasticMQ does not report (and does not implement). */
  static final Map<String, String> FILLED_ATTRIBUTES;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("MaximumMessageSize", "262144");
    m.put("MessageRetentionPeriod", "345600");
    m.put("SqsManagedSseEnabled", "false");
    FILLED_ATTRIBUTES = Map.copyOf(m);
  }

  private final HttpRelay relay;
  private final String host;
  private volatile java.util.function.ObjLongConsumer<String> arrivals = (queue, n) -> {};
  private volatile Purges purges = (queue, waiting, inFlight) -> {};
  // Sends share it, a purge takes it alone: what a purge removed is counted exactly, with no
  // message sent between the count and the purge (counted as arrived, never as purged).
  private final java.util.concurrent.locks.ReadWriteLock purging =
      new java.util.concurrent.locks.ReentrantReadWriteLock();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.LongAdder requests =
      new java.util.concurrent.atomic.LongAdder();

  private SqsBoundary(HttpRelay relay, String host) {
    this.relay = relay;
    this.host = host;
  }

  /**
   * Takes {@code host}:{@code port} (0 = a free port); serves once {@link #start(URI)} names the
   * ElasticMQ behind it, which needs to know this endpoint first (it puts it in queue URLs).
   *
   * @throws java.net.BindException when the port is taken
   */
  static SqsBoundary bind(String host, int port) throws IOException {
    return new SqsBoundary(new HttpRelay("sqs", host, port), host);
  }

  /** Serves, in front of ElasticMQ at {@code elasticMq}. */
  SqsBoundary start(URI elasticMq) {
    relay.start(elasticMq, this::handle);
    return this;
  }

  /**
   * Tells {@code listener} of every message accepted through this endpoint: the queue URL the
   * sender named and how many ({@code SendMessage}, or a {@code SendMessageBatch}'s successful
   * entries). What the queue received, whoever sent it: the count a viewer needs when the producer
   * is another tool.
   */
  public void onArrivals(java.util.function.ObjLongConsumer<String> listener) {
    this.arrivals = Objects.requireNonNull(listener, "listener");
  }

  /** What a {@code PurgeQueue} removed. */
  @FunctionalInterface
  public interface Purges {
    /**
     * A {@code PurgeQueue} of {@code queueUrl} (the URL the caller named) succeeded; just before
     * it, the queue held {@code waiting} messages (visible or delayed) and {@code inFlight}
     * received and not yet deleted. ElasticMQ removes both at once; the receiver of one in flight
     * still holds it, and its delete then fails.
     */
    void purged(String queueUrl, long waiting, long inFlight);
  }

  /**
   * Tells {@code listener} of every {@code PurgeQueue} that succeeded through this endpoint, with
   * what it removed (counted just before, with sends through this endpoint held back meanwhile).
   */
  public void onPurges(Purges listener) {
    this.purges = Objects.requireNonNull(listener, "listener");
  }

  /** SQS requests other tools have sent through it (what SQS would bill them). */
  public long requests() {
    return requests.sum();
  }

  /** The endpoint clients use, e.g. {@code http://127.0.0.1:9324}. */
  public URI endpoint() {
    return URI.create("http://" + host + ":" + relay.port());
  }

  /** Its port. */
  int port() {
    return relay.port();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = HttpRelay.body(exchange);
      Optional<String> service = signingService(exchange);
      String target = Objects.toString(exchange.getRequestHeaders().getFirst("X-Amz-Target"), "");
      if (service.isPresent() && !service.get().equals("sqs")) {
        notServed(exchange, service.get());
        return;
      }
      if (!target.isEmpty() && !target.startsWith(SQS_TARGET)) {
        notServed(
            exchange, target.contains(".") ? target.substring(0, target.indexOf('.')) : target);
        return;
      }
      requests.increment();
      String operation = target.startsWith(SQS_TARGET) ? target.substring(SQS_TARGET.length()) : "";
      if (operation.equals("PurgeQueue")) {
        purge(exchange, body);
        return;
      }
      PlainHttp.Response response;
      boolean send = operation.equals("SendMessage") || operation.equals("SendMessageBatch");
      if (send) {
        purging.readLock().lock();
      }
      try {
        response = relay.forward(exchange, body);
      } finally {
        if (send) {
          purging.readLock().unlock();
        }
      }
      byte[] answer = response.body();
      if (response.statusCode() == 200 && !operation.isEmpty()) {
        countArrivals(operation, body, answer);
        answer = correct(operation, body, answer);
      }
      if (response.header(QUERY_ERROR).isEmpty()) {
        queryError(response.statusCode(), answer)
            .ifPresent(h -> exchange.getResponseHeaders().set(QUERY_ERROR, h));
      }
      HttpRelay.relay(exchange, response, answer);
    }
  }

  /**
   * A {@code PurgeQueue} (JSON protocol): the queue's depth is read from ElasticMQ just before it
   * is passed on, with sends held back until it is done, and told to {@link #onPurges}'s listener
   * once ElasticMQ has purged.
   */
  private void purge(HttpExchange exchange, byte[] body) throws IOException {
    String queue = "";
    try {
      queue = JSON.readTree(body).path("QueueUrl").asText("");
    } catch (IOException e) {
      // not JSON: ElasticMQ answers it as it answers any malformed request
    }
    purging.writeLock().lock();
    try {
      Optional<Depth> before = queue.isEmpty() ? Optional.empty() : depth(queue);
      PlainHttp.Response response = relay.forward(exchange, body);
      if (response.statusCode() == 200 && before.isPresent()) {
        try {
          purges.purged(queue, before.get().waiting(), before.get().inFlight());
        } catch (RuntimeException e) {
          log.warn("a purge of {} was not counted: {}", queue, e.toString());
        }
      }
      HttpRelay.relay(exchange, response, response.body());
    } finally {
      purging.writeLock().unlock();
    }
  }

  private static final String QUERY_ERROR = "x-amzn-query-error";

  /**
   * The query-protocol codes SQS documents for errors whose JSON type differs (the type is the code
   * otherwise): {@code GetQueueUrl}'s and every queue operation's "Errors" in the SQS API
   * Reference.
   */
  private static final Map<String, String> QUERY_CODES =
      Map.of("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue");

  /**
   * The {@code x-amzn-query-error} header SQS sends with an error answer of the JSON protocol
   * ({@code status} and {@code answer}, its body): {@code code;Sender} for a client's error, {@code
   * code;Receiver} for the server's; empty for a success or an answer that names no error.
   */
  static Optional<String> queryError(int status, byte[] answer) {
    if (status < 400) {
      return Optional.empty();
    }
    String type;
    try {
      type = JSON.readTree(answer).path("__type").asText("");
    } catch (IOException e) {
      return Optional.empty();
    }
    type = type.substring(type.lastIndexOf('#') + 1);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        QUERY_CODES.getOrDefault(type, type) + (status >= 500 ? ";Receiver" : ";Sender"));
  }

  /** Messages waiting (visible or delayed) and in flight in a queue. */
  private record Depth(long waiting, long inFlight) {}

  /** What {@code queue} holds now, if ElasticMQ says. */
  private Optional<Depth> depth(String queue) {
    try {
      ObjectNode request = JSON.createObjectNode();
      request.put("QueueUrl", queue);
      request
          .putArray("AttributeNames")
          .add("ApproximateNumberOfMessages")
          .add("ApproximateNumberOfMessagesNotVisible")
          .add("ApproximateNumberOfMessagesDelayed");
      PlainHttp.Response r =
          relay.post(
              Map.of(
                  "Content-Type",
                  "application/x-amz-json-1.0",
                  "X-Amz-Target",
                  SQS_TARGET + "GetQueueAttributes"),
              JSON.writeValueAsBytes(request));
      if (r.statusCode() != 200) {
        return Optional.empty(); // no such queue: the purge fails the same way
      }
      JsonNode a = JSON.readTree(r.body()).path("Attributes");
      return Optional.of(
          new Depth(
              a.path("ApproximateNumberOfMessages").asLong()
                  + a.path("ApproximateNumberOfMessagesDelayed").asLong(),
              a.path("ApproximateNumberOfMessagesNotVisible").asLong()));
    } catch (IOException e) {
      log.debug("cannot count the messages of {} before its purge: {}", queue, e.toString());
      return Optional.empty();
    }
  }

  private void countArrivals(String operation, byte[] request, byte[] answer) {
    if (!operation.equals("SendMessage") && !operation.equals("SendMessageBatch")) {
      return;
    }
    try {
      String queue = JSON.readTree(request).path("QueueUrl").asText("");
      long n =
          operation.equals("SendMessage") ? 1 : JSON.readTree(answer).path("Successful").size();
      if (n > 0) {
        arrivals.accept(queue, n);
      }
    } catch (IOException | RuntimeException e) {
      log.debug("cannot count the messages of a {}: {}", operation, e.toString());
    }
  }

  /** The answer SQS would give to JSON-protocol {@code operation}, from ElasticMQ's. */
  static byte[] correct(String operation, byte[] request, byte[] answer) throws IOException {
    switch (operation) {
      case "ReceiveMessage" -> {
        JsonNode a = JSON.readTree(answer);
        if (a instanceof ObjectNode o
            && o.path("Messages").isArray()
            && o.get("Messages").isEmpty()) {
          o.remove("Messages");
          return JSON.writeValueAsBytes(o);
        }
        return answer;
      }
      case "GetQueueAttributes" -> {
        JsonNode names = JSON.readTree(request).path("AttributeNames");
        JsonNode a = JSON.readTree(answer);
        if (!(a instanceof ObjectNode o) || !names.isArray()) {
          return answer;
        }
        Set<String> asked = new HashSet<>();
        names.forEach(n -> asked.add(n.asText()));
        ObjectNode attributes =
            o.path("Attributes").isObject()
                ? (ObjectNode) o.get("Attributes")
                : o.putObject("Attributes");
        boolean changed = false;
        for (Map.Entry<String, String> e : FILLED_ATTRIBUTES.entrySet()) {
          if ((asked.contains("All") || asked.contains(e.getKey()))
              && !attributes.has(e.getKey())) {
            attributes.put(e.getKey(), e.getValue());
            changed = true;
          }
        }
        return changed ? JSON.writeValueAsBytes(o) : answer;
      }
      default -> {
        return answer;
      }
    }
  }

  /** The service a SigV4 {@code Authorization} header was signed for, if it is signed. */
  static Optional<String> signingService(HttpExchange exchange) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null) {
      return Optional.empty();
    }
    Matcher m = SCOPE.matcher(auth);
    return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  private void notServed(HttpExchange exchange, String service) throws IOException {
    String message =
        "this is the local cloud's SQS endpoint; '"
            + service
            + "' is not served by the local cloud here but at its one AWS endpoint, which serves"
            + " every API of the chain (the AWS_ENDPOINT_URL that 'surge up' prints; port 4566 by"
            + " default). 'surge status' and the dashboard's /api/snapshot show the chain too";
    if (warned.add(service)) {
      log.warn("a '{}' request came to the SQS endpoint and was refused: {}", service, message);
    }
    String type = Objects.toString(exchange.getRequestHeaders().getFirst("Content-Type"), "");
    if (type.startsWith("application/x-www-form-urlencoded")) {
      // The query protocol (the aws CLI v1 for CloudWatch, for one) reads XML errors.
      String xml =
          "<ErrorResponse><Error><Type>Sender</Type><Code>UnknownOperationException</Code>"
              + "<Message>"
              + message.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;")
              + "</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId>"
              + "</ErrorResponse>";
      HttpRelay.reply(exchange, 400, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
      return;
    }
    ObjectNode error = JSON.createObjectNode();
    error.put("__type", "UnknownOperationException");
    error.put("message", message);
    exchange.getResponseHeaders().set("x-amzn-ErrorType", "UnknownOperationException");
    exchange.getResponseHeaders().set("x-amzn-query-error", "UnknownOperationException;Sender");
    HttpRelay.reply(exchange, 400, "application/x-amz-json-1.0", JSON.writeValueAsBytes(error));
  }

  /** Stops listening. */
  @Override
  public void close() {
    relay.close();
  }
}
