package dev.surge.core.alarm;

import static dev.surge.core.alarm.AlarmNotificationTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input is a {@link MalformedNotificationException} that says what is wrong. */
class AlarmNotificationMalformedTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed-not-json.txt|not JSON (line 1, column",
        "malformed-no-new-state.json|NewStateValue is missing",
        "malformed-bad-state.json|NewStateValue 'ALARMING' is not OK, ALARM or INSUFFICIENT_DATA",
        "malformed-bad-time.json|StateChangeTime 'yesterday at noon' is not a time",
        "malformed-array.json|not a JSON object",
      })
  void fixturesSayWhatIsWrong(String name, String expected) {
    assertThatThrownBy(() -> AlarmNotification.parse(fixture(name)))
        .isInstanceOf(MalformedNotificationException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  \n"})
  void anEmptyMessageIsMalformed(String message) {
    assertThatThrownBy(() -> AlarmNotification.parse(message))
        .isInstanceOf(MalformedNotificationException.class)
        .hasMessageContaining("empty message");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"NewStateValue\":\"ALARM\"}|AlarmName is missing",
        "{\"AlarmName\":\"\",\"NewStateValue\":\"ALARM\"}|AlarmName is not a non-empty string",
        "{\"AlarmName\":7,\"NewStateValue\":\"ALARM\"}|AlarmName is not a non-empty string",
        "{\"AlarmName\":\"a\",\"NewStateValue\":\"ALARM\",\"Trigger\":{\"Period\":\"sixty\"}}"
            + "|Trigger.Period is not a whole number",
        "{\"AlarmName\":\"a\",\"NewStateValue\":\"ALARM\",\"Trigger\":{\"Dimensions\":{}}}"
            + "|Trigger.Dimensions is not an array",
        "{\"AlarmName\":\"a\",\"NewStateValue\":\"ALARM\",\"AlarmActions\":\"arn\"}"
            + "|AlarmActions is not an array",
        "{\"AlarmName\":\"a\",\"NewStateValue\":\"ALARM\"} trailing|not JSON",
      })
  void wrongFieldsAreNamed(String json, String expected) {
    assertThatThrownBy(() -> AlarmNotification.parse(json))
        .isInstanceOf(MalformedNotificationException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void theMessageNeverEchoesALargePayload() {
    String huge = "x".repeat(100_000);
    String json = "{\"AlarmName\":\"a\",\"NewStateValue\":\"" + huge + "\"}";

    assertThatThrownBy(() -> AlarmNotification.parse(json))
        .isInstanceOf(MalformedNotificationException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    assertThatThrownBy(() -> AlarmNotification.parse(huge))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }
}
