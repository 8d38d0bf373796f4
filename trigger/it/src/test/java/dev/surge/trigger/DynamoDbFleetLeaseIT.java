package dev.surge.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.trigger.ControlSchema;
import dev.surge.standins.DynaliteServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The fleet lease and its ledger against dynalite (the DynamoDB API by others, on LevelDB), whose
 * conditional writes are DynamoDB's: who may take the lease, when it passes on, what a holder that
 * lost it may still write, and what the release prunes. One server for the class; each test decides
 * for a fleet of its own.
 */
class DynamoDbFleetLeaseIT {
  private static final String TABLE = "surge-control-it";
  private static final Duration TTL = Duration.ofSeconds(2);

  private static DynaliteServer dynalite;
  private static DynamoDbClient dynamodb;

  private String fleet;

  @BeforeAll
  static void startDynaliteWithAControlTable() {
    dynalite = DynaliteServer.start("127.0.0.1", 0);
    dynamodb =
        DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(dynalite.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("it", "it")))
            .httpClientBuilder(Apache5HttpClient.builder())
            .build();
    createControlTable(dynamodb, TABLE);
  }

  /** The control table as the stack creates it: a string partition key, on demand. */
  static void createControlTable(DynamoDbClient dynamodb, String table) {
    dynamodb.createTable(
        b ->
            b.tableName(table)
                .keySchema(
                    KeySchemaElement.builder()
                        .attributeName(ControlSchema.KEY)
                        .keyType(KeyType.HASH)
                        .build())
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName(ControlSchema.KEY)
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
    dynamodb.waiter().waitUntilTableExists(b -> b.tableName(table));
  }

  @AfterAll
  static void stopDynalite() {
    if (dynamodb != null) {
      dynamodb.close();
    }
    if (dynalite != null) {
      dynalite.close();
      assertThat(ProcessHandle.of(dynalite.pid())).as("dynalite stopped").isEmpty();
    }
  }

  @BeforeEach
  void aFleetOfItsOwn() {
    fleet = "cluster/it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Instance {@code name}'s lease: its decisions hold it as {@code name-1}, {@code name-2}... */
  private DynamoDbFleetLease lease(String name) {
    AtomicInteger decisions = new AtomicInteger();
    return new DynamoDbFleetLease(
        dynamodb,
        TABLE,
        fleet,
        () -> name + "-" + decisions.incrementAndGet(),
        Clock.systemUTC(),
        TTL);
  }

  private Map<String, AttributeValue> item() {
    return dynamodb
        .getItem(
            b ->
                b.tableName(TABLE)
                    .key(Map.of(ControlSchema.KEY, AttributeValue.fromS(fleet)))
                    .consistentRead(true))
        .item();
  }

  private void put(String holder, Instant expiresAt, Map<String, Instant> launches) {
    put(holder, expiresAt, launches, List.of());
  }

  private void put(
      String holder, Instant expiresAt, Map<String, Instant> launches, List<PendingLaunch> calls) {
    Map<String, AttributeValue> pending = new java.util.HashMap<>();
    calls.forEach(p -> pending.put(p.clientToken(), LeaseItem.pendingValue(p)));
    Map<String, AttributeValue> ledger = new java.util.HashMap<>();
    launches.forEach(
        (arn, at) -> ledger.put(arn, AttributeValue.fromN(Long.toString(at.toEpochMilli()))));
    Map<String, AttributeValue> item = new java.util.HashMap<>();
    item.put(ControlSchema.KEY, AttributeValue.fromS(fleet));
    item.put("launches", AttributeValue.fromM(ledger));
    item.put("pending", AttributeValue.fromM(pending));
    if (holder != null) {
      item.put("holder", AttributeValue.fromS(holder));
      item.put("expiresAt", AttributeValue.fromN(Long.toString(expiresAt.toEpochMilli())));
    }
    dynamodb.putItem(b -> b.tableName(TABLE).item(item));
  }

  @Test
  void theLeaseIsHeldForItsTtlWhileTheDecisionRunsAndReleasedAfter() {
    DynamoDbFleetLease a = lease("a");
    Instant before = Instant.now();

    Map<String, AttributeValue> during = a.holding(this::item);

    assertThat(during.get("holder").s()).isEqualTo("a-1");
    long expires = Long.parseLong(during.get("expiresAt").n());
    assertThat(expires)
        .isBetween(before.plus(TTL).toEpochMilli(), Instant.now().plus(TTL).toEpochMilli());
    assertThat(during.get("launches").m()).isEmpty();
    assertThat(item()).doesNotContainKeys("holder", "expiresAt").containsKey("launches");
  }

  @Test
  void aSecondInstanceWaitsUntilTheFirstReleases() throws Exception {
    DynamoDbFleetLease a = lease("a");
    DynamoDbFleetLease b = lease("b");
    CountDownLatch aHolds = new CountDownLatch(1);
    List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () ->
                a.holding(
                    () -> {
                      order.add("a in");
                      aHolds.countDown();
                      pause(Duration.ofMillis(700));
                      order.add("a out");
                      return null;
                    }));
    assertThat(aHolds.await(10, TimeUnit.SECONDS)).isTrue();

    String seen = b.holding(() -> item().get("holder").s());
    order.add("b in");

    first.get(10, TimeUnit.SECONDS);
    assertThat(seen).isEqualTo("b-1");
    assertThat(order).containsExactly("a in", "a out", "b in");
  }

  @Test
  void eachDecisionTakesTheLeaseAsAHolderOfItsOwn() {
    DynamoDbFleetLease a = new DynamoDbFleetLease(dynamodb, TABLE, fleet, Clock.systemUTC());

    String first = a.holding(() -> item().get("holder").s());
    String second = a.holding(() -> item().get("holder").s());

    assertThat(first).isNotBlank();
    assertThat(second).isNotBlank().isNotEqualTo(first);
  }

  @Test
  void copiesOfOneLeaseRestoredFromASnapshotTakeTurns() throws Exception {
    // Lambda's init builds the lease once; SnapStart starts every environment from that heap.
    DynamoDbFleetLease init = new DynamoDbFleetLease(dynamodb, TABLE, fleet, Clock.systemUTC());
    DynamoDbFleetLease a = Snapshot.restore(init);
    DynamoDbFleetLease b = Snapshot.restore(init);
    CountDownLatch aHolds = new CountDownLatch(1);
    List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(
            () ->
                a.holding(
                    () -> {
                      order.add("a in");
                      aHolds.countDown();
                      pause(Duration.ofMillis(700));
                      order.add("a out");
                      return item().get("holder").s();
                    }));
    assertThat(aHolds.await(10, TimeUnit.SECONDS)).isTrue();

    String seen =
        b.holding(
            () -> {
              order.add("b in");
              return item().get("holder").s();
            });

    assertThat(order).containsExactly("a in", "a out", "b in");
    assertThat(seen).isNotEqualTo(first.get(10, TimeUnit.SECONDS));
    assertThat(item()).doesNotContainKey("holder");
  }

  @Test
  void aLeaseKeptPastTheWaitThrowsNamingItsHolderAndNothingRuns() {
    Instant until = Instant.now().plus(Duration.ofHours(1));
    put("crashed-elsewhere", until, Map.of());
    DynamoDbFleetLease b = lease("b");
    Instant start = Instant.now();
    AtomicReference<Boolean> ran = new AtomicReference<>(false);

    assertThatThrownBy(() -> b.holding(() -> ran.getAndSet(true)))
        .isInstanceOf(FleetLeaseException.class)
        .hasMessageContaining("fleet " + fleet + " (table " + TABLE + ")")
        .hasMessageContaining(
            "is held by crashed-elsewhere until "
                + until.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
        .hasMessageContaining("Lambda's retry or the next reconcile decides again");

    Duration waited = Duration.between(start, Instant.now());
    assertThat(waited)
        .isGreaterThanOrEqualTo(TTL.plus(DynamoDbFleetLease.WAIT_BEYOND_TTL))
        // and gave up then, not much later (slack for a loaded build machine)
        .isLessThan(TTL.plus(DynamoDbFleetLease.WAIT_BEYOND_TTL).plusSeconds(10));
    assertThat(ran.get()).isFalse();
    assertThat(item().get("holder").s()).isEqualTo("crashed-elsewhere");
  }

  @Test
  void theLeaseOfAHolderThatDiedIsTakenOnceItExpires() {
    Instant expires = Instant.now().plusMillis(1500);
    put("died", expires, Map.of());
    Instant start = Instant.now();

    String holder = lease("b").holding(() -> item().get("holder").s());

    assertThat(holder).isEqualTo("b-1");
    assertThat(Instant.now()).isAfter(expires);
    assertThat(Duration.between(start, Instant.now())).isLessThan(TTL.plusSeconds(3));
  }

  @Test
  void aTakeThatFindsTheLeaseItsOwnGoesAheadAtOnce() {
    // The item already names the id this take sends: what an SDK retry of a take whose answer
    // was lost finds.
    put("a-1", Instant.now().plus(Duration.ofHours(1)), Map.of());
    Instant start = Instant.now();

    lease("a").holding(() -> null);

    // A take that did not know the lease as its own would wait TTL + WAIT_BEYOND_TTL, then throw.
    assertThat(Duration.between(start, Instant.now()))
        .isLessThan(DynamoDbFleetLease.WAIT_BEYOND_TTL);
    assertThat(item()).doesNotContainKey("holder");
  }

  @Test
  void aDecisionAfterALostReleaseWaitsForItsExpiryLikeAnyOther() {
    DynamoDbFleetLease a = lease("a");
    a.holding(() -> null);
    // The release of a's first decision was lost: its lease is still on the item.
    Instant expires = Instant.now().plusMillis(1500);
    put("a-1", expires, Map.of());

    String second = a.holding(() -> item().get("holder").s());

    assertThat(second).isEqualTo("a-2");
    assertThat(Instant.now()).isAfter(expires);
  }

  private static PendingLaunch call(String token, int count) {
    return new PendingLaunch(
        token, count, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  @Test
  void whatOneHolderRecordsTheNextReadsWithTheLease() {
    DynamoDbFleetLease a = lease("a");
    Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    a.holding(
        () -> {
          a.beforeLaunch(call("token-1", 2));
          a.record(
              "token-1",
              List.of("arn:aws:ecs:us-east-1:1:task/c/t1", "arn:aws:ecs:us-east-1:1:task/c/t2"),
              at);
          return null;
        });

    DynamoDbFleetLease b = lease("b");
    Map<String, Instant> seen = b.holding(() -> b.recent(Instant.now()));

    assertThat(seen)
        .containsOnly(
            Map.entry("arn:aws:ecs:us-east-1:1:task/c/t1", at),
            Map.entry("arn:aws:ecs:us-east-1:1:task/c/t2", at));
    assertThat(lease("c").recent(Instant.now())).as("read outside the lease").isEqualTo(seen);
    assertThat(lease("c").pending(Instant.now())).as("answered: no longer pending").isEmpty();
    assertThat(item().get("pending").m()).isEmpty();
  }

  @Test
  void aLaunchWithoutAnAnswerIsPendingForTheNextHolder() {
    DynamoDbFleetLease a = lease("a");
    PendingLaunch lost = call("token-lost", 3);
    // The renewal before RunTask records the call; no answer ever replaces it.
    a.holding(() -> a.beforeLaunch(lost));

    DynamoDbFleetLease b = lease("b");
    List<PendingLaunch> seen = b.holding(() -> b.pending(Instant.now()));

    assertThat(seen).containsExactly(lost);
    assertThat(lease("c").pending(Instant.now())).as("read outside the lease").isEqualTo(seen);
    assertThat(lease("c").pending(lost.at().plus(EcsTaskLauncher.REMEMBERED).plusMillis(1)))
        .as("after %s", EcsTaskLauncher.REMEMBERED)
        .isEmpty();
  }

  @Test
  void aLaunchEcsRefusedLeavesNothingPending() {
    DynamoDbFleetLease a = lease("a");
    a.holding(
        () -> {
          a.beforeLaunch(call("token-refused", 2));
          a.record("token-refused", List.of(), Instant.now());
          return a.pending(Instant.now());
        });

    assertThat(lease("b").pending(Instant.now())).isEmpty();
    assertThat(item().get("pending").m()).isEmpty();
  }

  @Test
  void theRenewalLeavesRunTaskTheLeaseButTheLastThirdOfItsTtl() {
    DynamoDbFleetLease a = lease("a");

    Duration bound = a.holding(() -> a.beforeLaunch(call("token-1", 1))).orElseThrow();

    assertThat(bound)
        .isGreaterThanOrEqualTo(TTL.dividedBy(3))
        .isLessThanOrEqualTo(TTL.minus(TTL.dividedBy(3)));
  }

  @Test
  void theReleasePrunesConfirmedAndStalePendingLaunches() {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    PendingLaunch old =
        new PendingLaunch("token-old", 2, now.minus(EcsTaskLauncher.REMEMBERED).minusSeconds(1));
    PendingLaunch listed = new PendingLaunch("token-listed", 2, now.minusSeconds(20));
    PendingLaunch unlisted = new PendingLaunch("token-unlisted", 2, now.minusSeconds(10));
    put(null, null, Map.of(), List.of(old, listed, unlisted));
    DynamoDbFleetLease a = lease("a");

    List<PendingLaunch> counted =
        a.holding(
            () -> {
              List<PendingLaunch> pending = a.pending(Instant.now());
              a.confirmed(List.of("token-listed"));
              return pending;
            });

    assertThat(counted).containsExactly(listed, unlisted);
    assertThat(item().get("pending").m()).containsOnlyKeys("token-unlisted");
  }

  @Test
  void theReleasePrunesStaleAndStoppedLaunches() {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    put(
        null,
        null,
        Map.of(
            "arn:task/c/old", now.minus(EcsTaskLauncher.REMEMBERED).minusSeconds(1),
            "arn:task/c/stopped", now.minusSeconds(10),
            "arn:task/c/fresh", now.minusSeconds(5)));
    DynamoDbFleetLease a = lease("a");

    Map<String, Instant> counted =
        a.holding(
            () -> {
              Map<String, Instant> recent = a.recent(Instant.now());
              a.forget(List.of("arn:task/c/stopped"));
              return recent;
            });

    assertThat(counted).containsOnlyKeys("arn:task/c/stopped", "arn:task/c/fresh");
    assertThat(item().get("launches").m()).containsOnlyKeys("arn:task/c/fresh");
  }

  @Test
  void noLaunchIsStartedOrRecordedOutsideTheLease() {
    DynamoDbFleetLease a = lease("a");

    assertThatThrownBy(() -> a.beforeLaunch(call("token-1", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no RunTask outside the fleet lease on fleet " + fleet);
    assertThatThrownBy(() -> a.record("token-1", List.of("arn:task/c/t"), Instant.now()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(item()).isEmpty();
  }

  @Test
  void aHolderWhoseLeasePassedOnMayNotLaunchButStillRecordsWhatItStarted() throws Exception {
    DynamoDbFleetLease a = lease("a");
    DynamoDbFleetLease b = lease("b");
    CountDownLatch bHolds = new CountDownLatch(1);
    CountDownLatch bMayRelease = new CountDownLatch(1);
    AtomicReference<CompletableFuture<Void>> second = new AtomicReference<>();

    a.holding(
        () -> {
          a.beforeLaunch(call("token-late", 1)); // renewed: a whole TTL from now
          pause(TTL.plusMillis(300)); // a decision paused past its lease
          second.set(
              CompletableFuture.runAsync(
                  () ->
                      b.holding(
                          () -> {
                            bHolds.countDown();
                            await(bMayRelease);
                            return null;
                          })));
          await(bHolds);
          a.record("token-late", List.of("arn:task/c/late"), Instant.now());
          assertThatThrownBy(() -> a.beforeLaunch(call("token-next", 1)))
              .isInstanceOf(FleetLeaseException.class)
              .hasMessageContaining("passed to another instance before this one launched");
          return null;
        });

    Map<String, AttributeValue> item = item();
    assertThat(item.get("holder").s()).as("a's release left b's lease alone").isEqualTo("b-1");
    assertThat(item.get("launches").m()).containsOnlyKeys("arn:task/c/late");
    assertThat(item.get("pending").m()).doesNotContainKey("token-late");
    bMayRelease.countDown();
    second.get().get(10, TimeUnit.SECONDS);
    assertThat(item()).doesNotContainKey("holder");
  }

  @Test
  void holdingIsReentrantAndReleasesOnceAtTheEnd() {
    DynamoDbFleetLease a = lease("a");

    String inner = a.holding(() -> a.holding(() -> item().get("holder").s()));
    boolean stillHeld = a.holding(() -> a.holding(() -> true) && item().containsKey("holder"));

    assertThat(inner).isEqualTo("a-1");
    assertThat(stillHeld).isTrue();
    assertThat(item()).doesNotContainKey("holder");
  }

  @Test
  void aMissingTableIsNamed() {
    DynamoDbFleetLease lost =
        new DynamoDbFleetLease(dynamodb, "no-such-table", fleet, () -> "a", Clock.systemUTC(), TTL);

    assertThatThrownBy(() -> lost.holding(() -> null))
        .isInstanceOf(FleetLeaseException.class)
        .hasMessageContaining("cannot take the fleet lease on fleet " + fleet)
        .hasMessageContaining("table no-such-table");
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
