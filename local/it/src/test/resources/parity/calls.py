"""The calls of the chain's services, made with boto3 against one endpoint (AWS_ENDPOINT_URL), each
answer reduced to its shape (shape.py: for a dict its keys with the shapes of their values, for a
list the merged shape of its elements, for a scalar its type); for an error its code and HTTP
status. No values, so two endpoints holding different data can be compared.

    python3 calls.py MODE OUT.json

MODE is 'local' (the local cloud: the chain's resources exist already) or 'moto' (an empty
emulator: first make what the local cloud has, with the same names). Both modes then make the same
calls with the same names. What a call needs besides the chain (a second queue, table, topic, alarm
and task definition) it makes in both modes, under names of its own (parity-...).

Lambda's Invoke is left out: moto runs functions in Docker, which this machine has not.
"""

import datetime
import io
import json
import sys
import time
import zipfile

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from shape import shape

# One attempt per call: a retried 500 would only slow the run, and the first answer is the one
# compared.
CONFIG = Config(retries={"total_max_attempts": 1})

QUEUE = "demo-decoupling-saa"
DLQ = "demo-decoupling-saa-dlq"
TABLE = "fasttracksaa"
TOPIC = "fasttrack-saa"
FUNCTION = "fasttrack-saa"
ALARM = "fasttrack-saa-backlog"
CLUSTER = "FastTrack-Saa-Sqs-demo"
FAMILY = "fasttrack-saa-td"
CONTAINER = "fasttrack-saa"
WORKER_LOGS = "/ecs/fasttrack-saa-td"
FUNCTION_LOGS = "/aws/lambda/fasttrack-saa"
REGION = "us-east-1"

# What the calls make in both modes, beside the chain.
P_QUEUE = "parity-queue"
P_TABLE = "parity-table"
P_TOPIC = "parity-topic"
P_ALARM = "parity-alarm"
P_FAMILY = "parity-td"

results = {}


def call(name, fn, **params):
    """Makes one call; records the shape of its answer (or its error). Returns the answer.

    Calls are named service.Operation, or service.Operation.case for another case of it."""
    try:
        answer = fn(**params)
    except ClientError as e:
        results[name] = {
            "error": e.response.get("Error", {}).get("Code"),
            "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
        }
        return None
    results[name] = {
        "status": answer.get("ResponseMetadata", {}).get("HTTPStatusCode"),
        "shape": shape(answer),
    }
    return answer


def need(answer, name):
    """The answer of a call that what follows needs; the script stops if the call failed."""
    if answer is None:
        raise SystemExit("%s failed: %s" % (name, results[name]))
    return answer


def wait_for(what, check, seconds=30):
    """Waits until check() is true (the local chain's parts act on their own schedule)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit("waited %d s for %s" % (seconds, what))
        time.sleep(0.2)


def client(service):
    return boto3.client(service, region_name=REGION, config=CONFIG)


def dummy_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("dev/surge/trigger/TriggerHandler.class", b"\xca\xfe\xba\xbe")
    return buffer.getvalue()


def make_chain():
    """What the local cloud has from its start, made in an empty moto with the same names."""
    sqs = client("sqs")
    dlq_url = sqs.create_queue(QueueName=DLQ)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sqs.create_queue(
        QueueName=QUEUE,
        Attributes={
            "VisibilityTimeout": "30",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}),
        },
    )
    client("dynamodb").create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "queueMessage", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "queueMessage", "KeyType": "HASH"}],
    )
    topic_arn = client("sns").create_topic(Name=TOPIC)["TopicArn"]
    role = client("iam").create_role(
        RoleName="fasttrack-saa-function",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    function_arn = client("lambda").create_function(
        FunctionName=FUNCTION,
        Runtime="java21",
        Role=role,
        Handler="dev.surge.trigger.TriggerHandler::handleRequest",
        Code={"ZipFile": dummy_zip()},
        Timeout=20,
        MemorySize=128,
    )["FunctionArn"]
    client("sns").subscribe(TopicArn=topic_arn, Protocol="lambda", Endpoint=function_arn)
    client("cloudwatch").put_metric_alarm(
        AlarmName=ALARM,
        Namespace="AWS/SQS",
        MetricName="ApproximateNumberOfMessagesVisible",
        Dimensions=[{"Name": "QueueName", "Value": QUEUE}],
        Statistic="Sum",
        Period=5,
        EvaluationPeriods=1,
        DatapointsToAlarm=1,
        Threshold=100.0,
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="notBreaching",
        AlarmActions=[topic_arn],
    )
    ecs = client("ecs")
    ecs.create_cluster(clusterName=CLUSTER)
    ecs.register_task_definition(
        family=FAMILY,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {
                "name": CONTAINER,
                "image": "fasttracksaa:local",
                "essential": True,
                "entryPoint": ["java", "-cp", "surge.jar", "dev.surge.worker.WorkerMain"],
                "environment": [{"name": "SURGE_QUEUE_URL", "value": QUEUE}],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": WORKER_LOGS,
                        "awslogs-region": REGION,
                        "awslogs-stream-prefix": "worker",
                    },
                },
            }
        ],
    )
    logs = client("logs")
    now = int(time.time() * 1000)
    for group, stream, line in [
        (WORKER_LOGS, "worker/fasttrack-saa/0001", "worker ready"),
        (FUNCTION_LOGS, "2026/01/01/[$LATEST]0001", "START RequestId: 1 Version: $LATEST"),
    ]:
        logs.create_log_group(logGroupName=group)
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        logs.put_log_events(
            logGroupName=group,
            logStreamName=stream,
            logEvents=[{"timestamp": now, "message": line}],
        )


def main():
    mode, out = sys.argv[1], sys.argv[2]
    if mode not in ("local", "moto"):
        raise SystemExit("mode must be local or moto, not " + mode)
    account = client("sts").get_caller_identity()["Account"]
    if mode == "moto":
        vpc = client("ec2").describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])
        subnets = client("ec2").describe_subnets(
            Filters=[{"Name": "vpc-id", "Values": [vpc["Vpcs"][0]["VpcId"]]}]
        )
        subnet = subnets["Subnets"][0]["SubnetId"]
        group = client("ec2").describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc["Vpcs"][0]["VpcId"]]},
                     {"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"][0]["GroupId"]
        make_chain()
    else:
        # The local cloud has no VPC: RunTask takes any ids, as it needs none.
        subnet, group = "subnet-00000000", "sg-00000000"
    # Not a call: the ids RunTask was given, for the Java SDK's calls after this script.
    results["_ids"] = {"subnet": subnet, "securityGroup": group}
    topic_arn = "arn:aws:sns:%s:%s:%s" % (REGION, account, TOPIC)
    function_arn = "arn:aws:lambda:%s:%s:function:%s" % (REGION, account, FUNCTION)
    now = datetime.datetime.now(datetime.timezone.utc)

    # --- STS
    call("sts.GetCallerIdentity", client("sts").get_caller_identity)

    # --- SQS: the chain's queue read, a queue of the calls' own written
    sqs = client("sqs")
    queue_url = need(call("sqs.GetQueueUrl", sqs.get_queue_url, QueueName=QUEUE),
                     "sqs.GetQueueUrl")["QueueUrl"]
    call("sqs.GetQueueAttributes", sqs.get_queue_attributes, QueueUrl=queue_url,
         AttributeNames=["All"])
    call("sqs.GetQueueUrl.unknown-queue", sqs.get_queue_url, QueueName="parity-no-such-queue")
    p_url = need(call("sqs.CreateQueue", sqs.create_queue, QueueName=P_QUEUE),
                 "sqs.CreateQueue")["QueueUrl"]
    call("sqs.SendMessage", sqs.send_message, QueueUrl=p_url, MessageBody="parity 0")
    call("sqs.SendMessageBatch", sqs.send_message_batch, QueueUrl=p_url,
         Entries=[{"Id": str(i), "MessageBody": "parity %d" % i} for i in range(1, 4)])
    received = call("sqs.ReceiveMessage", sqs.receive_message, QueueUrl=p_url,
                    MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["All"],
                    MessageAttributeNames=["All"])
    messages = need(received, "sqs.ReceiveMessage").get("Messages", [])
    if len(messages) < 2:
        raise SystemExit("expected messages in %s, received %s" % (P_QUEUE, received))
    call("sqs.ChangeMessageVisibility", sqs.change_message_visibility, QueueUrl=p_url,
         ReceiptHandle=messages[0]["ReceiptHandle"], VisibilityTimeout=0)
    call("sqs.DeleteMessage", sqs.delete_message, QueueUrl=p_url,
         ReceiptHandle=messages[1]["ReceiptHandle"])
    call("sqs.DeleteMessageBatch", sqs.delete_message_batch, QueueUrl=p_url,
         Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                  for i, m in enumerate(messages[2:])] or
                 [{"Id": "0", "ReceiptHandle": messages[0]["ReceiptHandle"]}])
    call("sqs.ReceiveMessage.empty", sqs.receive_message,
         QueueUrl=queue_url.replace(QUEUE, DLQ), MaxNumberOfMessages=1, WaitTimeSeconds=0)

    # --- DynamoDB: the chain's table read, a table of the calls' own written
    ddb = client("dynamodb")
    call("dynamodb.DescribeTable", ddb.describe_table, TableName=TABLE)
    call("dynamodb.Scan.count", ddb.scan, TableName=TABLE, Select="COUNT")
    call("dynamodb.DescribeTable.unknown-table", ddb.describe_table, TableName="parity-no-table")
    call("dynamodb.CreateTable", ddb.create_table, TableName=P_TABLE,
         BillingMode="PAY_PER_REQUEST",
         AttributeDefinitions=[{"AttributeName": "queueMessage", "AttributeType": "S"}],
         KeySchema=[{"AttributeName": "queueMessage", "KeyType": "HASH"}])
    for _ in range(100):
        if ddb.describe_table(TableName=P_TABLE)["Table"]["TableStatus"] == "ACTIVE":
            break
        time.sleep(0.1)
    call("dynamodb.BatchWriteItem", ddb.batch_write_item, RequestItems={P_TABLE: [
        {"PutRequest": {"Item": {"queueMessage": {"S": "m%d" % i}, "payload": {"S": "p"},
                                 "receivedAt": {"N": "1"}}}} for i in range(3)]})
    call("dynamodb.GetItem", ddb.get_item, TableName=P_TABLE, Key={"queueMessage": {"S": "m0"}})
    call("dynamodb.Scan", ddb.scan, TableName=P_TABLE)
    call("dynamodb.Scan.count-of-items", ddb.scan, TableName=P_TABLE, Select="COUNT")
    call("dynamodb.PutItem.condition-failed", ddb.put_item, TableName=P_TABLE,
         Item={"queueMessage": {"S": "m0"}}, ConditionExpression="attribute_not_exists(queueMessage)")

    # --- SNS
    sns = client("sns")
    call("sns.ListTopics", sns.list_topics)
    call("sns.GetTopicAttributes", sns.get_topic_attributes, TopicArn=topic_arn)
    call("sns.ListSubscriptions", sns.list_subscriptions)
    call("sns.ListSubscriptionsByTopic", sns.list_subscriptions_by_topic, TopicArn=topic_arn)
    p_topic = need(call("sns.CreateTopic", sns.create_topic, Name=P_TOPIC),
                   "sns.CreateTopic")["TopicArn"]
    call("sns.Subscribe", sns.subscribe, TopicArn=p_topic, Protocol="lambda",
         Endpoint=function_arn, ReturnSubscriptionArn=True)
    call("sns.Publish", sns.publish, TopicArn=p_topic, Message="parity", Subject="parity")
    missing_topic = "arn:aws:sns:%s:%s:parity-no-topic" % (REGION, account)
    call("sns.GetTopicAttributes.unknown-topic", sns.get_topic_attributes, TopicArn=missing_topic)
    call("sns.Publish.unknown-topic", sns.publish, TopicArn=missing_topic, Message="parity")
    call("sns.Publish.empty-message", sns.publish, TopicArn=p_topic, Message="")

    # --- Lambda (Invoke left out: moto needs Docker to run a function)
    lam = client("lambda")
    call("lambda.ListFunctions", lam.list_functions)
    call("lambda.GetFunction", lam.get_function, FunctionName=FUNCTION)
    call("lambda.GetFunctionConfiguration", lam.get_function_configuration,
         FunctionName=FUNCTION)
    call("lambda.GetFunction.unknown-function", lam.get_function, FunctionName="parity-no-fn")
    call("lambda.GetFunctionConfiguration.unknown-function", lam.get_function_configuration,
         FunctionName="parity-no-fn")

    # --- CloudWatch
    cw = client("cloudwatch")
    if mode == "local":
        # The chain's alarm as the deployed one is read: evaluated at least once.
        wait_for("the alarm's first evaluation", lambda: cw.describe_alarms(
            AlarmNames=[ALARM])["MetricAlarms"][0]["StateValue"] != "INSUFFICIENT_DATA")
    call("cloudwatch.DescribeAlarms", cw.describe_alarms, AlarmNames=[ALARM])
    call("cloudwatch.DescribeAlarmHistory", cw.describe_alarm_history, AlarmName=ALARM)
    metric = {"Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible",
              "Dimensions": [{"Name": "QueueName", "Value": QUEUE}]}
    call("cloudwatch.GetMetricStatistics", cw.get_metric_statistics, **metric,
         StartTime=now - datetime.timedelta(hours=1), EndTime=now + datetime.timedelta(minutes=1),
         Period=60, Statistics=["Sum", "Maximum"])
    call("cloudwatch.GetMetricData", cw.get_metric_data,
         MetricDataQueries=[{"Id": "visible", "MetricStat": {"Metric": metric, "Period": 60,
                                                             "Stat": "Sum"}}],
         StartTime=now - datetime.timedelta(hours=1), EndTime=now + datetime.timedelta(minutes=1))
    call("cloudwatch.PutMetricAlarm", cw.put_metric_alarm, AlarmName=P_ALARM,
         Namespace="AWS/SQS", MetricName="ApproximateNumberOfMessagesVisible",
         Dimensions=[{"Name": "QueueName", "Value": P_QUEUE}], Statistic="Sum", Period=60,
         EvaluationPeriods=1, Threshold=1000.0, ComparisonOperator="GreaterThanThreshold",
         AlarmActions=[p_topic])
    call("cloudwatch.SetAlarmState", cw.set_alarm_state, AlarmName=P_ALARM, StateValue="ALARM",
         StateReason="parity")
    call("cloudwatch.DescribeAlarms.after-set", cw.describe_alarms, AlarmNames=[P_ALARM])
    call("cloudwatch.DescribeAlarmHistory.after-set", cw.describe_alarm_history,
         AlarmName=P_ALARM, HistoryItemType="StateUpdate")
    call("cloudwatch.DeleteAlarms", cw.delete_alarms, AlarmNames=[P_ALARM])
    call("cloudwatch.SetAlarmState.unknown-alarm", cw.set_alarm_state,
         AlarmName="parity-no-alarm", StateValue="ALARM", StateReason="parity")
    call("cloudwatch.SetAlarmState.bad-state", cw.set_alarm_state, AlarmName=ALARM,
         StateValue="MAYBE", StateReason="parity")
    call("cloudwatch.SetAlarmState.bad-reason-data", cw.set_alarm_state, AlarmName=ALARM,
         StateValue="OK", StateReason="parity", StateReasonData="not json")

    # --- ECS
    ecs = client("ecs")
    call("ecs.ListClusters", ecs.list_clusters)
    call("ecs.DescribeClusters", ecs.describe_clusters, clusters=[CLUSTER])
    call("ecs.DescribeClusters.unknown-cluster", ecs.describe_clusters,
         clusters=["parity-no-cluster"])
    call("ecs.DescribeTaskDefinition", ecs.describe_task_definition, taskDefinition=FAMILY)
    call("ecs.RegisterTaskDefinition", ecs.register_task_definition, family=P_FAMILY,
         networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
         containerDefinitions=[{
             "name": "parity", "image": "parity:1", "essential": True,
             # It ignores SIGTERM, so StopTask's answer always finds it still stopping: it ends
             # by SIGKILL once its stop timeout has passed, as ECS stops such a container.
             "entryPoint": [sys.executable, "-c",
                            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
                            " print('parity task', flush=True); time.sleep(120)"],
             "stopTimeout": 2,
             "logConfiguration": {"logDriver": "awslogs", "options": {
                 "awslogs-group": WORKER_LOGS, "awslogs-region": REGION,
                 "awslogs-stream-prefix": "parity"}}}])
    call("ecs.ListTaskDefinitions", ecs.list_task_definitions)
    run = call("ecs.RunTask", ecs.run_task, cluster=CLUSTER, taskDefinition=P_FAMILY, count=1,
               launchType="FARGATE", startedBy="parity",
               networkConfiguration={"awsvpcConfiguration": {
                   "subnets": [subnet], "securityGroups": [group], "assignPublicIp": "DISABLED"}})
    task_arn = need(run, "ecs.RunTask")["tasks"][0]["taskArn"]
    call("ecs.ListTasks", ecs.list_tasks, cluster=CLUSTER)
    call("ecs.ListTasks.startedBy", ecs.list_tasks, cluster=CLUSTER, startedBy="parity")
    call("ecs.DescribeTasks", ecs.describe_tasks, cluster=CLUSTER, tasks=[task_arn])
    # Its log stream, where the awslogs driver puts it (<prefix>/<container>/<task id>), once its
    # line is there; moto runs no task, so its stream with a line was made with the chain.
    task_stream = "parity/parity/" + task_arn.rsplit("/", 1)[1] if mode == "local" else "worker/"
    if mode == "local":
        def has_line():
            found = client("logs").describe_log_streams(
                logGroupName=WORKER_LOGS, logStreamNamePrefix=task_stream)["logStreams"]
            return found and "lastEventTimestamp" in found[0]

        wait_for("the task's log line", has_line)
    call("ecs.StopTask", ecs.stop_task, cluster=CLUSTER, task=task_arn, reason="parity")
    wait_for("the task to stop", lambda: ecs.describe_tasks(
        cluster=CLUSTER, tasks=[task_arn])["tasks"][0]["lastStatus"] == "STOPPED")
    call("ecs.DescribeTasks.stopped", ecs.describe_tasks, cluster=CLUSTER, tasks=[task_arn])
    call("ecs.ListTasks.stopped", ecs.list_tasks, cluster=CLUSTER, desiredStatus="STOPPED")
    call("ecs.ListTasks.unknown-cluster", ecs.list_tasks, cluster="parity-no-cluster")
    call("ecs.DescribeTaskDefinition.unknown", ecs.describe_task_definition,
         taskDefinition="parity-no-family")
    # Security groups are optional in awsvpcConfiguration (the VPC's default group is used).
    no_groups = call("ecs.RunTask.without-security-groups", ecs.run_task, cluster=CLUSTER,
                     taskDefinition=P_FAMILY, count=1, launchType="FARGATE", startedBy="parity",
                     networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet]}})
    if no_groups is not None:
        for t in no_groups["tasks"]:
            ecs.stop_task(cluster=CLUSTER, task=t["taskArn"], reason="parity")
    call("ecs.RunTask.unknown-task-definition", ecs.run_task, cluster=CLUSTER,
         taskDefinition="parity-no-family", count=1, launchType="FARGATE")
    call("ecs.RunTask.unknown-cluster", ecs.run_task, cluster="parity-no-cluster",
         taskDefinition=P_FAMILY, count=1, launchType="FARGATE")
    call("ecs.StopTask.unknown-task", ecs.stop_task, cluster=CLUSTER,
         task="0123456789abcdef0123456789abcdef")

    # --- CloudWatch Logs
    logs = client("logs")
    if mode == "local":
        # The function's log has an invocation (the publish above invoked it, asynchronously).
        wait_for("the function's first log lines", lambda: logs.filter_log_events(
            logGroupName=FUNCTION_LOGS, filterPattern="START")["events"])
    call("logs.DescribeLogGroups", logs.describe_log_groups)
    streams = call("logs.DescribeLogStreams", logs.describe_log_streams, logGroupName=WORKER_LOGS,
                   logStreamNamePrefix=task_stream)
    stream = need(streams, "logs.DescribeLogStreams")["logStreams"][0]["logStreamName"]
    call("logs.GetLogEvents", logs.get_log_events, logGroupName=WORKER_LOGS, logStreamName=stream,
         startFromHead=True)
    call("logs.FilterLogEvents", logs.filter_log_events, logGroupName=FUNCTION_LOGS,
         filterPattern="START")
    call("logs.GetLogEvents.unknown-group", logs.get_log_events, logGroupName="/parity/none",
         logStreamName="none")
    call("logs.DescribeLogStreams.unknown-group", logs.describe_log_streams,
         logGroupName="/parity/none")
    call("logs.FilterLogEvents.unknown-group", logs.filter_log_events,
         logGroupName="/parity/none")



if __name__ == "__main__":
    try:
        main()
    finally:
        with open(sys.argv[2], "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
