package dev.surge.core.alarm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the message CloudWatch would publish for a transition of an alarm defined by an {@link
 * AlarmSpec}: what the local alarm sends to the local topic, so the trigger reads the same JSON on
 * both targets.
 */
public final class AlarmNotifications {
  // CloudWatch writes the region's long name in notifications, not its id.
  private static final Map<String, String> REGION_NAMES =
      Map.ofEntries(
          Map.entry("us-east-1", "US East (N. Virginia)"),
          Map.entry("us-east-2", "US East (Ohio)"),
          Map.entry("us-west-1", "US West (N. California)"),
          Map.entry("us-west-2", "US West (Oregon)"),
          Map.entry("eu-west-1", "EU (Ireland)"),
          Map.entry("eu-west-2", "EU (London)"),
          Map.entry("eu-west-3", "EU (Paris)"),
          Map.entry("eu-central-1", "EU (Frankfurt)"),
          Map.entry("eu-north-1", "EU (Stockholm)"),
          Map.entry("ap-southeast-1", "Asia Pacific (Singapore)"),
          Map.entry("ap-southeast-2", "Asia Pacific (Sydney)"),
          Map.entry("ap-northeast-1", "Asia Pacific (Tokyo)"),
          Map.entry("ap-south-1", "Asia Pacific (Mumbai)"),
          Map.entry("sa-east-1", "South America (Sao Paulo)"),
          Map.entry("ca-central-1", "Canada (Central)"));

  private AlarmNotifications() {}

  /**
   * The notification for {@code transition}.
   *
   * @param region the region id, e.g. {@code us-east-1}
   * @param accountId the account id
   * @param topicArn the topic in the alarm's actions
   */
  public static AlarmNotification of(
      AlarmSpec spec,
      AlarmTransition transition,
      String region,
      String accountId,
      String topicArn) {
    return of(
        spec,
        transition,
        region,
        accountId,
        "",
        Optional.empty(),
        new Actions(List.of(), List.of(topicArn), List.of()));
  }

  /**
   * The actions of an alarm for each state it can enter, as its notification lists them.
   *
   * @param ok {@code OKActions}
   * @param alarm {@code AlarmActions}
   * @param insufficientData {@code InsufficientDataActions}
   */
  public record Actions(List<String> ok, List<String> alarm, List<String> insufficientData) {
    /** Copies the lists. */
    public Actions {
      ok = List.copyOf(ok);
      alarm = List.copyOf(alarm);
      insufficientData = List.copyOf(insufficientData);
    }

    /** The actions for entering {@code state}. */
    public List<String> of(AlarmState state) {
      return switch (state) {
        case OK -> ok;
        case ALARM -> alarm;
        case INSUFFICIENT_DATA -> insufficientData;
      };
    }
  }

  /**
   * The notification for {@code transition} of an alarm with a description and its own actions.
   *
   * @param region the region id, e.g. {@code us-east-1}
   * @param accountId the account id
   * @param description the alarm's description, {@code ""} for none
   * @param configurationUpdatedAt when the alarm's configuration was last updated, if known
   * @param actions the alarm's actions
   */
  public static AlarmNotification of(
      AlarmSpec spec,
      AlarmTransition transition,
      String region,
      String accountId,
      String description,
      Optional<java.time.Instant> configurationUpdatedAt,
      Actions actions) {
    List<AlarmTrigger.Dimension> dimensions = new ArrayList<>();
    spec.dimensions().forEach((k, v) -> dimensions.add(new AlarmTrigger.Dimension(k, v)));
    AlarmTrigger trigger =
        AlarmTrigger.of(
            spec.metricName(),
            spec.namespace(),
            spec.statistic().name(),
            dimensions,
            (int) Math.max(1, spec.period().toSeconds()),
            spec.evaluationPeriods(),
            spec.datapointsToAlarm(),
            spec.comparison().cloudWatchName(),
            spec.threshold(),
            spec.treatMissingData().cloudWatchName());
    return new AlarmNotification(
        spec.name(),
        description,
        accountId,
        configurationUpdatedAt,
        transition.to(),
        transition.reason(),
        transition.reasonData(),
        transition.at(),
        REGION_NAMES.getOrDefault(region, region),
        "arn:aws:cloudwatch:" + region + ":" + accountId + ":alarm:" + spec.name(),
        transition.from(),
        actions.ok(),
        actions.alarm(),
        actions.insufficientData(),
        trigger);
  }
}
