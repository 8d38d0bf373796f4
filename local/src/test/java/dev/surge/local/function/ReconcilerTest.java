package dev.surge.local.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.surge.core.alarm.AlarmState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private final AtomicReference<AlarmState> state = new AtomicReference<>(AlarmState.OK);
  private final List<SNSEvent> invocations = new CopyOnWriteArrayList<>();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final LocalFunction function =
      new LocalFunction(
          FunctionConfig.local("fasttrack-saa", "us-east-1"),
          (event, context) -> {
            invocations.add(event);
            if (failing.get()) {
              throw new IllegalStateException("ECS unavailable");
            }
            return "reconciled";
          },
          Clock.systemUTC());
  private final Reconciler reconciler = new Reconciler(state::get, function, false);

  @Test
  void withActivationOnBacklogEveryTickInvokesTheFunctionWhichDecides() {
    Reconciler always = new Reconciler(state::get, function, true);
    assertThat(always.tick()).isTrue();
    state.set(AlarmState.INSUFFICIENT_DATA);
    assertThat(always.tick()).isTrue();
    assertThat(invocations).hasSize(2);
  }

  @Test
  void outsideAlarmNothingIsInvoked() {
    assertThat(reconciler.tick()).isFalse();
    state.set(AlarmState.INSUFFICIENT_DATA);
    assertThat(reconciler.tick()).isFalse();
    assertThat(invocations).isEmpty();
  }

  @Test
  void inAlarmTheFunctionGetsTheScheduledEventWithoutRecords() {
    state.set(AlarmState.ALARM);
    assertThat(reconciler.tick()).isTrue();
    assertThat(invocations).singleElement().satisfies(e -> assertThat(e.getRecords()).isEmpty());
  }

  @Test
  void aFailingDecisionReachesTheCallerOfTick() {
    state.set(AlarmState.ALARM);
    failing.set(true);
    assertThatThrownBy(reconciler::tick).hasMessageContaining("ECS unavailable");
  }

  @Test
  void startedItKeepsTickingThroughFailuresAndOnlyInAlarm() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (reconciler) {
      state.set(AlarmState.ALARM);
      failing.set(true);
      reconciler.start(scheduler, Duration.ofMillis(20));
      await().atMost(Duration.ofSeconds(5)).until(() -> invocations.size() >= 3);

      state.set(AlarmState.OK);
      int seen = invocations.size();
      await()
          .during(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(2))
          .until(() -> invocations.size() <= seen + 1);
    } finally {
      scheduler.shutdownNow();
    }
  }
}
