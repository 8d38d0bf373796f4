package dev.surge.core.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.item.ItemSchema.KeyAttribute;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemSchemaTest {
  @Test
  void theItemsKeyAloneFits() {
    assertThat(ItemSchema.keyMismatch(List.of(new KeyAttribute("queueMessage", false, "S"))))
        .isEmpty();
  }

  @Test
  void anyOtherKeyIsDescribedAsTheTableHasIt() {
    assertThat(ItemSchema.keyMismatch(List.of(new KeyAttribute("id", false, "S"))))
        .contains("id (S)");
    assertThat(ItemSchema.keyMismatch(List.of(new KeyAttribute("queueMessage", false, "N"))))
        .contains("queueMessage (N)");
    // DescribeTable lists the sort key after the partition key, but nothing promises it.
    assertThat(
            ItemSchema.keyMismatch(
                List.of(
                    new KeyAttribute("at", true, "N"),
                    new KeyAttribute("queueMessage", false, "S"))))
        .contains("queueMessage (S) and sort key at (N)");
    assertThat(ItemSchema.expectedKey()).isEqualTo("queueMessage (S) and no sort key");
  }
}
