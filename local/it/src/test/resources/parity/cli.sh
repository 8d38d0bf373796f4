#!/usr/bin/env bash
# The aws CLI's side of the parity suite: one read and one error per service, each answer (--output
# json, botocore's parse) reduced to its shape by shape.py, as one JSON object in OUT.
#
#   cli.sh OUT.json
#
# Against AWS_ENDPOINT_URL, after calls.py has run there (the chain's resources exist in both).
set -uo pipefail
out=$1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
answers="$(mktemp -d)"
trap 'rm -rf "$answers"' EXIT
export AWS_MAX_ATTEMPTS=1 AWS_PAGER=""

# run NAME ARGS...: the aws CLI with ARGS, its output, error and exit code kept under NAME.
run() {
  local name=$1
  shift
  aws --output json "$@" >"$answers/$name.out" 2>"$answers/$name.err"
  echo $? >"$answers/$name.rc"
}

run sts.GetCallerIdentity sts get-caller-identity
account="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["Account"])' \
  <"$answers/sts.GetCallerIdentity.out")"
region=us-east-1
topic="arn:aws:sns:$region:$account:fasttrack-saa"

# The aws CLI v1 sends `aws sqs` to SQS's public endpoint unless --endpoint-url is given.
run sqs.GetQueueUrl sqs get-queue-url --endpoint-url "$AWS_ENDPOINT_URL" \
  --queue-name demo-decoupling-saa
run sqs.GetQueueUrl.unknown-queue sqs get-queue-url --endpoint-url "$AWS_ENDPOINT_URL" \
  --queue-name parity-no-such-queue
run dynamodb.DescribeTable dynamodb describe-table --table-name fasttracksaa
run dynamodb.DescribeTable.unknown-table dynamodb describe-table --table-name parity-no-table
run cloudwatch.DescribeAlarms cloudwatch describe-alarms --alarm-names fasttrack-saa-backlog
run cloudwatch.SetAlarmState.unknown-alarm cloudwatch set-alarm-state \
  --alarm-name parity-no-alarm --state-value ALARM --state-reason parity
run sns.ListSubscriptionsByTopic sns list-subscriptions-by-topic --topic-arn "$topic"
run sns.GetTopicAttributes.unknown-topic sns get-topic-attributes \
  --topic-arn "arn:aws:sns:$region:$account:parity-no-topic"
run lambda.GetFunctionConfiguration lambda get-function-configuration \
  --function-name fasttrack-saa
run lambda.GetFunction.unknown-function lambda get-function --function-name parity-no-fn
run ecs.DescribeTaskDefinition ecs describe-task-definition --task-definition fasttrack-saa-td
run ecs.ListTasks.unknown-cluster ecs list-tasks --cluster parity-no-cluster
run logs.DescribeLogGroups logs describe-log-groups
run logs.GetLogEvents.unknown-group logs get-log-events --log-group-name /parity/none \
  --log-stream-name none

python3 "$here/shape.py" collect "$answers" >"$out"
