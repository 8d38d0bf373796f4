"""The seed's consumer, as its pullFromSqsQueue.py behaves: receive one message with a short poll,
put it into the table with the host name and the time, delete it, and exit when a receive returns
no message. boto3 finds the endpoint in AWS_ENDPOINT_URL, as any boto3 program would.

Environment: QUEUE_NAME, TABLE_NAME.
"""

import datetime
import os
import socket

import boto3


def main():
    sqs = boto3.client("sqs")
    table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
    queue_url = sqs.get_queue_url(QueueName=os.environ["QUEUE_NAME"])["QueueUrl"]
    host = socket.gethostname()
    processed = 0
    while True:
        response = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=0
        )
        if "Messages" not in response:
            print("no messages left after %d; exiting" % processed, flush=True)
            return
        message = response["Messages"][0]
        table.put_item(
            Item={
                "queueMessage": message["Body"],
                "host": host,
                "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            }
        )
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        processed += 1
        print("processed %s" % message["Body"], flush=True)


if __name__ == "__main__":
    main()
