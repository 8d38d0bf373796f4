package dev.surge.local.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.surge.core.MutableClock;
import dev.surge.core.alarm.AlarmEvaluator;
import dev.surge.core.alarm.AlarmSpec;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.alarm.AlarmTransition;
import dev.surge.core.alarm.Datapoint;
import dev.surge.core.alarm.TreatMissingData;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent.AlarmChanged;
import dev.surge.core.port.BacklogProbe;
import dev.surge.core.port.QueueDepth;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalAlarmTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  /** A period boundary. */
  private static final Instant T0 = Instant.parse("2026-11-27T21:50:00Z");

  private final AtomicLong visible = new AtomicLong();
  private final AtomicInteger probes = new AtomicInteger();
  private final BacklogProbe probe =
      () -> {
        probes.incrementAndGet();
        return new QueueDepth(visible.get(), 7, 0);
      };
  private final EventLog events = new EventLog(100);
  private final List<AlarmTransition> actions = new CopyOnWriteArrayList<>();
  private final MutableClock clock = new MutableClock(T0);

  private LocalAlarm alarm(Duration period, Clock c) {
    return new LocalAlarm(
        new AlarmEvaluator(AlarmSpec.seed("fasttrack-saa-backlog", "demo-decoupling-saa", period)),
        probe,
        events,
        actions::add,
        c);
  }

  /** A second after the boundary that ends period {@code k} (period 0 starts at T0). */
  private static Instant afterPeriod(int k) {
    return T0.plus(MINUTE.multipliedBy(k + 1L)).plusSeconds(1);
  }

  private List<AlarmChanged> changes() {
    return events.events().stream()
        .map(s -> s.event())
        .filter(AlarmChanged.class::isInstance)
        .map(AlarmChanged.class::cast)
        .toList();
  }

  @Test
  void itKeepsItsStateChangesAndOneSamplePerPeriodAsCloudWatchShowsThem() {
    LocalAlarm alarm = alarm(MINUTE, clock);
    assertThat(alarm.createdAt()).isEqualTo(T0);
    visible.set(1100);
    alarm.tick(afterPeriod(0));
    alarm.tick(afterPeriod(0).plusSeconds(5)); // the same period: no second sample
    visible.set(3);
    alarm.tick(afterPeriod(1));
    assertThat(alarm.samples())
        .containsExactly(new Datapoint(T0, 1100), new Datapoint(T0.plus(MINUTE), 3));
    assertThat(alarm.history())
        .extracting(AlarmTransition::to)
        .containsExactly(AlarmState.ALARM, AlarmState.OK);
    assertThat(alarm.history()).isEqualTo(actions);
  }

  @Test
  void itKeepsTheNewestSamplesAndStateChangesOnly() {
    LocalAlarm alarm = alarm(MINUTE, clock);
    int periods = LocalAlarm.SAMPLES_KEPT + 10;
    for (int k = 0; k < periods; k++) {
      visible.set(k % 2 == 0 ? 1100 : 0); // a change at every period
      alarm.tick(afterPeriod(k));
    }
    assertThat(alarm.samples()).hasSize(LocalAlarm.SAMPLES_KEPT);
    assertThat(alarm.samples().get(alarm.samples().size() - 1).timestamp())
        .isEqualTo(T0.plus(MINUTE.multipliedBy(periods - 1L)));
    assertThat(alarm.history()).hasSize(LocalAlarm.HISTORY_KEPT);
    assertThat(alarm.history().get(LocalAlarm.HISTORY_KEPT - 1))
        .isEqualTo(actions.get(actions.size() - 1));
  }

  @Test
  void aBacklogOverTheThresholdRaisesTheAlarmOnceAndItsEndClearsIt() {
    LocalAlarm alarm = alarm(MINUTE, clock);
    assertThat(alarm.state()).isEqualTo(AlarmState.INSUFFICIENT_DATA);

    visible.set(1100);
    assertThat(alarm.tick(afterPeriod(0))).isPresent();
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
    assertThat(actions)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.from()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
              assertThat(t.to()).isEqualTo(AlarmState.ALARM);
              assertThat(t.datapoints())
                  .singleElement()
                  .satisfies(
                      d -> {
                        assertThat(d.value()).isEqualTo(1100.0);
                        assertThat(d.timestamp()).isEqualTo(T0);
                      });
            });

    assertThat(alarm.tick(afterPeriod(1))).isEmpty();
    assertThat(alarm.tick(afterPeriod(2))).isEmpty();
    assertThat(actions).hasSize(1);

    visible.set(0);
    assertThat(alarm.tick(afterPeriod(3))).isPresent();
    assertThat(alarm.state()).isEqualTo(AlarmState.OK);
    assertThat(actions)
        .extracting(AlarmTransition::to)
        .containsExactly(AlarmState.ALARM, AlarmState.OK);

    assertThat(changes())
        .extracting(AlarmChanged::to)
        .containsExactly(AlarmState.ALARM, AlarmState.OK);
    assertThat(changes().get(0).threshold()).isEqualTo(100.0);
    assertThat(changes().get(0).alarm()).isEqualTo("fasttrack-saa-backlog");
    assertThat(changes().get(0).reason()).startsWith("Threshold Crossed");
    assertThat(changes().get(0).at()).isEqualTo(afterPeriod(0));
  }

  @Test
  void aBacklogAtTheThresholdKeepsTheAlarmOk() {
    LocalAlarm alarm = alarm(MINUTE, clock);
    visible.set(100);
    alarm.tick(afterPeriod(0));
    assertThat(alarm.state()).isEqualTo(AlarmState.OK);
    assertThat(actions).extracting(AlarmTransition::to).containsExactly(AlarmState.OK);
  }

  @Test
  void theQueueIsSampledOncePerPeriodSoTheSumIsTheDepth() {
    LocalAlarm alarm = alarm(MINUTE, clock);
    visible.set(60); // twice 60 would be a Sum of 120, over the threshold
    alarm.tick(afterPeriod(0));
    alarm.tick(afterPeriod(0).plusSeconds(30));

    assertThat(probes.get()).isEqualTo(1);
    assertThat(alarm.state()).isEqualTo(AlarmState.OK);
    assertThat(alarm.evaluator().lastDatapoints())
        .singleElement()
        .satisfies(d -> assertThat(d.value()).isEqualTo(60.0));
  }

  @Test
  void aFailingActionDoesNotStopTheAlarm() {
    LocalAlarm alarm =
        new LocalAlarm(
            new AlarmEvaluator(AlarmSpec.seed("a", "q", MINUTE)),
            probe,
            events,
            t -> {
              throw new IllegalStateException("topic closed");
            },
            clock);
    visible.set(1100);
    assertThat(alarm.tick(afterPeriod(0))).isPresent();
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
    assertThat(changes()).hasSize(1);
  }

  @Test
  void aFailingProbeLeavesThePeriodWithoutADatapoint() {
    LocalAlarm alarm =
        new LocalAlarm(
            new AlarmEvaluator(AlarmSpec.seed("a", "q", MINUTE)),
            () -> {
              throw new IllegalStateException("queue unreachable");
            },
            events,
            actions::add,
            clock);
    assertThatThrownBy(() -> alarm.tick(afterPeriod(0))).hasMessageContaining("unreachable");
    assertThat(alarm.state()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
    assertThat(actions).isEmpty();
  }

  @Test
  void theLocalAlarmIsTheDeployedOneAPeriodWithoutASampleIsNoBacklogNotInsufficientData() {
    AtomicInteger failing = new AtomicInteger();
    AlarmSpec spec =
        LocalCloud.spec(
            LocalCloudOptions.seed(1, 2, java.nio.file.Path.of("logs")).withAlarmPeriod(MINUTE));
    assertThat(spec.treatMissingData()).isEqualTo(TreatMissingData.NOT_BREACHING);
    LocalAlarm alarm =
        new LocalAlarm(
            new AlarmEvaluator(spec),
            () -> {
              if (failing.get() > 0) {
                throw new IllegalStateException("queue unreachable");
              }
              return probe.depth();
            },
            events,
            actions::add,
            clock);
    visible.set(1100);
    alarm.tick(afterPeriod(0));
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);

    // Samples fail until the evaluation range (1 + 2 periods) holds no datapoint at all.
    failing.set(1);
    for (int period = 1; period <= 3; period++) {
      int p = period;
      assertThatThrownBy(() -> alarm.tick(afterPeriod(p))).hasMessageContaining("unreachable");
    }

    // Evaluated every period, as CloudWatch does, with the stack's treatment of missing data (not
    // breaching): OK, never INSUFFICIENT_DATA, in which the function's reconciler stops acting.
    assertThat(alarm.state()).isEqualTo(AlarmState.OK);
    assertThat(actions)
        .extracting(AlarmTransition::to)
        .containsExactly(AlarmState.ALARM, AlarmState.OK);
  }

  @Test
  void ticksAreAlignedJustAfterPeriodBoundaries() {
    assertThat(LocalAlarm.untilNextTick(T0.plusSeconds(10), MINUTE))
        .isEqualTo(Duration.ofMillis(50_250));
    assertThat(LocalAlarm.untilNextTick(T0, MINUTE)).isEqualTo(Duration.ofMillis(60_250));
    assertThat(LocalAlarm.untilNextTick(T0.plusMillis(30), Duration.ofMillis(100)))
        .isEqualTo(Duration.ofMillis(75));
  }

  @Test
  void startedItTicksEveryPeriodOnTheClock() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    LocalAlarm alarm = alarm(Duration.ofMillis(100), Clock.systemUTC());
    try {
      visible.set(1100);
      alarm.start(scheduler);

      await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() >= 4);
      assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
      assertThat(actions).hasSize(1);

      alarm.close();
      int after = probes.get();
      await()
          .during(Duration.ofMillis(400))
          .atMost(Duration.ofSeconds(2))
          .until(() -> probes.get() <= after + 1);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aStateSetByHandIsKeptAnnouncedActedOnAndTheNextTickGoesOnFromIt() {
    LocalAlarm alarm = alarm(MINUTE, clock);
    visible.set(3);
    alarm.tick(afterPeriod(0));
    assertThat(alarm.state()).isEqualTo(AlarmState.OK);
    clock.advance(Duration.between(clock.instant(), afterPeriod(0).plusSeconds(10)));

    assertThat(alarm.setState(AlarmState.ALARM, "testing", "{\"by\":\"hand\"}"))
        .hasValueSatisfying(
            t -> {
              assertThat(t.from()).isEqualTo(AlarmState.OK);
              assertThat(t.reason()).isEqualTo("testing");
              assertThat(t.at()).isEqualTo(afterPeriod(0).plusSeconds(10));
            });
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
    assertThat(alarm.history()).extracting(AlarmTransition::reason).endsWith("testing");
    assertThat(actions).extracting(AlarmTransition::to).endsWith(AlarmState.ALARM);
    assertThat(changes()).extracting(AlarmChanged::reason).endsWith("testing");
    // The state it is in: nothing happens.
    assertThat(alarm.setState(AlarmState.ALARM, "again", "")).isEmpty();
    assertThat(actions).hasSize(2);

    // The next period's evaluation, on a queue under the threshold, moves it back.
    assertThat(alarm.tick(afterPeriod(1))).map(AlarmTransition::to).contains(AlarmState.OK);
  }

  @Test
  void aReconfiguredAlarmKeepsItsStateAndEvaluatesItsNewRule() {
    LocalAlarm alarm = alarm(MINUTE, clock);
    visible.set(150);
    alarm.tick(afterPeriod(0));
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
    clock.advance(Duration.between(clock.instant(), afterPeriod(0).plusSeconds(5)));
    AlarmSpec higher =
        new AlarmSpec(
            "fasttrack-saa-backlog",
            AlarmSpec.VISIBLE_MESSAGES_METRIC,
            AlarmSpec.SQS_NAMESPACE,
            java.util.Map.of(AlarmSpec.QUEUE_NAME_DIMENSION, "demo-decoupling-saa"),
            dev.surge.core.alarm.Statistic.MAXIMUM,
            MINUTE,
            dev.surge.core.alarm.ComparisonOperator.GREATER_THAN_THRESHOLD,
            200,
            1,
            1,
            TreatMissingData.NOT_BREACHING);
    LocalAlarm.Settings settings =
        new LocalAlarm.Settings(
            "two hundred",
            false,
            new dev.surge.core.alarm.AlarmNotifications.Actions(
                List.of(), List.of("arn:t"), List.of()),
            java.util.Optional.of("Count"));

    alarm.reconfigure(higher, settings, LocalAlarm.visibleMessages(probe));

    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
    assertThat(alarm.spec()).isEqualTo(higher);
    assertThat(alarm.settings()).isEqualTo(settings);
    assertThat(settings.actionsFor(AlarmState.ALARM)).isEmpty(); // actions disabled
    assertThat(alarm.configuredAt()).isEqualTo(afterPeriod(0).plusSeconds(5));
    assertThat(alarm.configurations())
        .extracting(LocalAlarm.Configuration::type)
        .containsExactly("Create", "Update");
    assertThat(alarm.tick(afterPeriod(1))).map(AlarmTransition::to).contains(AlarmState.OK);
  }

  @Test
  void theAlarmsOfALocalCloudAreMadeUpdatedAndDeletedButTheChainsStays() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    LocalAlarm chain = alarm(MINUTE, clock);
    List<String> acted = new CopyOnWriteArrayList<>();
    try (LocalAlarms alarms =
        new LocalAlarms(
            chain,
            spec -> LocalAlarm.visibleMessages(probe),
            (a, t) -> acted.add(a.name() + " " + t.to()),
            scheduler,
            clock)) {
      AlarmSpec other = AlarmSpec.seed("other", "another-queue", MINUTE);
      LocalAlarm made = alarms.put(other, LocalAlarm.Settings.none());
      assertThat(made.state()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
      assertThat(alarms.all())
          .extracting(LocalAlarm::name)
          .containsExactly("fasttrack-saa-backlog", "other");
      assertThat(alarms.find("other")).containsSame(made);
      assertThat(alarms.put(other, LocalAlarm.Settings.none())).isSameAs(made);
      assertThat(made.setState(AlarmState.ALARM, "by hand", "")).isPresent();
      assertThat(acted).containsExactly("other ALARM");

      assertThatThrownBy(() -> alarms.delete(List.of("other", chain.name())))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(alarms.find("other")).isPresent();
      alarms.delete(List.of("other", "no-such-alarm"));
      assertThat(alarms.find("other")).isEmpty();
      assertThat(made.closed()).isTrue();
      assertThat(alarms.all()).containsExactly(chain);
      assertThat(alarms.withDeleted()).contains(made);
      assertThat(made.configurations())
          .extracting(LocalAlarm.Configuration::type)
          .containsExactly("Create", "Update", "Delete");
      assertThat(alarms.put(chain.spec(), LocalAlarm.Settings.none())).isSameAs(chain);
    } finally {
      scheduler.shutdownNow();
    }
    assertThat(chain.closed()).isTrue();
  }
}
