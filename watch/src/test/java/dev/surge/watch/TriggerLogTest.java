package dev.surge.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.PipelineEvent.TriggerDecided;
import dev.surge.core.port.LaunchFailure;
import dev.surge.core.port.LaunchResult;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskLauncher;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.TriggerSettings;
import dev.surge.trigger.TriggerHandler;
import dev.surge.trigger.TriggerReport;
import dev.surge.trigger.TriggerService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Reading decisions back from the function's log lines. The lines are the ones the real trigger
 * logs, formatted as the Lambda function's logging (slf4j-simple: level, short logger name,
 * message) prints them, so a change of the log format that the reader does not follow fails here.
 */
class TriggerLogTest {
  private static final Instant AT = Instant.parse("2026-11-27T22:00:00Z");
  private static final String ALARM = "fasttrack-saa-backlog";

  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final List<Logger> loggers =
      List.of(
          (Logger) LoggerFactory.getLogger(TriggerService.class),
          (Logger) LoggerFactory.getLogger(TriggerHandler.class));

  // The fleet the service sees: what it started, unless a test says otherwise.
  private AlarmState alarm = AlarmState.ALARM;
  private long backlog = 1100;
  private int running;
  private int failing;
  private RuntimeException queueFailure;

  private final TriggerService service =
      new TriggerService(
          new TriggerSettings("q", ALARM, ScalingPolicy.Proportional.defaults()),
          () -> {
            if (queueFailure != null) {
              throw queueFailure;
            }
            return new QueueDepth(backlog, 0, 0);
          },
          new TaskLauncher() {
            @Override
            public LaunchResult launch(int count) {
              List<String> started =
                  IntStream.range(0, count - failing).mapToObj(i -> "t" + i).toList();
              running += started.size();
              return new LaunchResult(
                  started,
                  Collections.nCopies(
                      failing, new LaunchFailure("RESOURCE:MEMORY", "no capacity")));
            }

            @Override
            public int running() {
              return running;
            }
          },
          () -> alarm,
          Clock.systemUTC());

  @BeforeEach
  void capture() {
    captured.start();
    loggers.forEach(l -> l.addAppender(captured));
  }

  @AfterEach
  void release() {
    loggers.forEach(l -> l.detachAppender(captured));
  }

  /** What the function's log group holds for the captured lines. */
  private List<String> lambdaLines() {
    return captured.list.stream()
        .map(
            e -> {
              String name = e.getLoggerName();
              return e.getLevel()
                  + " "
                  + name.substring(name.lastIndexOf('.') + 1)
                  + " - "
                  + e.getFormattedMessage();
            })
        .toList();
  }

  private List<TriggerDecided> parsed() {
    return lambdaLines().stream()
        .map(l -> TriggerLog.decided(l, AT))
        .flatMap(Optional::stream)
        .toList();
  }

  private static String notification(String alarmName, String state) {
    return "{\"AlarmName\":\""
        + alarmName
        + "\",\"NewStateValue\":\""
        + state
        + "\",\"OldStateValue\":\"OK\",\"StateChangeTime\":\"2026-11-27T21:59:55.000+0000\"}";
  }

  private static SNSEvent.SNSRecord record(String messageId, String message) {
    SNSEvent.SNS sns = new SNSEvent.SNS();
    sns.setMessageId(messageId);
    sns.setMessage(message);
    SNSEvent.SNSRecord r = new SNSEvent.SNSRecord();
    r.setSns(sns);
    return r;
  }

  /** What the local target publishes for {@code r}, in-process, without any log line. */
  private static TriggerDecided published(TriggerReport r, String cause) {
    return new TriggerDecided(
        AT,
        cause,
        r.action().name().toLowerCase(Locale.ROOT),
        r.backlog(),
        r.running(),
        r.desired(),
        r.started().size(),
        r.failures().stream().map(LaunchFailure::reason).toList(),
        r.reason());
  }

  @Test
  void aLaunchWithFailuresIsReadBackWithItsFiguresAndReasonsFromAWarning() {
    failing = 2;

    service.reconcile();

    assertThat(parsed())
        .singleElement()
        .isEqualTo(
            new TriggerDecided(
                AT,
                "reconcile",
                "launched",
                1100,
                0,
                4,
                2,
                List.of("RESOURCE:MEMORY", "RESOURCE:MEMORY"),
                "reconcile: alarm fasttrack-saa-backlog is in ALARM; started 2 of 4"));
    assertThat(lambdaLines()).filteredOn(l -> l.contains("SURGE_TRIGGER_DECISION")).hasSize(1);
    assertThat(lambdaLines())
        .filteredOn(l -> l.contains("SURGE_TRIGGER_DECISION"))
        .allMatch(l -> l.startsWith("WARN TriggerService - SURGE_TRIGGER_DECISION {"));
  }

  @Test
  void everyKindOfDecisionIsOneLineReadBackAsTheLocalTargetPublishesIt() {
    TriggerHandler handler = new TriggerHandler(service);
    SNSEvent notifications = new SNSEvent();
    notifications.setRecords(
        List.of(
            record("m-1", notification(ALARM, "ALARM")),
            record("m-1", notification(ALARM, "ALARM")),
            record("m-2", notification("another-alarm", "ALARM")),
            record("m-3", notification(ALARM, "OK")),
            record("m-4", "{\"AlarmName\": {\"not\": \"a \\\"name\\\"\"}}\n"),
            new SNSEvent.SNSRecord()));
    List<TriggerDecided> expected = new ArrayList<>();

    handler.handle(notifications).forEach(r -> expected.add(published(r, "notification")));
    handler.handle(new SNSEvent()).forEach(r -> expected.add(published(r, "reconcile")));
    alarm = AlarmState.OK;
    handler.handle(new SNSEvent()).forEach(r -> expected.add(published(r, "reconcile")));

    List<TriggerDecided> decisions = parsed();
    assertThat(decisions).containsExactlyElementsOf(expected);
    assertThat(decisions)
        .extracting(TriggerDecided::action)
        .containsExactly(
            "launched",
            "duplicate",
            "ignored",
            "ignored",
            "malformed",
            "malformed",
            "satisfied",
            "idle");
    assertThat(
            captured.list.stream()
                .filter(e -> e.getFormattedMessage().contains("SURGE_TRIGGER_DECISION"))
                .map(ILoggingEvent::getLevel))
        .containsExactly(
            Level.INFO,
            Level.INFO,
            Level.INFO,
            Level.INFO,
            Level.WARN,
            Level.WARN,
            Level.INFO,
            Level.INFO);
    assertThat(decisions.get(4).note()).startsWith("malformed: ");
  }

  @Test
  void otherLinesOfTheFunctionAreNotDecisions() {
    backlog = 300;
    service.reconcile(); // also logs "started tasks [t0]"
    queueFailure = new IllegalStateException("SQS unreachable");
    assertThatThrownBy(service::reconcile).isSameAs(queueFailure); // logs an ERROR line

    assertThat(lambdaLines())
        .anyMatch(l -> l.startsWith("INFO TriggerService - [reconcile] started tasks [t0]"))
        .anyMatch(l -> l.startsWith("ERROR TriggerService - reconcile: "));
    assertThat(parsed()).singleElement().extracting(TriggerDecided::action).isEqualTo("launched");
    assertThat(TriggerLog.decided("START RequestId: 8f5d Version: $LATEST", AT)).isEmpty();
    assertThat(
            TriggerLog.decided(
                "INFO TriggerService - [95df01b4-ee98-5cb9-9903-4c221d41eb5e] ignored: state OK",
                AT))
        .isEmpty();
  }
}
