package dev.surge.trigger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.surge.core.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda entry point, {@code dev.surge.trigger.TriggerHandler::handleRequest}: each SNS record
 * is an alarm notification for {@link TriggerService#onNotification}; an event without records (the
 * schedule's constant {@code {"Records":[]}}) is a {@link TriggerService#reconcile}. Locally the
 * same class is invoked in-process with a real {@link SNSEvent}, around the trigger {@link
 * AwsWiring} builds from the local function's environment.
 *
 * <p>Bad input never throws, since a thrown exception makes Lambda retry a poison event: malformed
 * messages, other alarms, other states and duplicates are reported in the result. It throws when
 * the backlog, the fleet or the alarm cannot be read (an SDK error, or a {@link
 * dev.surge.core.ConfigException} for a missing queue or alarm), or when the fleet's lease in the
 * control table cannot be taken ({@link FleetLeaseException}), after logging, so that Lambda's
 * asynchronous retry applies. Tasks that fail to start are reported, not thrown.
 */
public final class TriggerHandler implements RequestHandler<SNSEvent, String> {
  private static final Logger LOG = LoggerFactory.getLogger(TriggerHandler.class);

  private final TriggerService service;

  /** What Lambda calls: reads the environment once and builds the AWS trigger from it. */
  public TriggerHandler() {
    this(System.getenv());
  }

  /**
   * The AWS trigger configured by {@code env} alone (region, endpoints, credentials and the {@code
   * SURGE_*} variables, {@code SURGE_CONTROL_TABLE} among them for the fleet's lease).
   *
   * @throws dev.surge.core.ConfigException naming the variable that is missing or wrong
   */
  public TriggerHandler(Map<String, String> env) {
    this(AwsWiring.service(new Env(env)));
  }

  /** A handler around a ready trigger. */
  public TriggerHandler(TriggerService service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  /** The trigger this handler drives. */
  public TriggerService service() {
    return service;
  }

  /**
   * Handles one invocation.
   *
   * @return one summary line per report (see {@link #handle})
   */
  @Override
  public String handleRequest(SNSEvent event, Context context) {
    return handle(event).stream().map(TriggerReport::summary).collect(Collectors.joining("\n"));
  }

  /**
   * Handles {@code event}: one report per record, or one reconcile report when it has none.
   *
   * @throws RuntimeException only when a port fails (see the class comment)
   */
  public List<TriggerReport> handle(SNSEvent event) {
    List<SNSEvent.SNSRecord> records =
        event == null || event.getRecords() == null ? List.of() : event.getRecords();
    if (records.isEmpty()) {
      return List.of(service.reconcile());
    }
    List<TriggerReport> reports = new ArrayList<>(records.size());
    for (SNSEvent.SNSRecord r : records) {
      SNSEvent.SNS sns = r == null ? null : r.getSNS();
      if (sns == null) {
        TriggerReport report =
            TriggerReport.without(
                TriggerReport.Action.MALFORMED, "malformed: a record without Sns");
        // A decision like the service's, so it reaches the watcher too; there is no message id.
        LOG.warn("{}", TriggerDecisionLine.write(report, "", 0));
        reports.add(report);
        continue;
      }
      reports.add(service.onNotification(sns.getMessageId(), sns.getMessage()));
    }
    return reports;
  }
}
