package dev.surge.core.alarm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes a state change's {@code NewStateReason} and {@code NewStateReasonData} the way CloudWatch
 * writes them in its notifications, e.g. {@code Threshold Crossed: 1 out of the last 1 datapoints
 * [1100.0 (27/11/26 21:50:00)] was greater than the threshold (100.0) (minimum 1 datapoint for OK
 * -> ALARM transition).}
 *
 * <p>Reasons always use the "M out of the last N" form, which CloudWatch writes for alarms that set
 * {@code DatapointsToAlarm} (the console always sets it); alarms created without it get an older
 * form ("1 datapoint [...] was greater than ...") that Surge does not reproduce.
 */
final class ReasonWriter {
  /** The datapoint times in reasons: {@code 27/11/26 21:50:00}, UTC. */
  private static final DateTimeFormatter REASON_TIME =
      DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The times in reason data: {@code 2026-11-27T21:50:00.000+0000}. */
  private static final DateTimeFormatter DATA_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private ReasonWriter() {}

  /** The reason for moving to {@code to}, given what was evaluated. */
  static String reason(AlarmSpec spec, TreatMissingData treatment, AlarmState to, Verdict verdict) {
    int n = spec.evaluationPeriods();
    int missing = verdict.missing();
    if (to == AlarmState.INSUFFICIENT_DATA) {
      return "Insufficient Data: " + count(missing, "datapoint") + " " + was(missing) + " unknown.";
    }
    boolean filled =
        missing > 0
            && (treatment == TreatMissingData.BREACHING
                || treatment == TreatMissingData.NOT_BREACHING);
    String fills =
        filled
            ? count(missing, "missing datapoint")
                + " "
                + was(missing)
                + " treated as ["
                + treatment.reasonLabel()
                + "]"
            : "";
    List<RangePoint> evaluated = verdict.evaluated();
    if (evaluated.isEmpty()) {
      return "Threshold Crossed: no datapoints were received for "
          + count(n, "period")
          + " and "
          + fills
          + ".";
    }
    boolean alarm = to == AlarmState.ALARM;
    List<RangePoint> listed =
        evaluated.stream().filter(p -> p.breaching() == alarm).collect(Collectors.toList());
    if (listed.isEmpty()) {
      // Only the filled-in datapoints crossed: CloudWatch then counts what was received instead.
      return "Threshold Crossed: "
          + count(evaluated.size(), "datapoint")
          + " "
          + was(evaluated.size())
          + " received for "
          + count(n, "period")
          + " and "
          + fills
          + ".";
    }
    int minimum = alarm ? spec.datapointsToAlarm() : n - spec.datapointsToAlarm() + 1;
    return "Threshold Crossed: "
        + listed.size()
        + " out of the last "
        + n
        + " datapoints ["
        + listed.stream().map(ReasonWriter::datapoint).collect(Collectors.joining(", "))
        + "] "
        + was(listed.size())
        + (alarm ? " " : " not ")
        + spec.comparison().phrase()
        + " the threshold ("
        + spec.threshold()
        + ")"
        + (filled ? " and " + fills : "")
        + " (minimum "
        + count(minimum, "datapoint")
        + " for "
        + (alarm ? "OK -> ALARM" : "ALARM -> OK")
        + " transition).";
  }

  /**
   * The reason data: {@code {"version":"1.0","queryDate":...,"startDate":...,"statistic":"Sum",
   * "period":60,"recentDatapoints":[...],"threshold":100.0,"evaluatedDatapoints":[...]}}. {@code
   * recentDatapoints} are oldest first, {@code evaluatedDatapoints} newest first, as CloudWatch
   * writes them; {@code startDate} and {@code evaluatedDatapoints} are left out when no real
   * datapoint was evaluated. {@code period} is in seconds, fractional for sub-second test periods.
   */
  static String reasonData(AlarmSpec spec, Verdict verdict, Instant queryDate) {
    List<RangePoint> evaluated = verdict.evaluated();
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("version", "1.0");
    data.put("queryDate", DATA_TIME.format(queryDate));
    if (!evaluated.isEmpty()) {
      data.put("startDate", DATA_TIME.format(evaluated.get(evaluated.size() - 1).timestamp()));
    }
    data.put("statistic", spec.statistic().cloudWatchName());
    long millis = spec.periodMillis();
    if (millis % 1000 == 0) {
      data.put("period", millis / 1000);
    } else {
      data.put("period", millis / 1000.0);
    }
    ArrayNode recent = data.putArray("recentDatapoints");
    for (int i = evaluated.size() - 1; i >= 0; i--) {
      recent.add(evaluated.get(i).value());
    }
    data.put("threshold", spec.threshold());
    if (!evaluated.isEmpty()) {
      ArrayNode points = data.putArray("evaluatedDatapoints");
      for (RangePoint p : evaluated) {
        points
            .addObject()
            .put("timestamp", DATA_TIME.format(p.timestamp()))
            .put("sampleCount", (double) p.sampleCount())
            .put("value", p.value());
      }
    }
    return data.toString();
  }

  private static String datapoint(RangePoint p) {
    return p.value() + " (" + REASON_TIME.format(p.timestamp()) + ")";
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String was(long n) {
    return n == 1 ? "was" : "were";
  }
}
