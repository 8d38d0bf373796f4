package dev.surge.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TreatMissingDataTest {

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({
    "missing,MISSING",
    "notBreaching,NOT_BREACHING",
    "NOT_BREACHING,NOT_BREACHING",
    "not-breaching,NOT_BREACHING",
    "breaching,BREACHING",
    "Ignore,IGNORE"
  })
  void parseAcceptsCloudWatchAndConstantSpellings(String text, TreatMissingData expected) {
    assertThat(TreatMissingData.parse(text)).isEqualTo(expected);
  }

  @Test
  void cloudWatchNamesAreTheApiValues() {
    assertThat(TreatMissingData.values())
        .extracting(TreatMissingData::cloudWatchName)
        .containsExactly("missing", "notBreaching", "breaching", "ignore");
  }

  @Test
  void parseRejectsAnUnknownValueAndListsTheValidOnes() {
    assertThatThrownBy(() -> TreatMissingData.parse("zero"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown treat-missing-data value 'zero'; valid values: missing, notBreaching,"
                + " breaching, ignore");
  }
}
