package dev.surge.standins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The throttling proxy in front of the real dynalite, seen through the SDK (which validates the
 * answers' checksums): passing through, refusing a whole {@code BatchWriteItem}, and writing half a
 * batch while handing the other half back.
 */
@ExtendWith(StandInsExtension.class)
class ThrottlingProxyIT {
  private static final String TABLE = "throttling-proxy-it";
  private static StandIns standIns;
  private static ThrottlingProxy proxy;
  private static DynamoDbClient direct;
  private static DynamoDbClient proxied;

  @BeforeAll
  static void start(StandIns s) {
    standIns = s;
    proxy = ThrottlingProxy.in(s.dynamoDbEndpoint());
    direct = client(s.dynamoDbEndpoint());
    proxied = client(proxy.endpoint());
    direct.createTable(
        b ->
            b.tableName(TABLE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(
                    KeySchemaElement.builder().attributeName("k").keyType(KeyType.HASH).build())
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("k")
                        .attributeType(ScalarAttributeType.S)
                        .build()));
    // dynalite answers for a table only once it is ACTIVE, a moment after CreateTable returns.
    direct.waiter().waitUntilTableExists(b -> b.tableName(TABLE));
  }

  @AfterAll
  static void stop() {
    proxied.close();
    direct.close();
    proxy.close();
  }

  private static DynamoDbClient client(java.net.URI dynamodb) {
    // No SDK retries: each call here is one request, so each answer is seen as the proxy gave it.
    return DynamoDbClient.builder()
        .endpointOverride(dynamodb)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(Apache5HttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private static List<WriteRequest> writes(String prefix, int n) {
    List<WriteRequest> w = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = prefix + i;
      w.add(
          WriteRequest.builder()
              .putRequest(p -> p.item(Map.of("k", AttributeValue.fromS(key))))
              .build());
    }
    return w;
  }

  private static long count(String prefix) {
    return direct
        .scan(
            b ->
                b.tableName(TABLE)
                    .select(Select.COUNT)
                    .filterExpression("begins_with(k, :p)")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(prefix))))
        .count();
  }

  @Test
  void passesEverythingThroughWhileNotThrottling() {
    BatchWriteItemResponse r =
        proxied.batchWriteItem(b -> b.requestItems(Map.of(TABLE, writes("pass-", 10))));
    assertThat(r.unprocessedItems()).isEmpty();
    assertThat(count("pass-")).isEqualTo(10);
    assertThat(
            proxied
                .getItem(b -> b.tableName(TABLE).key(Map.of("k", AttributeValue.fromS("pass-3"))))
                .item())
        .containsEntry("k", AttributeValue.fromS("pass-3"));
  }

  @Test
  void throttledBatchesAreRefusedOrHalfWrittenInTurn() {
    long before = proxy.throttledCalls();
    proxy.throttle(true);
    try {
      // Calls alternate; which one comes first depends on the calls before, so make two rounds.
      int refusedSeen = 0;
      int partialSeen = 0;
      for (int round = 0; round < 2; round++) {
        String prefix = "t" + round + "-";
        try {
          BatchWriteItemResponse r =
              proxied.batchWriteItem(b -> b.requestItems(Map.of(TABLE, writes(prefix, 10))));
          partialSeen++;
          assertThat(r.unprocessedItems().get(TABLE)).hasSize(5);
          assertThat(count(prefix)).isEqualTo(5);
          List<String> back =
              r.unprocessedItems().get(TABLE).stream()
                  .map(w -> w.putRequest().item().get("k").s())
                  .toList();
          assertThat(back)
              .containsExactly(prefix + 5, prefix + 6, prefix + 7, prefix + 8, prefix + 9);
        } catch (ProvisionedThroughputExceededException e) {
          refusedSeen++;
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(count(prefix)).isZero();
        }
      }
      assertThat(refusedSeen).isEqualTo(1);
      assertThat(partialSeen).isEqualTo(1);
      // A batch of one cannot be split: it comes back whole, and nothing is written.
      BatchWriteItemResponse one = null;
      for (int i = 0; i < 2 && one == null; i++) {
        try {
          one = proxied.batchWriteItem(b -> b.requestItems(Map.of(TABLE, writes("one-", 1))));
        } catch (ProvisionedThroughputExceededException e) {
          // the refused turn
        }
      }
      assertThat(one).isNotNull();
      assertThat(one.unprocessedItems().get(TABLE)).hasSize(1);
      assertThat(count("one-")).isZero();
      assertThat(proxy.throttledCalls() - before).isGreaterThanOrEqualTo(3);
    } finally {
      proxy.throttle(false);
    }
    assertThat(
            proxied
                .batchWriteItem(b -> b.requestItems(Map.of(TABLE, writes("after-", 4))))
                .unprocessedItems())
        .isEmpty();
    assertThat(count("after-")).isEqualTo(4);
  }

  @Test
  void aRefusalOfTheServerBehindStandsForTheHalfBatch() {
    proxy.throttle(true);
    try {
      // An item without the key attribute: dynalite refuses the call with ValidationException.
      List<WriteRequest> bad = new ArrayList<>(writes("bad-", 3));
      bad.add(
          0,
          WriteRequest.builder()
              .putRequest(p -> p.item(Map.of("x", AttributeValue.fromS("1"))))
              .build());
      int validations = 0;
      for (int i = 0; i < 2; i++) {
        try {
          proxied.batchWriteItem(b -> b.requestItems(Map.of(TABLE, bad)));
        } catch (ProvisionedThroughputExceededException e) {
          // the refused turn
        } catch (software.amazon.awssdk.services.dynamodb.model.DynamoDbException e) {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          validations++;
        }
      }
      assertThat(validations).isEqualTo(1);
      assertThatThrownBy(() -> direct.batchWriteItem(b -> b.requestItems(Map.of(TABLE, bad))))
          .hasMessageContaining("key");
    } finally {
      proxy.throttle(false);
    }
  }
}
