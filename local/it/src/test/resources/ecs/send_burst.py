"""Sends a burst to the queue with boto3, in batches of 10, each body a distinct 9-digit number;
prints the bodies sent and this machine's host name as one JSON document.

Arguments: queue count
"""

import json
import random
import socket
import sys

import boto3


def main():
    queue, count = sys.argv[1], int(sys.argv[2])
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    bodies = [str(n) for n in random.sample(range(100000000, 999999999), count)]
    for start in range(0, count, 10):
        batch = bodies[start : start + 10]
        response = sqs.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "MessageBody": body} for i, body in enumerate(batch)],
        )
        if response.get("Failed"):
            raise SystemExit("not sent: %s" % response["Failed"])
    print(json.dumps({"bodies": bodies, "host": socket.gethostname()}))


if __name__ == "__main__":
    main()
