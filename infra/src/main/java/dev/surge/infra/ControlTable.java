package dev.surge.infra;

import dev.surge.core.trigger.ControlSchema;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

/**
 * The DynamoDB table the trigger function's instances share: one item per fleet with the lease that
 * serializes its decisions and the tasks started recently ({@link ControlSchema}). Lambda may run a
 * notification, the reconcile and a retry in separate execution environments at once; this is what
 * they all see.
 */
final class ControlTable extends Construct {
  private final Table table;

  ControlTable(Construct scope, String id, String tableName) {
    super(scope, id);
    this.table =
        Table.Builder.create(this, "Table")
            .tableName(tableName)
            .partitionKey(
                Attribute.builder().name(ControlSchema.KEY).type(AttributeType.STRING).build())
            // On-demand: a few writes per decision, a couple of decisions a minute.
            .billingMode(BillingMode.PAY_PER_REQUEST)
            // Like the item table: nothing in it outlives the stack (a lease lasts 30 s).
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
  }

  Table table() {
    return table;
  }
}
