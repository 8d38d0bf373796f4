package dev.surge.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ComparisonOperatorTest {

  @ParameterizedTest(name = "{0}: 100 vs 100 breaches = {1}")
  @CsvSource({
    "GREATER_THAN_THRESHOLD,false",
    "GREATER_THAN_OR_EQUAL_TO_THRESHOLD,true",
    "LESS_THAN_THRESHOLD,false",
    "LESS_THAN_OR_EQUAL_TO_THRESHOLD,true"
  })
  void aValueEqualToTheThresholdBreachesOnlyTheInclusiveOperators(
      ComparisonOperator op, boolean breaches) {
    assertThat(op.breaches(100.0, 100.0)).isEqualTo(breaches);
  }

  @ParameterizedTest(name = "{0}: above {1}, below {2}")
  @CsvSource({
    "GREATER_THAN_THRESHOLD,true,false",
    "GREATER_THAN_OR_EQUAL_TO_THRESHOLD,true,false",
    "LESS_THAN_THRESHOLD,false,true",
    "LESS_THAN_OR_EQUAL_TO_THRESHOLD,false,true"
  })
  void valuesAwayFromTheThresholdBreachOnTheOperatorsSide(
      ComparisonOperator op, boolean aboveBreaches, boolean belowBreaches) {
    assertThat(op.breaches(100.5, 100.0)).isEqualTo(aboveBreaches);
    assertThat(op.breaches(99.5, 100.0)).isEqualTo(belowBreaches);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "GREATER_THAN_THRESHOLD,GreaterThanThreshold,>,greater than",
    "GREATER_THAN_OR_EQUAL_TO_THRESHOLD,GreaterThanOrEqualToThreshold,>=,greater than or equal to",
    "LESS_THAN_THRESHOLD,LessThanThreshold,<,less than",
    "LESS_THAN_OR_EQUAL_TO_THRESHOLD,LessThanOrEqualToThreshold,<=,less than or equal to"
  })
  void namesSymbolsAndPhrasesAreCloudWatchs(
      ComparisonOperator op, String cloudWatchName, String symbol, String phrase) {
    assertThat(op.cloudWatchName()).isEqualTo(cloudWatchName);
    assertThat(op.symbol()).isEqualTo(symbol);
    assertThat(op.phrase()).isEqualTo(phrase);
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({
    "GreaterThanThreshold,GREATER_THAN_THRESHOLD",
    "greaterthanorequaltothreshold,GREATER_THAN_OR_EQUAL_TO_THRESHOLD",
    "LESS_THAN_THRESHOLD,LESS_THAN_THRESHOLD",
    "gt,GREATER_THAN_THRESHOLD",
    "GE,GREATER_THAN_OR_EQUAL_TO_THRESHOLD",
    "lt,LESS_THAN_THRESHOLD",
    "le,LESS_THAN_OR_EQUAL_TO_THRESHOLD",
    ">,GREATER_THAN_THRESHOLD",
    ">=,GREATER_THAN_OR_EQUAL_TO_THRESHOLD",
    "<,LESS_THAN_THRESHOLD",
    "'  <= ',LESS_THAN_OR_EQUAL_TO_THRESHOLD"
  })
  void parseAcceptsNamesShortFormsAndSymbols(String text, ComparisonOperator expected) {
    assertThat(ComparisonOperator.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(ComparisonOperator.class)
  void parseReadsBackEveryCloudWatchName(ComparisonOperator op) {
    assertThat(ComparisonOperator.parse(op.cloudWatchName())).isEqualTo(op);
  }

  @Test
  void parseRejectsAnUnknownOperatorAndListsTheValidOnes() {
    assertThatThrownBy(() -> ComparisonOperator.parse("=="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown comparison operator '=='; valid values: ")
        .hasMessageContaining("GreaterThanThreshold (gt, >)")
        .hasMessageContaining("LessThanOrEqualToThreshold (le, <=)");
  }
}
