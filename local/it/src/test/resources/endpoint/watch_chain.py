"""Watches the local chain with boto3, as one would watch the deployed one: the clients know only
AWS_ENDPOINT_URL (and the region and dummy credentials). Prints one JSON document of what it saw.

Arguments: cluster alarm function topic table queue
"""

import datetime
import json
import sys

import boto3
import botocore.exceptions


def main():
    cluster, alarm_name, function, topic, table, queue = sys.argv[1:7]
    seen = {}
    seen["account"] = boto3.client("sts").get_caller_identity()["Account"]

    cloudwatch = boto3.client("cloudwatch")
    alarm = cloudwatch.describe_alarms(AlarmNames=[alarm_name])["MetricAlarms"][0]
    seen["alarm"] = {
        "state": alarm["StateValue"],
        "threshold": alarm["Threshold"],
        "actions": alarm["AlarmActions"],
    }
    pages = cloudwatch.get_paginator("describe_alarm_history").paginate(
        AlarmName=alarm_name, HistoryItemType="StateUpdate"
    )
    seen["states"] = [
        json.loads(item["HistoryData"])["newState"]["stateValue"]
        for page in pages
        for item in page["AlarmHistoryItems"]
    ]
    now = datetime.datetime.now(datetime.timezone.utc)
    stats = cloudwatch.get_metric_statistics(
        Namespace="AWS/SQS",
        MetricName="ApproximateNumberOfMessagesVisible",
        Dimensions=[{"Name": "QueueName", "Value": queue}],
        StartTime=now - datetime.timedelta(hours=1),
        EndTime=now + datetime.timedelta(minutes=1),
        Period=60,
        Statistics=["Maximum"],
    )
    seen["max_visible"] = max((d["Maximum"] for d in stats["Datapoints"]), default=None)

    sns = boto3.client("sns")
    topic_arn = next(
        t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":" + topic)
    )
    seen["subscriptions"] = [
        [s["Protocol"], s["Endpoint"]]
        for s in sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
    ]
    seen["function"] = boto3.client("lambda").get_function_configuration(FunctionName=function)[
        "FunctionArn"
    ]

    ecs = boto3.client("ecs")
    arns = [
        arn
        for page in ecs.get_paginator("list_tasks").paginate(cluster=cluster, desiredStatus="STOPPED")
        for arn in page["taskArns"]
    ]
    tasks = ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"]
    seen["tasks"] = {
        t["taskArn"].rsplit("/", 1)[1]: {
            "lastStatus": t["lastStatus"],
            "exitCode": t["containers"][0].get("exitCode"),
            "stopCode": t.get("stopCode"),
        }
        for t in tasks
    }
    definition = ecs.describe_task_definition(taskDefinition=tasks[0]["taskDefinitionArn"])
    container = definition["taskDefinition"]["containerDefinitions"][0]
    options = container["logConfiguration"]["options"]
    first = sorted(seen["tasks"])[0]
    stream = "%s/%s/%s" % (options["awslogs-stream-prefix"], container["name"], first)
    events = boto3.client("logs").get_log_events(
        logGroupName=options["awslogs-group"], logStreamName=stream, startFromHead=True
    )["events"]
    seen["log"] = [e["message"] for e in events]

    dynamodb = boto3.client("dynamodb")
    seen["items"] = sum(
        page["Count"]
        for page in dynamodb.get_paginator("scan").paginate(TableName=table, Select="COUNT")
    )
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    seen["visible"] = int(
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
            "Attributes"
        ]["ApproximateNumberOfMessages"]
    )

    try:
        ecs.create_service(cluster=cluster, serviceName="watch", taskDefinition=tasks[0]["taskDefinitionArn"])
        seen["create_service"] = "served"
    except botocore.exceptions.ClientError as e:
        seen["create_service"] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
    try:
        boto3.client("s3").list_buckets()
        seen["s3"] = "served"
    except botocore.exceptions.ClientError as e:
        seen["s3"] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
