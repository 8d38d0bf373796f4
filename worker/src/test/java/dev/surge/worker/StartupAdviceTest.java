package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.item.ItemSchema;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The one line a person reads for each start-up failure, word for word: launchers, tests and docs
 * quote these lines, and a worker exits 2 for all but an endpoint that stopped answering (exit 1).
 */
class StartupAdviceTest {
  private static final String SQS = "http://127.0.0.1:9324";

  @Test
  void aMissingQueueNamedByNameIsQuotedAndSaysWhereItWasLookedFor() {
    StartupFailure f = new StartupFailure.QueueMissing("no-such-queue", SQS);
    assertThat(StartupAdvice.local(f))
        .isEqualTo(
            "queue 'no-such-queue' does not exist at http://127.0.0.1:9324; start the local cloud"
                + " with './surge up' (it creates it), or name an existing queue with --queue /"
                + " SURGE_QUEUE");
    assertThat(f.misconfigured()).isTrue();
  }

  @Test
  void aMissingQueueNamedByUrlIsNotQuoted() {
    String url = SQS + "/000000000000/gone";
    assertThat(StartupAdvice.local(new StartupFailure.QueueMissing(url, SQS)))
        .startsWith("queue " + url + " does not exist at " + SQS + "; ");
  }

  @Test
  void aQueueGoneBetweenLookUpAndAttributes() {
    String url = SQS + "/000000000000/q";
    assertThat(StartupAdvice.local(new StartupFailure.QueueGone(url)))
        .isEqualTo(
            "queue "
                + url
                + " does not exist; start the local cloud with './surge up', or name an existing"
                + " queue with --queue / SURGE_QUEUE");
  }

  @Test
  void aQueueWithoutRedrivePolicy() {
    assertThat(StartupAdvice.local(new StartupFailure.NoRedrivePolicy("q")))
        .isEqualTo(
            "queue 'q' has no redrive policy, so a message that can never be written would be"
                + " received again and again and the queue would never drain; give it a"
                + " dead-letter queue (RedrivePolicy with deadLetterTargetArn and maxReceiveCount,"
                + " 5 say), as './surge up' and the stack do, or name such a queue with --queue /"
                + " SURGE_QUEUE");
  }

  @Test
  void aMissingTable() {
    assertThat(StartupAdvice.local(new StartupFailure.TableMissing("t", "http://127.0.0.1:4567")))
        .isEqualTo(
            "table 't' does not exist at http://127.0.0.1:4567; start the local cloud with"
                + " './surge up' (it creates it), or name an existing table with --table /"
                + " SURGE_TABLE");
  }

  @Test
  void aTableKeyedOtherwise() {
    assertThat(StartupAdvice.local(new StartupFailure.KeyMismatch("t", "id (S)")))
        .isEqualTo(
            "table 't' has the key id (S), but the worker writes items keyed by "
                + ItemSchema.expectedKey()
                + ", so every write would fail; name a table with that key with --table /"
                + " SURGE_TABLE ('./surge up' and the stack create one)");
  }

  @Test
  void anEndpointNotReachableWithoutRetryIsASettingToFix() {
    StartupFailure f = new StartupFailure.NotReachable("DynamoDB", "http://127.0.0.1:9", "refused");
    assertThat(StartupAdvice.local(f))
        .isEqualTo(
            "DynamoDB is not reachable at http://127.0.0.1:9 (refused); start the local cloud with"
                + " './surge up', or set AWS_ENDPOINT_URL_DYNAMODB to a running endpoint");
    assertThat(f.misconfigured()).isTrue();
  }

  @Test
  void anEndpointThatNeverAnsweredDuringTheRetryIsAFailure() {
    StartupFailure f =
        new StartupFailure.NoAnswer(
            "SQS", "http://127.0.0.1:9", "refused", Optional.of(Duration.ofSeconds(30)));
    assertThat(StartupAdvice.local(f))
        .isEqualTo(
            "SQS did not answer at http://127.0.0.1:9 for 30 s (refused); start the local cloud"
                + " with './surge up', or set AWS_ENDPOINT_URL_SQS to a running endpoint");
    assertThat(f.misconfigured()).isFalse();
  }

  @Test
  void anEndpointTriedOnceSaysNoDuration() {
    assertThat(
            StartupAdvice.local(
                new StartupFailure.NoAnswer(
                    "SQS", "http://127.0.0.1:9", "refused", Optional.empty())))
        .startsWith("SQS did not answer at http://127.0.0.1:9 (refused); ");
  }

  /** One failure of each kind, as a worker at AWS's endpoints meets them. */
  private static final java.util.List<StartupFailure> AT_AWS =
      java.util.List.of(
          new StartupFailure.QueueMissing("q", "the AWS Sqs endpoint"),
          new StartupFailure.QueueGone("https://sqs.us-east-1.amazonaws.com/123456789012/q"),
          new StartupFailure.NoRedrivePolicy("q"),
          new StartupFailure.TableMissing("t", "the AWS DynamoDb endpoint"),
          new StartupFailure.KeyMismatch("t", "id (S)"),
          new StartupFailure.NotReachable("SQS", "the AWS Sqs endpoint", "timed out"),
          new StartupFailure.NoAnswer(
              "DynamoDB",
              "the AWS DynamoDb endpoint",
              "timed out",
              Optional.of(Duration.ofSeconds(30))));

  @Test
  void atAwsNoAdviceNamesTheLocalCloudOrAnEndpointVariable() {
    for (StartupFailure f : AT_AWS) {
      assertThat(StartupAdvice.aws(f))
          .as("%s", f)
          .doesNotContain("surge up")
          .doesNotContain("local cloud")
          .doesNotContain("AWS_ENDPOINT_URL")
          .doesNotContain("--queue")
          .doesNotContain("--table");
    }
  }

  @Test
  void atAwsAMissingQueueIsTheStacksToCreate() {
    assertThat(StartupAdvice.aws(AT_AWS.get(0)))
        .isEqualTo(
            "queue 'q' does not exist at the AWS Sqs endpoint; the stack creates it: deploy it"
                + " with './surge deploy', or set SURGE_QUEUE in the task definition to an"
                + " existing queue");
  }

  @Test
  void atAwsAnEndpointThatDoesNotAnswerIsTheTasksNetwork() {
    assertThat(StartupAdvice.aws(AT_AWS.get(6)))
        .isEqualTo(
            "DynamoDB did not answer at the AWS DynamoDb endpoint for 30 s (timed out); the task"
                + " needs a route to it: a public IP in a public subnet (as the stack gives its"
                + " tasks), a NAT gateway, or a VPC endpoint for DynamoDB");
    assertThat(StartupAdvice.aws(AT_AWS.get(3))).contains("SURGE_TABLE in the task definition");
    assertThat(StartupAdvice.aws(AT_AWS.get(2))).contains("as the stack does");
  }
}
