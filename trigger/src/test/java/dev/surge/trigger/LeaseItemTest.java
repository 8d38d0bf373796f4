package dev.surge.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The control item as read back, and when its lease is free for whom. */
class LeaseItemTest {
  private static final Instant NOW = Instant.parse("2026-11-27T21:50:06Z");

  private static LeaseItem heldBy(String holder, Instant until) {
    return new LeaseItem(Optional.of(holder), Optional.of(until), Map.of());
  }

  @Test
  void aFleetNobodyDecidedForIsFree() {
    LeaseItem item = LeaseItem.of(Map.of());

    assertThat(item).isEqualTo(LeaseItem.none());
    assertThat(item.freeFor("me", NOW)).isTrue();
  }

  @Test
  void aLiveLeaseIsFreeForItsHolderOnly() {
    LeaseItem item = heldBy("other", NOW.plusSeconds(1));

    assertThat(item.freeFor("me", NOW)).isFalse();
    assertThat(item.freeFor("other", NOW)).isTrue();
  }

  @Test
  void aLeaseIsFreeOnceItExpired() {
    assertThat(heldBy("other", NOW).freeFor("me", NOW)).as("expires now").isFalse();
    assertThat(heldBy("other", NOW.minusMillis(1)).freeFor("me", NOW)).isTrue();
  }

  @Test
  void aHolderWithoutAnExpiryHoldsNothing() {
    assertThat(new LeaseItem(Optional.of("other"), Optional.empty(), Map.of()).freeFor("me", NOW))
        .isTrue();
  }

  @Test
  void theItemIsReadAsTheLeaseWritesIt() {
    LeaseItem item =
        LeaseItem.of(
            Map.of(
                "fleet", AttributeValue.fromS("surge-contract/surge"),
                "holder", AttributeValue.fromS("h-1"),
                "expiresAt", AttributeValue.fromN(Long.toString(NOW.toEpochMilli())),
                "launches",
                    AttributeValue.fromM(
                        Map.of(
                            "arn:aws:ecs:us-east-1:123456789012:task/c/t1",
                            AttributeValue.fromN(Long.toString(NOW.toEpochMilli() - 5000))))));

    assertThat(item.holder()).contains("h-1");
    assertThat(item.expiresAt()).contains(NOW);
    assertThat(item.launches())
        .containsExactly(
            Map.entry("arn:aws:ecs:us-east-1:123456789012:task/c/t1", NOW.minusSeconds(5)));
  }

  @Test
  void aPendingLaunchIsReadAsTheLeaseWritesIt() {
    PendingLaunch launch = new PendingLaunch("token-1", 4, NOW.minusSeconds(3));

    LeaseItem item =
        LeaseItem.of(
            Map.of(
                "pending",
                AttributeValue.fromM(Map.of("token-1", LeaseItem.pendingValue(launch)))));

    assertThat(item.pending()).containsExactly(Map.entry("token-1", launch));
    assertThatThrownBy(
            () ->
                LeaseItem.of(
                    Map.of(
                        "pending",
                        AttributeValue.fromM(Map.of("token-2", AttributeValue.fromN("4"))))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pending.token-2 is not a map of count and at");
  }

  @Test
  void anAttributeOfAnotherTypeIsNamed() {
    assertThatThrownBy(() -> LeaseItem.of(Map.of("expiresAt", AttributeValue.fromS("soon"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expiresAt is not a number of epoch milliseconds");
    assertThatThrownBy(
            () ->
                LeaseItem.of(
                    Map.of(
                        "launches",
                        AttributeValue.fromM(Map.of("arn:t", AttributeValue.fromS("x"))))))
        .hasMessageContaining("launches.arn:t is not a number");
    assertThatThrownBy(() -> LeaseItem.of(Map.of("launches", AttributeValue.fromS("x"))))
        .hasMessageContaining("launches is not a map");
  }

  @Test
  void theFleetIsTheClusterNameAndTheTag() {
    EcsSettings byName =
        new EcsSettings(
            "FastTrack-Saa-Sqs-demo",
            "td",
            "c",
            java.util.List.of("subnet-1"),
            java.util.List.of(),
            true,
            "surge");
    EcsSettings byArn =
        new EcsSettings(
            "arn:aws:ecs:us-east-1:123456789012:cluster/FastTrack-Saa-Sqs-demo",
            "td",
            "c",
            java.util.List.of("subnet-1"),
            java.util.List.of(),
            true,
            "surge");

    assertThat(DynamoDbFleetLease.fleetOf(byName)).isEqualTo("FastTrack-Saa-Sqs-demo/surge");
    assertThat(DynamoDbFleetLease.fleetOf(byArn)).isEqualTo(DynamoDbFleetLease.fleetOf(byName));
  }
}
