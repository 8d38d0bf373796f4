package dev.surge.standins;

import java.net.URI;
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

  private final ElasticMqServer sqs;
  private final DynaliteServer dynamodb;

  private StandIns(ElasticMqServer sqs, DynaliteServer dynamodb) {
    this.sqs = sqs;
    this.dynamodb = dynamodb;
  }

  /** Starts both on {@link #LOOPBACK}; a port of 0 takes any free port (tests). */
  public static StandIns start(int sqsPort, int dynamodbPort) {
    return start(LOOPBACK, sqsPort, dynamodbPort);
  }

  /** Starts both on {@code host}; if the second fails to start, the first is stopped. */
  public static StandIns start(String host, int sqsPort, int dynamodbPort) {
    long t0 = System.nanoTime();
    DynaliteServer dynamodb = DynaliteServer.start(host, dynamodbPort);
    try {
      ElasticMqServer sqs = ElasticMqServer.start(host, sqsPort, "us-east-1");
      log.debug(
          "stand-ins up in {} ms: SQS {} DynamoDB {}",
          (System.nanoTime() - t0) / 1_000_000,
          sqs.endpoint(),
          dynamodb.endpoint());
      return new StandIns(sqs, dynamodb);
    } catch (RuntimeException e) {
      dynamodb.close();
      throw e;
    }
  }

  /** The SQS endpoint. */
  public URI sqsEndpoint() {
    return sqs.endpoint();
  }

  /** The DynamoDB endpoint. */
  public URI dynamoDbEndpoint() {
    return dynamodb.endpoint();
  }

  /** The dynalite child's process id. */
  public long dynalitePid() {
    return dynamodb.pid();
  }

  /** Stops both. */
  @Override
  public void close() {
    try {
      sqs.close();
    } finally {
      dynamodb.close();
    }
  }
}
