package dev.surge.remote;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.PipelineEvent.TriggerDecided;
import dev.surge.core.port.LaunchFailure;
import dev.surge.core.port.LaunchResult;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskLauncher;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.TriggerSettings;
import dev.surge.trigger.TriggerService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Reading decisions back from the function's log lines. The lines are the ones the real trigger
 * service logs, formatted as the Lambda function's logging (slf4j-simple: level, short logger name,
 * message) prints them, so a change of the log format fails here.
 */
class TriggerLinesTest {
  private static final Instant AT = Instant.parse("2026-11-27T22:00:00Z");

  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final Logger serviceLog = (Logger) LoggerFactory.getLogger(TriggerService.class);

  @BeforeEach
  void capture() {
    captured.start();
    serviceLog.addAppender(captured);
  }

  @AfterEach
  void release() {
    serviceLog.detachAppender(captured);
  }

  /** What the function's log group holds for the captured lines. */
  private List<String> lambdaLines() {
    return captured.list.stream()
        .map(e -> e.getLevel() + " TriggerService - " + e.getFormattedMessage())
        .toList();
  }

  private List<TriggerDecided> parsed() {
    return lambdaLines().stream()
        .map(l -> TriggerLines.parse(l, AT))
        .flatMap(Optional::stream)
        .toList();
  }

  private static TriggerService service(AlarmState alarm, long backlog, int failing) {
    TaskLauncher launcher =
        new TaskLauncher() {
          @Override
          public LaunchResult launch(int count) {
            List<String> started =
                java.util.stream.IntStream.range(0, count - failing)
                    .mapToObj(i -> "t" + i)
                    .toList();
            return new LaunchResult(
                started,
                java.util.Collections.nCopies(
                    failing, new LaunchFailure("RESOURCE:MEMORY", "no capacity")));
          }

          @Override
          public int running() {
            return 0;
          }
        };
    return new TriggerService(
        new TriggerSettings("q", "fasttrack-saa-backlog", ScalingPolicy.Proportional.defaults()),
        () -> new QueueDepth(backlog, 0, 0),
        launcher,
        () -> alarm,
        Clock.systemUTC());
  }

  @Test
  void aLaunchWithFailuresIsReadBackWithItsFiguresAndReasons() {
    service(AlarmState.ALARM, 1100, 2).reconcile();

    List<TriggerDecided> decisions = parsed();

    assertThat(decisions).hasSize(1);
    TriggerDecided d = decisions.get(0);
    assertThat(d.at()).isEqualTo(AT);
    assertThat(d.cause()).isEqualTo("reconcile");
    assertThat(d.action()).isEqualTo("launched");
    assertThat(d.backlog()).isEqualTo(1100);
    assertThat(d.running()).isZero();
    assertThat(d.desired()).isEqualTo(4);
    assertThat(d.started()).isEqualTo(2);
    assertThat(d.failures()).containsExactly("RESOURCE:MEMORY", "RESOURCE:MEMORY");
    assertThat(d.note())
        .isEqualTo("reconcile: alarm fasttrack-saa-backlog is in ALARM; started 2 of 4");
  }

  @Test
  void anIdleReconcileIsReadBackAsIdle() {
    service(AlarmState.OK, 0, 0).reconcile();

    assertThat(parsed())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.cause()).isEqualTo("reconcile");
              assertThat(d.action()).isEqualTo("idle");
              assertThat(d.note()).isEqualTo("idle: alarm OK");
            });
  }

  @Test
  void aNotificationDecisionHasTheNotificationCause() {
    Optional<TriggerDecided> d =
        TriggerLines.parse(
            "INFO TriggerService - [95df01b4-ee98-5cb9-9903-4c221d41eb5e] ignored: state OK", AT);

    assertThat(d).isPresent();
    assertThat(d.get().cause()).isEqualTo("notification");
    assertThat(d.get().action()).isEqualTo("ignored");
    assertThat(d.get().note()).isEqualTo("ignored: state OK");
  }

  @Test
  void otherLinesAreNotDecisions() {
    service(AlarmState.ALARM, 300, 0).reconcile(); // also logs "started tasks [t0]"

    assertThat(lambdaLines()).anyMatch(l -> l.contains("started tasks"));
    assertThat(parsed()).hasSize(1);
    assertThat(TriggerLines.parse("START RequestId: 8f5d Version: $LATEST", AT)).isEmpty();
    assertThat(
            TriggerLines.parse(
                "ERROR TriggerService - reconcile: cannot read the state of alarm a: x", AT))
        .isEmpty();
  }

  @Test
  void theWorkersSummaryLineGivesItsWrittenCount() {
    assertThat(
            WorkerLog.written(
                "SURGE_WORKER_SUMMARY {\"taskId\":\"t1\",\"outcome\":\"IDLE\",\"written\":275}"))
        .hasValue(275);
    assertThat(WorkerLog.written("SURGE_WORKER_SUMMARY {\"written\":\"many\"}")).isEmpty();
    assertThat(WorkerLog.written("SURGE_WORKER_SUMMARY {broken")).isEmpty();
    assertThat(WorkerLog.written("an ordinary line")).isEmpty();
  }
}
