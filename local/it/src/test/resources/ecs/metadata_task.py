"""A task that reads its own task metadata endpoint v4 and the local cloud's STS, as code in a
Fargate task would, and prints what it found, one line each."""

import json
import os
import sys
import urllib.request

import boto3


def main():
    uri = os.environ["ECS_CONTAINER_METADATA_URI_V4"]
    print("METADATA_URI " + uri, flush=True)
    with urllib.request.urlopen(uri, timeout=5) as r:
        print("CONTAINER " + json.dumps(json.load(r)), flush=True)
    with urllib.request.urlopen(uri + "/task", timeout=5) as r:
        print("TASK " + json.dumps(json.load(r)), flush=True)
    names = ["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "GREETING", "MODE"]
    print("ENV " + json.dumps({k: os.environ.get(k) for k in names}), flush=True)
    print("ARGS " + json.dumps(sys.argv[1:]), flush=True)
    print("ACCOUNT " + boto3.client("sts").get_caller_identity()["Account"], flush=True)


if __name__ == "__main__":
    main()
