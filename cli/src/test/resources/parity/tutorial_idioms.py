"""Scripts written for real SQS and DynamoDB, the way tutorials write them, run against `surge up`.

Nothing here knows it talks to Surge: the client is configured by the variables `surge up` prints
(region, endpoints, credentials). Each check prints "ok <name>"; the first failure exits 1 with
what was expected and what came back.
"""
import sys

import boto3
from botocore.exceptions import ClientError


def fail(name, detail):
    print("FAILED %s: %s" % (name, detail))
    sys.exit(1)


def ok(name):
    print("ok " + name)


sqs = boto3.client("sqs")  # the region comes from the environment, as on a configured machine
url = sqs.create_queue(QueueName="parity-tutorial")["QueueUrl"]
for body in ("100000001", "100000002", "100000003"):
    sqs.send_message(QueueUrl=url, MessageBody=body)

# The seed's consumer: one message at a time, stop when a receive brings nothing.
received = []
while True:
    resp = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=1)
    if "Messages" not in resp:
        break
    message = resp["Messages"][0]
    received.append(message["Body"])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    if len(received) > 10:
        fail("receive-loop-stops", "the loop did not stop: an empty receive still has 'Messages'")
if sorted(received) != ["100000001", "100000002", "100000003"]:
    fail("receive-loop-stops", "received %r" % received)
ok("receive-loop-stops")

# The other common guard: index the first message, catch KeyError when there is none.
resp = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=0)
try:
    resp["Messages"][0]
    fail("empty-receive-keyerror", "an empty queue returned a message: %r" % resp)
except KeyError:
    ok("empty-receive-keyerror")
except IndexError:
    fail("empty-receive-keyerror", "IndexError: the empty receive has 'Messages': []")

attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
for name in (
    "QueueArn",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "VisibilityTimeout",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "SqsManagedSseEnabled",
):
    if name not in attributes:
        fail("queue-attributes-all", "%s missing from %s" % (name, sorted(attributes)))
ok("queue-attributes-all")

try:
    sqs.get_queue_url(QueueName="no-such-queue")
    fail("missing-queue", "get_queue_url of a missing queue succeeded")
except sqs.exceptions.QueueDoesNotExist:
    ok("missing-queue")
sqs.delete_queue(QueueUrl=url)

dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table("fasttracksaa")
table.put_item(Item={"queueMessage": "parity-item", "host": "tutorial"})
item = table.get_item(Key={"queueMessage": "parity-item"}).get("Item")
if item != {"queueMessage": "parity-item", "host": "tutorial"}:
    fail("table-put-get", "got %r" % item)
table.delete_item(Key={"queueMessage": "parity-item"})
ok("table-put-get")

client = boto3.client("dynamodb")
try:
    client.describe_table(TableName="no-such-table")
    fail("missing-table", "describe_table of a missing table succeeded")
except client.exceptions.ResourceNotFoundException:
    ok("missing-table")

# A service the local cloud does not serve, pointed at its SQS endpoint by mistake.
cloudwatch = boto3.client("cloudwatch", endpoint_url=sqs.meta.endpoint_url)
try:
    cloudwatch.describe_alarms()
    fail("unserved-service", "describe_alarms at the SQS endpoint succeeded")
except ClientError as e:
    message = e.response["Error"].get("Message", "")
    if "surge status" not in message:
        fail("unserved-service", "the error does not say what serves it: %r" % e.response)
    ok("unserved-service")
