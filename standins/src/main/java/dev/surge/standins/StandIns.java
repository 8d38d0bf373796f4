package dev.surge.standins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Both stand-ins of the local target: ElasticMQ (SQS) in this JVM and dynalite (DynamoDB) as a
 * child process, on the same local interface. Closing stops both.
 */
public final class StandIns implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StandIns.class);

  /** The only interface the stand-ins bind to by default. */
  public static final String LOOPBACK = "127.0.0.1";

  /** The port {@code surge up} gives SQS (ElasticMQ's usual port). */
  public static final int DEFAULT_SQS_PORT = 9324;

  /** The port {@code surge up} gives DynamoDB (DynamoDB Local's usual port). */
  public static final int DEFAULT_DYNAMODB_PORT = 8000;

  private final SqsBoundary boundary;
  private final ElasticMqServer sqs;
  private final DynaliteServer dynamodb;

  private StandIns(SqsBoundary boundary, ElasticMqServer sqs, DynaliteServer dynamodb) {
    this.boundary = boundary;
    this.sqs = sqs;
    this.dynamodb = dynamodb;
  }

  /** Starts both on {@link #LOOPBACK}; a port of 0 takes any free port (tests). */
  public static StandIns start(int sqsPort, int dynamodbPort) {
    return start(LOOPBACK, sqsPort, dynamodbPort);
  }

  /**
   * Starts both on {@code host}; if one fails to start, the others are stopped. SQS is served
   * through an {@link SqsBoundary} on {@code sqsPort}, in front of ElasticMQ on a port no browser
   * connects to ({@link BrowserBlockedPorts}).
   */
  public static StandIns start(String host, int sqsPort, int dynamodbPort) {
    long t0 = System.nanoTime();
    DynaliteServer dynamodb = DynaliteServer.start(host, dynamodbPort);
    SqsBoundary boundary = null;
    try {
      try {
        boundary = SqsBoundary.bind(host, sqsPort);
      } catch (IOException e) {
        throw e instanceof BindException
            ? ElasticMqServer.portTaken(host, sqsPort, e)
            : new UncheckedIOException("cannot listen on " + host + ":" + sqsPort, e);
      }
      ElasticMqServer sqs =
          ElasticMqServer.startWhereNoBrowserReaches(host, "us-east-1", boundary.endpoint());
      boundary.start(sqs.endpoint());
      log.debug(
          "stand-ins up in {} ms: SQS {} (ElasticMQ {}) DynamoDB {}",
          (System.nanoTime() - t0) / 1_000_000,
          boundary.endpoint(),
          sqs.endpoint(),
          dynamodb.endpoint());
      return new StandIns(boundary, sqs, dynamodb);
    } catch (RuntimeException e) {
      if (boundary != null) {
        boundary.close();
      }
      dynamodb.close();
      throw e;
    }
  }

  /** The SQS endpoint: ElasticMQ behind the {@link SqsBoundary}, answering as SQS does. */
  public URI sqsEndpoint() {
    return boundary.endpoint();
  }

  /**
   * ElasticMQ itself, without the boundary: for Surge's own clients and workers, which read either
   * answer alike and should not pay for the extra hop. It checks no {@code Origin} or {@code Host},
   * and is on a port every browser refuses ({@link BrowserBlockedPorts}).
   */
  public URI sqsDirectEndpoint() {
    return sqs.endpoint();
  }

  /** The DynamoDB endpoint. */
  public URI dynamoDbEndpoint() {
    return dynamodb.endpoint();
  }

  /**
   * Hands stopping at JVM shutdown to the owner's {@link #close()}: dynalite's own shutdown hook
   * then waits for it (up to {@code atMost}), and ElasticMQ, in this JVM, has no hook of its own.
   */
  public void stopAtShutdownAfterOwner(Duration atMost) {
    dynamodb.stopAtShutdownAfterOwner(atMost);
  }

  /** Tells {@code listener} of the messages other tools send through the SQS endpoint. */
  public void onArrivals(java.util.function.ObjLongConsumer<String> listener) {
    boundary.onArrivals(listener);
  }

  /** Tells {@code listener} of the purges other tools send through the SQS endpoint. */
  public void onPurges(SqsBoundary.Purges listener) {
    boundary.onPurges(listener);
  }

  /** SQS requests other tools have sent through the SQS endpoint. */
  public long sqsRequestsFromOtherTools() {
    return boundary.requests();
  }

  /** The dynalite child's process id. */
  public long dynalitePid() {
    return dynamodb.pid();
  }

  /** Stops both. */
  @Override
  public void close() {
    try {
      boundary.close();
      sqs.close();
    } finally {
      dynamodb.close();
    }
  }
}
