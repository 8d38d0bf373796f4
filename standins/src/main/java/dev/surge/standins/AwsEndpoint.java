package dev.surge.standins;

import com.sun.net.httpserver.HttpExchange;
import dev.surge.aws.PlainHttp;
import dev.surge.core.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The local cloud's one AWS endpoint: a single loopback port that any SDK or the aws CLI can use as
 * {@code AWS_ENDPOINT_URL} for every service of the chain. Requests for SQS and DynamoDB (their
 * {@code X-Amz-Target}, or SQS's query protocol by its signature) are relayed to the stand-ins' own
 * endpoints, SQS through its {@link SqsBoundary}; every other request is handed to the local
 * cloud's {@link Services}. As on every server of the local cloud, a request that {@link
 * dev.surge.core.LoopbackRequests} refuses gets 403 before anything else.
 */
public final class AwsEndpoint implements AutoCloseable {

  /** The port {@code surge up} gives it: the one LocalStack's users' scripts already point at. */
  public static final int DEFAULT_PORT = 4566;

  private static final String SQS_TARGET = "AmazonSQS.";
  private static final String DYNAMODB_TARGET = "DynamoDB_20120810.";

  /** What serves the requests that are not for the stand-ins. */
  @FunctionalInterface
  public interface Services {
    /**
     * Answers {@code exchange}, whose body has been read already, and closes it.
     *
     * @param exchange the request, from a loopback client that is not a web page
     * @param body its body
     */
    void serve(HttpExchange exchange, byte[] body) throws IOException;
  }

  private final HttpRelay relay;
  private final String host;
  private volatile URI sqs;
  private volatile URI dynamodb;
  private volatile Services services;

  private AwsEndpoint(HttpRelay relay, String host) {
    this.relay = relay;
    this.host = host;
  }

  /**
   * Takes {@code host}:{@code port} (0 = a free port); serves once {@link #start started}. Binding
   * first lets a taken port fail before anything else of the local cloud starts.
   *
   * @throws ConfigException when the port is taken, naming the option that moves it
   */
  public static AwsEndpoint bind(String host, int port) {
    try {
      return new AwsEndpoint(new HttpRelay("aws", host, port), host);
    } catch (BindException e) {
      throw new ConfigException(
          "cannot start the local cloud's AWS endpoint: "
              + host
              + ":"
              + port
              + " is already in use (is another 'surge up', or LocalStack, running?); stop that"
              + " process or choose another port with --aws-port",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
  }

  /**
   * Serves from now on: SQS and DynamoDB requests go to {@code standIns}' endpoints, everything
   * else to {@code services}.
   */
  public AwsEndpoint start(StandIns standIns, Services services) {
    this.sqs = standIns.sqsEndpoint();
    this.dynamodb = standIns.dynamoDbEndpoint();
    this.services = Objects.requireNonNull(services, "services");
    relay.start(sqs, this::handle);
    return this;
  }

  /** The endpoint clients use, e.g. {@code http://127.0.0.1:4566}. */
  public URI endpoint() {
    return URI.create("http://" + host + ":" + relay.port());
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = HttpRelay.body(exchange);
    Optional<URI> standIn = standIn(exchange);
    if (standIn.isEmpty()) {
      services.serve(exchange, body);
      return;
    }
    try (exchange) {
      PlainHttp.Response response = relay.forward(standIn.get(), exchange, body);
      HttpRelay.relay(exchange, response, response.body());
    }
  }

  /** The stand-in that serves {@code exchange}, if one does. */
  private Optional<URI> standIn(HttpExchange exchange) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null) {
      if (target.startsWith(SQS_TARGET)) {
        return Optional.of(sqs);
      }
      return target.startsWith(DYNAMODB_TARGET) ? Optional.of(dynamodb) : Optional.empty();
    }
    // SQS's query protocol (older SDKs): no target, a form signed for "sqs".
    return SqsBoundary.signingService(exchange).filter("sqs"::equals).map(s -> sqs);
  }

  /** Stops listening; requests in flight are dropped. */
  @Override
  public void close() {
    relay.close();
  }
}
