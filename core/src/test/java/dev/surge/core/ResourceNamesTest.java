package dev.surge.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The control table's name follows the item table's. */
class ResourceNamesTest {
  @Test
  void theControlTableIsNamedAfterTheItemTable() {
    assertThat(ResourceNames.seed().controlTable()).isEqualTo("fasttracksaa-control");
  }

  @Test
  void theControlTableFollowsAPrefixAndAnotherTableName() {
    assertThat(ResourceNames.seed().withPrefix("dev-").controlTable())
        .isEqualTo("dev-fasttracksaa-control");
    assertThat(ResourceNames.seed().withTable("items").controlTable()).isEqualTo("items-control");
  }
}
