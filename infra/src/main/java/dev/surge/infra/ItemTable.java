package dev.surge.infra;

import dev.surge.core.item.ItemSchema;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

/** The DynamoDB table that receives one item per message, keyed by the message body. */
final class ItemTable extends Construct {
  private final Table table;

  ItemTable(Construct scope, String id, String tableName) {
    super(scope, id);
    this.table =
        Table.Builder.create(this, "Table")
            .tableName(tableName)
            .partitionKey(
                Attribute.builder().name(ItemSchema.KEY).type(AttributeType.STRING).build())
            // On-demand, as the seed: a demo's bursts cost per request and nothing while idle.
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
  }

  Table table() {
    return table;
  }
}
