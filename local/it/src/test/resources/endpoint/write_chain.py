"""Drives the local chain with boto3's writes, as one would drive the deployed one: the clients know
only AWS_ENDPOINT_URL (and the region and dummy credentials). Prints one JSON document of what each
call answered.

Arguments: alarm function topic queue
"""

import base64
import json
import sys

import boto3
import botocore.exceptions


def error(call):
    try:
        call()
        return "served"
    except botocore.exceptions.ClientError as e:
        return [
            e.response["Error"]["Code"],
            e.response["Error"]["Message"],
            e.response["ResponseMetadata"]["HTTPStatusCode"],
        ]


def main():
    alarm_name, function, topic_name, queue = sys.argv[1:5]
    seen = {}
    cloudwatch = boto3.client("cloudwatch")
    sns = boto3.client("sns")
    lam = boto3.client("lambda")

    # The chain's alarm, set by hand; the history has it.
    cloudwatch.set_alarm_state(
        AlarmName=alarm_name, StateValue="ALARM", StateReason="set by boto3"
    )
    history = cloudwatch.describe_alarm_history(
        AlarmName=alarm_name, HistoryItemType="StateUpdate", MaxRecords=100
    )["AlarmHistoryItems"]
    seen["set"] = [
        item["HistorySummary"]
        for item in history
        if json.loads(item["HistoryData"])["newState"]["stateReason"] == "set by boto3"
    ]
    seen["set_unknown"] = error(
        lambda: cloudwatch.set_alarm_state(
            AlarmName="nope", StateValue="OK", StateReason="x"
        )
    )
    seen["set_bad_state"] = error(
        lambda: cloudwatch.set_alarm_state(
            AlarmName=alarm_name, StateValue="PANIC", StateReason="x"
        )
    )

    # A topic of its own, the function subscribed, a message published to it.
    topic_arn = sns.create_topic(Name="aws-endpoint-it-boto3")["TopicArn"]
    seen["topic"] = topic_arn
    seen["topic_again"] = sns.create_topic(Name="aws-endpoint-it-boto3")["TopicArn"]
    seen["topics"] = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    function_arn = lam.get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    seen["subscription"] = sns.subscribe(
        TopicArn=topic_arn, Protocol="lambda", Endpoint=function_arn
    )["SubscriptionArn"]
    seen["subscriptions"] = [
        [s["Protocol"], s["Endpoint"], s["SubscriptionArn"]]
        for s in sns.list_subscriptions()["Subscriptions"]
        if s["TopicArn"] == topic_arn
    ]
    seen["message_id"] = sns.publish(
        TopicArn=topic_arn,
        Message="from boto3",
        MessageAttributes={"origin": {"DataType": "String", "StringValue": "boto3"}},
    )["MessageId"]
    seen["publish_unknown"] = error(
        lambda: sns.publish(TopicArn=topic_arn + "-not", Message="x")
    )
    seen["subscribe_email"] = error(
        lambda: sns.subscribe(
            TopicArn=topic_arn, Protocol="email", Endpoint="someone@example.com"
        )
    )

    # An alarm on another queue, notifying that topic; then deleted. The chain's is not.
    cloudwatch.put_metric_alarm(
        AlarmName="aws-endpoint-it-boto3-backlog",
        Namespace="AWS/SQS",
        MetricName="ApproximateNumberOfMessagesVisible",
        Dimensions=[{"Name": "QueueName", "Value": queue + "-boto3"}],
        Statistic="Average",
        Period=10,
        EvaluationPeriods=2,
        Threshold=50,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[topic_arn],
        OKActions=[topic_arn],
    )
    made = cloudwatch.describe_alarms(AlarmNames=["aws-endpoint-it-boto3-backlog"])
    alarm = made["MetricAlarms"][0]
    seen["made"] = {
        "state": alarm["StateValue"],
        "period": alarm["Period"],
        "threshold": alarm["Threshold"],
        "ok_actions": alarm["OKActions"],
    }
    seen["put_other_metric"] = error(
        lambda: cloudwatch.put_metric_alarm(
            AlarmName="cpu",
            Namespace="AWS/EC2",
            MetricName="CPUUtilization",
            Statistic="Average",
            Period=60,
            EvaluationPeriods=1,
            Threshold=90,
            ComparisonOperator="GreaterThanThreshold",
        )
    )
    cloudwatch.delete_alarms(AlarmNames=["aws-endpoint-it-boto3-backlog"])
    seen["after_delete"] = len(
        cloudwatch.describe_alarms(AlarmNames=["aws-endpoint-it-boto3-backlog"])["MetricAlarms"]
    )
    seen["delete_chain"] = error(lambda: cloudwatch.delete_alarms(AlarmNames=[alarm_name]))

    # The function, invoked: synchronously with its log's tail, with an error, asynchronously.
    answer = lam.invoke(
        FunctionName=function, Payload=b'{"Records":[]}', LogType="Tail"
    )
    seen["invoke"] = {
        "status": answer["StatusCode"],
        "error": answer.get("FunctionError"),
        "version": answer.get("ExecutedVersion"),
        "payload": json.loads(answer["Payload"].read()),
        "tail": base64.b64decode(answer["LogResult"]).decode("utf-8"),
        "request_id": answer["ResponseMetadata"]["RequestId"],
    }
    failed = lam.invoke(FunctionName=function, Payload=b'{"Records":"none"}')
    seen["invoke_failed"] = {
        "status": failed["StatusCode"],
        "error": failed.get("FunctionError"),
        "payload": json.loads(failed["Payload"].read()),
    }
    seen["invoke_event"] = lam.invoke(
        FunctionName=function, InvocationType="Event", Payload=b"{}"
    )["StatusCode"]
    seen["invoke_unknown"] = error(lambda: lam.invoke(FunctionName="nope", Payload=b"{}"))
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
