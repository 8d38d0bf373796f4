package dev.surge.standins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.surge.aws.PlainHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP proxy on 127.0.0.1 in front of a DynamoDB endpoint that, while throttling, answers {@code
 * BatchWriteItem} as a table over its capacity does. DynamoDB documents two answers for that: the
 * whole call refused with {@code ProvisionedThroughputExceededException} (HTTP 400, which the SDK
 * retries itself), and the call accepted in part, the rest returned in {@code UnprocessedItems} for
 * the caller to retry. Throttled calls alternate between the two: one is refused, the next has its
 * first half written by the server behind and its second half handed back unprocessed (a batch of
 * one comes back whole). Every other request, and every request while not throttling, is passed
 * through unchanged.
 *
 * <p>A changed answer carries a fresh {@code x-amz-crc32}, as DynamoDB's answers do, so the SDK's
 * checksum validation sees a consistent response.
 */
public final class ThrottlingProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ThrottlingProxy.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BATCH_WRITE = "DynamoDB_20120810.BatchWriteItem";
  private static final String JSON_10 = "application/x-amz-json-1.0";

  private final URI target;
  private final HttpRelay relay;
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong unprocessed = new AtomicLong();
  private volatile boolean throttling;

  private ThrottlingProxy(URI target) throws IOException {
    this.target = target;
    this.relay = new HttpRelay("throttling-proxy", "127.0.0.1", 0).start(target, this::handle);
  }

  /** A proxy in front of {@code endpoint} (an http URL with host and port). */
  public static ThrottlingProxy in(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    try {
      return new ThrottlingProxy(endpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for a proxy to " + endpoint, e);
    }
  }

  /** The proxy's own endpoint: {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + relay.port());
  }

  /** Starts (true) or ends (false) throttling {@code BatchWriteItem}. */
  public void throttle(boolean on) {
    throttling = on;
    log.info("proxy {} -> {} throttling {}", endpoint().getPort(), target, on ? "on" : "off");
  }

  /** {@code BatchWriteItem} calls answered as throttled so far. */
  public long throttledCalls() {
    return throttled.get();
  }

  /** Calls refused whole with {@code ProvisionedThroughputExceededException} so far. */
  public long refusedCalls() {
    return refused.get();
  }

  /** Requests passed to the server behind and not answered yet. */
  public int waiting() {
    return relay.waiting();
  }

  /** Items handed back in {@code UnprocessedItems} by the proxy so far. */
  public long unprocessedItems() {
    return unprocessed.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = HttpRelay.body(exchange);
      String operation =
          Objects.toString(exchange.getRequestHeaders().getFirst("X-Amz-Target"), "");
      if (throttling && BATCH_WRITE.equals(operation)) {
        long n = throttled.incrementAndGet();
        if (n % 2 == 1) {
          refused.incrementAndGet();
          HttpRelay.reply(
              exchange,
              400,
              JSON_10,
              ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
                      + "ProvisionedThroughputExceededException\",\"message\":\"The level of"
                      + " configured provisioned throughput for the table was exceeded.\"}")
                  .getBytes(StandardCharsets.UTF_8));
          return;
        }
        partial(exchange, body);
        return;
      }
      PlainHttp.Response response = relay.forward(exchange, body);
      HttpRelay.relay(exchange, response, response.body());
    } catch (IOException | RuntimeException e) {
      log.debug("proxy request failed: {}", e.toString());
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }

  /** Writes the first half of the batch through the server; hands the rest back unprocessed. */
  private void partial(HttpExchange exchange, byte[] body) throws IOException {
    ObjectNode request = (ObjectNode) JSON.readTree(body);
    ObjectNode items = (ObjectNode) request.get("RequestItems");
    ObjectNode sent = JSON.createObjectNode();
    ObjectNode held = JSON.createObjectNode();
    int total = 0;
    for (Map.Entry<String, JsonNode> table : items.properties()) {
      total += table.getValue().size();
    }
    int keep = total / 2;
    int seen = 0;
    for (Map.Entry<String, JsonNode> table : items.properties()) {
      for (JsonNode write : table.getValue()) {
        ObjectNode into = seen++ < keep ? sent : held;
        if (!into.has(table.getKey())) {
          into.putArray(table.getKey());
        }
        ((ArrayNode) into.get(table.getKey())).add(write);
      }
    }
    unprocessed.addAndGet(total - keep);
    ObjectNode answer;
    if (keep == 0) {
      answer = JSON.createObjectNode();
      answer.set("UnprocessedItems", held);
    } else {
      request.set("RequestItems", sent);
      PlainHttp.Response response = relay.forward(exchange, JSON.writeValueAsBytes(request));
      if (response.statusCode() != 200) {
        // The server refused what was sent: its answer stands, as it would have for the whole.
        unprocessed.addAndGet(-(total - keep));
        HttpRelay.relay(exchange, response, response.body());
        return;
      }
      answer = (ObjectNode) JSON.readTree(response.body());
      ObjectNode back =
          answer.has("UnprocessedItems") && answer.get("UnprocessedItems").isObject()
              ? (ObjectNode) answer.get("UnprocessedItems")
              : answer.putObject("UnprocessedItems");
      for (Map.Entry<String, JsonNode> table : held.properties()) {
        if (!back.has(table.getKey())) {
          back.putArray(table.getKey());
        }
        ((ArrayNode) back.get(table.getKey())).addAll((ArrayNode) table.getValue());
      }
    }
    HttpRelay.reply(exchange, 200, JSON_10, JSON.writeValueAsBytes(answer));
  }

  /** Stops listening; requests in flight are dropped. */
  @Override
  public void close() {
    relay.close();
  }
}
