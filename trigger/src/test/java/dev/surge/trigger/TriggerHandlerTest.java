package dev.surge.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.surge.core.ConfigException;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.TriggerSettings;
import dev.surge.trigger.TestPorts.CountingLauncher;
import dev.surge.trigger.TestPorts.FixedAlarm;
import dev.surge.trigger.TestPorts.FixedBacklog;
import dev.surge.trigger.TriggerReport.Action;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handler's routing of SNS events, with the ports as simple doubles. */
class TriggerHandlerTest {
  private final FixedBacklog backlog = new FixedBacklog(1000, 100);
  private final CountingLauncher launcher = new CountingLauncher(0);
  private final FixedAlarm alarm = new FixedAlarm(AlarmState.OK);
  private final TriggerHandler handler =
      new TriggerHandler(
          new TriggerService(
              new TriggerSettings(
                  "demo-decoupling-saa",
                  "fasttrack-saa-backlog",
                  ScalingPolicy.Proportional.defaults()),
              backlog,
              launcher,
              alarm,
              Clock.systemUTC()));

  @Test
  void eachRecordIsANotification() {
    String result = handler.handleRequest(Fixtures.sns("sns-alarm.json"), null);

    assertThat(result).startsWith("LAUNCHED: alarm fasttrack-saa-backlog OK -> ALARM");
    assertThat(launcher.launches).containsExactly(4);
  }

  @Test
  void theSchedulesEmptyEventIsAReconcile() {
    launcher.running = 1; // the backlog is in hand: outside ALARM nothing to do
    List<TriggerReport> reports = handler.handle(Fixtures.sns("schedule.json"));

    assertThat(reports).extracting(TriggerReport::action).containsExactly(Action.IDLE);

    alarm.state = AlarmState.ALARM;
    assertThat(handler.handle(Fixtures.sns("schedule.json")))
        .extracting(TriggerReport::action)
        .containsExactly(Action.LAUNCHED);
  }

  @Test
  void anEventWithoutRecordsOrNoEventAtAllIsAReconcile() {
    launcher.running = 1;
    assertThat(handler.handle(new SNSEvent()))
        .extracting(TriggerReport::action)
        .containsExactly(Action.IDLE);
    assertThat(handler.handle(null)).extracting(TriggerReport::action).containsExactly(Action.IDLE);
  }

  @Test
  void badRecordsAreReportedOneByOneAndNeverThrow() {
    SNSEvent event = new SNSEvent();
    List<SNSEvent.SNSRecord> records = new ArrayList<>();
    records.add(new SNSEvent.SNSRecord());
    records.add(Fixtures.sns("sns-malformed-not-json.json").getRecords().get(0));
    records.add(Fixtures.sns("sns-ok.json").getRecords().get(0));
    records.add(Fixtures.sns("sns-alarm.json").getRecords().get(0));
    event.setRecords(records);

    List<TriggerReport> reports = handler.handle(event);

    assertThat(reports)
        .extracting(TriggerReport::action)
        .containsExactly(Action.MALFORMED, Action.MALFORMED, Action.IGNORED, Action.LAUNCHED);
  }

  @Test
  void aMissingSubnetIsAConfigErrorNamingTheVariable() {
    assertThatThrownBy(() -> new TriggerHandler(Map.of("AWS_REGION", "us-east-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SURGE_SUBNETS is not set");
  }
}
