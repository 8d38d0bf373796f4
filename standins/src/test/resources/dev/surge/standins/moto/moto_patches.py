"""Patches to moto 5.2.1's models, each where moto differs from what AWS documents.

Every patch is a function registered with ``@patch(name, moto=..., aws=...)``: the moto behaviour
it replaces and the documented AWS behaviour it puts in its place. ``apply_all()`` applies them.
"""

import collections

Patch = collections.namedtuple("Patch", "name moto aws apply")

PATCHES = []


def patch(name, moto, aws):
    def register(fn):
        PATCHES.append(Patch(name, moto, aws, fn))
        return fn

    return register


def apply_all():
    for p in PATCHES:
        p.apply()


# --- CloudFormation ----------------------------------------------------------------------------


@patch(
    "cloudformation-template-url-on-an-ip-host",
    moto="reads a TemplateURL http://127.0.0.1:PORT/bucket/key as virtual-hosted: bucket '127'",
    aws="an S3 URL whose host is not <bucket>.s3...amazonaws.com is path-style:"
    " http(s)://host/bucket/key (S3 User Guide, 'Path-style requests')",
)
def template_url_on_an_ip_host():
    import ipaddress
    from urllib.parse import urlparse

    import moto.cloudformation.models as models
    import moto.cloudformation.responses as responses
    import moto.cloudformation.utils as utils

    original = utils.get_stack_from_s3_url

    def get_stack_from_s3_url(template_url, account_id, partition):
        host = urlparse(template_url).hostname or ""
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return original(template_url, account_id, partition)
        from moto.s3.models import s3_backends

        bucket, key = urlparse(template_url).path.lstrip("/").split("/", 1)
        return s3_backends[account_id][partition].get_object(bucket, key).value.decode("utf-8")

    for module in (utils, responses, models):
        if hasattr(module, "get_stack_from_s3_url"):
            module.get_stack_from_s3_url = get_stack_from_s3_url


@patch(
    "cloudformation-change-set-outputs",
    moto="a stack created or updated by executing a change set (as 'cdk deploy' does) keeps the"
    " outputs and description of its empty REVIEW_IN_PROGRESS template: none",
    aws="ExecuteChangeSet applies the change set's template; DescribeStacks then lists its Outputs"
    " (CloudFormation User Guide, 'Outputs')",
)
def change_set_outputs():
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        original(self, change_set_name, stack_name)
        change_set = self.describe_change_set(change_set_name)
        stack = self.stacks[change_set.stack_id]
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        stack.output_map = stack._create_output_map()
        for export in stack.exports:
            self.exports[export.name] = export

    CloudFormationBackend.execute_change_set = execute_change_set


@patch(
    "cloudformation-cloudwatch-alarm",
    moto="has no CloudFormation model for AWS::CloudWatch::Alarm: the resource is skipped and any"
    " Ref or Fn::GetAtt to it fails the stack",
    aws="AWS::CloudWatch::Alarm creates a metric alarm; Ref is its name, Fn::GetAtt Arn its ARN"
    " (CloudFormation resource reference, AWS::CloudWatch::Alarm)",
)
def cloudwatch_alarm_resource():
    from moto.cloudwatch.models import cloudwatch_backends

    def create(p, name, account_id, region_name):
        return cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=p.get("AlarmName", name),
            namespace=p.get("Namespace"),
            metric_name=p.get("MetricName"),
            comparison_operator=p["ComparisonOperator"],
            evaluation_periods=int(p["EvaluationPeriods"]),
            period=int(p["Period"]) if "Period" in p else None,
            threshold=float(p["Threshold"]) if "Threshold" in p else None,
            statistic=p.get("Statistic"),
            description=p.get("AlarmDescription"),
            dimensions=[{"Name": d["Name"], "Value": d["Value"]} for d in p.get("Dimensions", [])],
            alarm_actions=p.get("AlarmActions", []),
            datapoints_to_alarm=(
                int(p["DatapointsToAlarm"]) if "DatapointsToAlarm" in p else None
            ),
            extended_statistic=p.get("ExtendedStatistic"),
            ok_actions=p.get("OKActions", []),
            insufficient_data_actions=p.get("InsufficientDataActions", []),
            unit=p.get("Unit"),
            actions_enabled=str(p.get("ActionsEnabled", True)).lower() == "true",
            treat_missing_data=p.get("TreatMissingData"),
        )

    def delete(name, account_id, region_name):
        cloudwatch_backends[account_id][region_name].delete_alarms([name])

    _simple_model(
        "cloudwatch",
        "AWS::CloudWatch::Alarm",
        create,
        delete,
        physical_id=lambda alarm: alarm.name,
        name_type="AlarmName",
        attributes={"Arn": lambda alarm: alarm.alarm_arn},
    )


def _simple_model(
    service, cfn_type, create, delete, physical_id, name_type="", attributes=None
):
    """Registers a CloudFormation model for ``cfn_type`` that moto lacks.

    ``create(properties, name, account_id, region_name)`` makes the backend object,
    ``physical_id(obj)`` is its Ref, ``delete(physical_id, account_id, region_name)`` removes it,
    ``attributes`` maps each Fn::GetAtt name to ``fn(obj)``. An update replaces the resource
    (delete, then create), which is right for the resources patched here.
    """
    from moto.cloudformation import parsing
    from moto.core.common_models import CloudFormationModel

    attributes = attributes or {}
    module = "moto.%s.surge_patch" % service

    class Model(CloudFormationModel):
        # moto files models by their module's service, read when the class is made.
        __module__ = module

        def __init__(self, obj):
            self.obj = obj

        @staticmethod
        def cloudformation_name_type():
            return name_type

        @staticmethod
        def cloudformation_type():
            return cfn_type

        @classmethod
        def has_cfn_attr(cls, attr):
            return attr in attributes

        def get_cfn_attribute(self, attribute_name):
            if attribute_name in attributes:
                return attributes[attribute_name](self.obj)
            raise parsing.UnformattedGetAttTemplateException()

        @property
        def physical_resource_id(self):
            return physical_id(self.obj)

        def is_created(self):
            return True

        @classmethod
        def create_from_cloudformation_json(
            cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
        ):
            properties = cloudformation_json.get("Properties", {})
            return cls(create(properties, resource_name, account_id, region_name))

        @classmethod
        def update_from_cloudformation_json(
            cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
        ):
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )

        @classmethod
        def delete_from_cloudformation_json(
            cls, resource_name, cloudformation_json, account_id, region_name
        ):
            delete(resource_name, account_id, region_name)

        def delete(self, account_id, region_name):
            delete(self.physical_resource_id, account_id, region_name)

    Model.__name__ = Model.__qualname__ = cfn_type.replace("::", "") + "Model"
    _register(parsing, Model)


def _register(parsing, model):
    """moto finds models as CloudFormationModel subclasses, cached on first use."""
    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
    assert model.cloudformation_type() in parsing.get_model_map()


@patch(
    "cloudformation-cdk-metadata",
    moto="has no CloudFormation model for AWS::CDK::Metadata: the resource the CDK adds to every"
    " stack (in the regions of its CDKMetadataAvailable condition) is skipped, so the stack"
    " lists one resource fewer than its template",
    aws="AWS::CDK::Metadata is a resource CloudFormation creates and lists like any other; it"
    " only records the CDK version and constructs (AWS CDK Developer Guide, 'Version reporting')",
)
def cdk_metadata_resource():
    import uuid

    _simple_model(
        "cloudformation",
        "AWS::CDK::Metadata",
        create=lambda p, name, account_id, region_name: str(uuid.uuid4()),
        delete=lambda physical_id, account_id, region_name: None,
        physical_id=lambda metadata_id: metadata_id,
    )


@patch(
    "cloudformation-sns-subscription",
    moto="has no CloudFormation model for AWS::SNS::Subscription: the subscription is skipped"
    " silently (only a topic's inline Subscription property subscribes)",
    aws="AWS::SNS::Subscription subscribes Endpoint to TopicArn with Protocol; Ref is the"
    " subscription ARN (CloudFormation resource reference, AWS::SNS::Subscription)",
)
def sns_subscription_resource():
    import json

    from moto.sns.models import sns_backends

    def create(p, name, account_id, region_name):
        backend = sns_backends[account_id][region_name]
        subscription = backend.subscribe(p["TopicArn"], p["Endpoint"], p["Protocol"])
        for attribute in ("FilterPolicy", "RawMessageDelivery", "RedrivePolicy"):
            if attribute in p:
                value = p[attribute]
                backend.set_subscription_attributes(
                    subscription.arn,
                    attribute,
                    value if isinstance(value, str) else json.dumps(value),
                )
        return subscription

    def delete(arn, account_id, region_name):
        sns_backends[account_id][region_name].unsubscribe(arn)

    _simple_model(
        "sns",
        "AWS::SNS::Subscription",
        create,
        delete,
        physical_id=lambda subscription: subscription.arn,
        attributes={"Arn": lambda subscription: subscription.arn},
    )


@patch(
    "cloudformation-ecs-task-definition",
    moto="registers an AWS::ECS::TaskDefinition with its family, containers, volumes and memory"
    " only: NetworkMode (so 'bridge'), Cpu, RequiresCompatibilities, TaskRoleArn,"
    " ExecutionRoleArn and RuntimePlatform are dropped",
    aws="every property of AWS::ECS::TaskDefinition is registered, as RegisterTaskDefinition"
    " would (CloudFormation resource reference, AWS::ECS::TaskDefinition)",
)
def ecs_task_definition_resource():
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys
    from moto.ecs.models import TaskDefinition, ecs_backends

    def register(properties, account_id, region_name):
        def camel(value):
            return remap_nested_keys(value, pascal_to_camelcase) if value else value

        return ecs_backends[account_id][region_name].register_task_definition(
            family=properties["Family"],
            container_definitions=camel(properties.get("ContainerDefinitions", [])),
            volumes=camel(properties.get("Volumes", [])),
            network_mode=properties.get("NetworkMode"),
            tags=camel(properties.get("Tags")),
            placement_constraints=camel(properties.get("PlacementConstraints")),
            requires_compatibilities=properties.get("RequiresCompatibilities"),
            cpu=properties.get("Cpu"),
            memory=properties.get("Memory"),
            task_role_arn=properties.get("TaskRoleArn"),
            execution_role_arn=properties.get("ExecutionRoleArn"),
            runtime_platform=camel(properties.get("RuntimePlatform")),
            ephemeral_storage=camel(properties.get("EphemeralStorage")),
        )

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return register(cloudformation_json["Properties"], account_id, region_name)

    def update(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    ):
        # A task definition is immutable: an update registers a new revision (the old one stays
        # ACTIVE until deregistered, as CloudFormation's replacement does on cleanup).
        new = register(cloudformation_json["Properties"], account_id, region_name)
        ecs_backends[account_id][region_name].deregister_task_definition(original_resource.arn)
        return new

    TaskDefinition.create_from_cloudformation_json = classmethod(create)
    TaskDefinition.update_from_cloudformation_json = classmethod(update)


# --- IAM enforcement (INITIAL_NO_AUTH_ACTION_COUNT) --------------------------------------------


@patch(
    "iam-enforcement-resources",
    moto="authorizes DynamoDB, ECS, CloudWatch and CloudWatch Logs requests against resource '*'"
    " only, so a policy scoped to a table, task definition, task, alarm or log group ARN allows"
    " nothing; names CloudWatch actions by its signing name ('monitoring:...') and SQS batch"
    " actions by their own names ('sqs:DeleteMessageBatch'); checks the signature of the request as"
    " re-encoded by cbor_shim; knows only the StringEquals condition operator",
    aws="each action is authorized against the ARNs of the resources it names (DynamoDB: the"
    " table; ECS RunTask: the task definition, DescribeTasks/StopTask: each task; CloudWatch"
    " DescribeAlarms/SetAlarmState: each alarm; Logs CreateLogStream/PutLogEvents: the stream),"
    " with its condition keys (ecs:cluster); CloudWatch actions are 'cloudwatch:...'; an SQS batch"
    " action is authorized as the action it batches (sqs:DeleteMessage for DeleteMessageBatch); ArnEquals/ArnLike compare ARNs (Service Authorization"
    " Reference for DynamoDB, ECS and CloudWatch; IAM User Guide, condition operators)",
)
def iam_enforcement_resources():
    import fnmatch
    import json

    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.exceptions import JsonRESTError
    from moto.core.exceptions import _RESTError as RESTError
    from moto.iam import policy_conditions
    from moto.iam.access_control import IAMRequest

    import cbor_shim

    def arn_like(expected, actual):
        values = expected if isinstance(expected, list) else [expected]
        return any(fnmatch.fnmatchcase(actual, v) for v in values)

    policy_conditions.CONDITION_OPERATIONS.setdefault("ArnEquals", arn_like)
    policy_conditions.CONDITION_OPERATIONS.setdefault("ArnLike", arn_like)

    def body(response):
        if isinstance(response.body, dict):  # DynamoDB's responses parse it first
            return response.body
        try:
            return json.loads(response.body or "{}")
        except ValueError:
            return {}

    def dynamodb(response, action, region, account):
        params = body(response)
        tables = list(params.get("RequestItems", {}).keys()) or [params.get("TableName")]
        if action in ("ListTables", "DescribeLimits", "DescribeEndpoints"):
            return [("*", {})]
        return [
            ("arn:aws:dynamodb:%s:%s:table/%s" % (region, account, t), {}) for t in tables if t
        ] or [("*", {})]

    def ecs(response, action, region, account):
        from moto.ecs.models import ecs_backends

        params = body(response)
        cluster_name = (params.get("cluster") or "default").split("/")[-1]
        cluster = "arn:aws:ecs:%s:%s:cluster/%s" % (region, account, cluster_name)
        condition = {"ecs:cluster": cluster}
        if action == "RunTask":
            backend = ecs_backends[account][region]
            try:
                definition = backend.describe_task_definition(params["taskDefinition"]).arn
            except Exception:
                definition = "*"
            return [(definition, condition)]
        if action in ("DescribeTasks", "StopTask"):
            tasks = params.get("tasks") or [params.get("task")]
            return [
                (
                    t if t.startswith("arn:")
                    else "arn:aws:ecs:%s:%s:task/%s/%s" % (region, account, cluster_name, t),
                    condition,
                )
                for t in tasks
                if t
            ]
        if action == "ListTasks":
            return [("*", condition)]
        return None

    def cloudwatch(response, action, region, account):
        params = body(response)
        names = params.get("AlarmNames") or (
            [params["AlarmName"]] if params.get("AlarmName") else []
        )
        if action in ("DescribeAlarms", "SetAlarmState", "DeleteAlarms", "PutMetricAlarm"):
            return [
                ("arn:aws:cloudwatch:%s:%s:alarm:%s" % (region, account, n), {}) for n in names
            ] or [("*", {})]
        return None

    def logs(response, action, region, account):
        params = body(response)
        group, stream = params.get("logGroupName"), params.get("logStreamName")
        if not group:
            return None
        arn = "arn:aws:logs:%s:%s:log-group:%s" % (region, account, group)
        # Writes name the stream's ARN (log-group:<group>:log-stream:<stream>), which a grant on
        # the group's "log-group:<group>:*" covers.
        if stream and action in ("CreateLogStream", "PutLogEvents", "GetLogEvents"):
            return [("%s:log-stream:%s" % (arn, stream), {})]
        return [(arn, {})]

    def sqs(response, action, region, account):
        return None  # moto resolves the queue's ARN itself; only the action's name differs

    resolvers = {
        "dynamodb": dynamodb,
        "ecs": ecs,
        "monitoring": cloudwatch,
        "logs": logs,
        "sqs": sqs,
    }
    iam_prefix = {"monitoring": "cloudwatch"}
    # SQS's batch actions have no permissions of their own: each is authorized as the single
    # action it batches (SQS Developer Guide, 'Amazon SQS API permissions').
    iam_action = {
        ("sqs", "DeleteMessageBatch"): "DeleteMessage",
        ("sqs", "ChangeMessageVisibilityBatch"): "ChangeMessageVisibility",
        ("sqs", "SendMessageBatch"): "SendMessage",
    }

    def authorize(self, resource="*"):
        try:
            authorize_as_documented(self, resource)
        except RESTError as e:
            # A JSON-protocol client reads errors as {"__type", "message"}, not moto's XML.
            if "x-amz-json" not in self.headers.get("Content-Type", ""):
                raise
            error = JsonRESTError(
                "AccessDeniedException" if e.error_type == "AccessDenied" else e.error_type,
                e.message,
            )
            error.code = e.code
            raise error

    def authorize_as_documented(self, resource):
        if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
            ActionAuthenticatorMixin.request_count += 1
            return
        environ = getattr(self.headers, "environ", {})
        original = environ.get(cbor_shim.ORIGINAL_REQUEST)
        scope = self.headers.get("Authorization", "").partition("Credential=")[2].split("/")
        service = scope[3] if len(scope) > 3 else ""
        resolver = resolvers.get(service)
        if resolver is None and original is None:
            return original_authorize(self, resource)
        action = self._get_action()
        if original:
            from werkzeug.datastructures import EnvironHeaders

            method, path, raw, headers = (
                original["method"],
                original["path"],
                original["body"],
                EnvironHeaders(original["environ"]),
            )
        else:
            parsed = __import__("urllib.parse").parse.urlparse(self.uri)
            method, path, raw, headers = (
                self.method,
                parsed.path + ("?" + parsed.query if parsed.query else ""),
                self.raw_body,
                self.headers,
            )
        request = IAMRequest(
            account_id=self.current_account,
            method=method,
            path=path,
            data=self.data,
            body=raw,
            headers=headers,
            action=action,
        )
        request.check_signature()
        request._action = "%s:%s" % (
            iam_prefix.get(service, service),
            iam_action.get((service, action), action),
        )
        targets = resolver(self, action, self.region, self.current_account) if resolver else None
        for arn, conditions in targets or [(resource, {})]:
            check(request, arn, conditions)

    def check(request, resource, conditions):
        from moto.iam.access_control import IAMPolicy, PermissionResult

        permitted = False
        for policy in request._access_key.collect_policies():
            result = IAMPolicy(policy).is_action_permitted(
                request._action, resource, incoming_condition_values=conditions
            )
            if result == PermissionResult.DENIED:
                denied(request, resource, "an explicit deny in a policy")
            if result == PermissionResult.PERMITTED:
                permitted = True
        if not permitted:
            denied(request, resource, "no identity-based policy allows the action")

    def denied(request, resource, why):
        # The message AWS gives: who, what, on which resource, and why.
        error = RESTError(
            "AccessDenied",
            "User: %s is not authorized to perform: %s on resource: %s because %s"
            % (request._access_key.arn, request._action, resource, why),
        )
        error.code = 403
        raise error

    original_authorize = ActionAuthenticatorMixin._authenticate_and_authorize_normal_action
    ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = authorize


@patch(
    "ecs-run-task-task-level-memory",
    moto="RunTask adds up container-level memory only, and fails with HTTP 500 (a TypeError) when a"
    " container has none, as in a Fargate task definition sized at the task level",
    aws="with task-level Memory (required on Fargate) container-level memory is optional; the"
    " task's size is the task-level Cpu and Memory (ECS Developer Guide, task definition"
    " parameters: 'Task size', 'memory')",
)
def ecs_task_level_memory():
    from moto.ecs.models import EC2ContainerServiceBackend

    def requirements(task_definition):
        cpu = memory = 0
        ports = []
        for c in task_definition.container_definitions:
            cpu += int(c.get("cpu", c.get("Cpu", 0)) or 0)
            memory += int(
                c.get("memory")
                or c.get("Memory")
                or c.get("memoryReservation")
                or c.get("MemoryReservation")
                or 0
            )
            for m in c.get("portMappings", c.get("PortMappings", [])):
                port = m.get("hostPort", m.get("HostPort"))
                if port is not None:
                    ports.append(port)
        if getattr(task_definition, "cpu", None):
            cpu = max(cpu, int(task_definition.cpu))
        if getattr(task_definition, "memory", None):
            memory = max(memory, int(task_definition.memory))
        return {"CPU": cpu, "MEMORY": memory, "PORTS": ports, "PORTS_UDP": []}

    EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(requirements)


# --- EC2 ---------------------------------------------------------------------------------------


@patch(
    "cloudformation-vpc-dns-attributes",
    moto="creates an AWS::EC2::VPC without its EnableDnsHostnames and EnableDnsSupport properties"
    " (a new VPC then has DNS host names off)",
    aws="EnableDnsHostnames and EnableDnsSupport set the VPC's attributes (CloudFormation"
    " resource reference, AWS::EC2::VPC)",
)
def vpc_dns_attributes():
    from moto.ec2.models.vpcs import VPC

    original = VPC.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        vpc = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        properties = cloudformation_json["Properties"]
        for prop, attribute in (
            ("EnableDnsHostnames", "enable_dns_hostnames"),
            ("EnableDnsSupport", "enable_dns_support"),
        ):
            if prop in properties:
                setattr(vpc, attribute, str(properties[prop]).lower() == "true")
        return vpc

    VPC.create_from_cloudformation_json = classmethod(create)


@patch(
    "ecs-awsvpc-task-without-dns-host-names",
    moto="RunTask of an awsvpc task fails with HTTP 500 (AttributeError) when the subnet's VPC has"
    " DNS host names off: the network interface then has no private_dns_name attribute",
    aws="the task starts; its network interface simply has no private DNS name (ECS Developer"
    " Guide, 'Fargate task networking')",
)
def eni_without_dns_name():
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface

    NetworkInterface.private_dns_name = None  # the instance attribute, when set, wins


# --- stack deletion ----------------------------------------------------------------------------


@patch(
    "cloudformation-delete-network-and-cluster",
    moto="deleting a stack leaves its AWS::ECS::Cluster (ACTIVE), AWS::ECS::TaskDefinition (ACTIVE),"
    " AWS::EC2::VPCGatewayAttachment, AWS::EC2::InternetGateway, AWS::EC2::Route,"
    " AWS::EC2::RouteTable and AWS::EC2::SubnetRouteTableAssociation in place, and so the VPC,"
    " and still reports DELETE_COMPLETE",
    aws="DeleteStack deletes every resource it created (the cluster becomes INACTIVE, the task"
    " definition revision is deregistered, the gateway is detached and deleted, routes,"
    " associations and route tables are removed, then the VPC), or the stack ends in"
    " DELETE_FAILED (CloudFormation User Guide, 'Deleting a stack')",
)
def delete_network_and_cluster():
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.internet_gateways import InternetGateway
    from moto.ec2.models.route_tables import Route, RouteTable
    from moto.ec2.models.subnets import SubnetRouteTableAssociation
    from moto.ec2.models.vpn_gateway import VPCGatewayAttachment
    from moto.ecs.models import Cluster, TaskDefinition, ecs_backends

    def cluster(self, account_id, region_name):
        ecs_backends[account_id][region_name].delete_cluster(self.arn)

    def task_definition(self, account_id, region_name):
        ecs_backends[account_id][region_name].deregister_task_definition(self.arn)

    def attachment(self, account_id, region_name):
        if self.gateway_id and self.gateway_id.startswith("igw-"):
            ec2_backends[account_id][region_name].detach_internet_gateway(
                self.gateway_id, self.vpc_id
            )

    def gateway(self, account_id, region_name):
        ec2_backends[account_id][region_name].delete_internet_gateway(self.id)

    def route(self, account_id, region_name):
        ec2_backends[account_id][region_name].delete_route(
            self.route_table.id,
            self.destination_cidr_block,
            getattr(self, "destination_ipv6_cidr_block", None),
            getattr(self, "destination_prefix_list_id", None),
        )

    def route_table(self, account_id, region_name):
        ec2_backends[account_id][region_name].delete_route_table(self.id)

    def association(self, account_id, region_name):
        backend = ec2_backends[account_id][region_name]
        backend.subnet_associations.pop("%s:%s" % (self.route_table_id, self.subnet_id), None)
        table = backend.route_tables.get(self.route_table_id)
        if table is not None:
            for association_id, subnet_id in list(table._associations.items()):
                if subnet_id == self.subnet_id:
                    table._associations.pop(association_id)

    def gone_is_deleted(delete):
        # A resource already removed with its parent (a route with its table) is deleted: that
        # is how CloudFormation treats a resource that no longer exists during a stack deletion.
        def run(self, account_id, region_name):
            try:
                delete(self, account_id, region_name)
            except Exception as e:
                codes = (type(e).__name__, getattr(e, "error_type", ""), getattr(e, "code", ""))
                if not any("NotFound" in str(c) for c in codes):
                    raise

        return run

    Cluster.delete = gone_is_deleted(cluster)
    TaskDefinition.delete = gone_is_deleted(task_definition)
    VPCGatewayAttachment.delete = gone_is_deleted(attachment)
    InternetGateway.delete = gone_is_deleted(gateway)
    Route.delete = gone_is_deleted(route)
    RouteTable.delete = gone_is_deleted(route_table)
    SubnetRouteTableAssociation.delete = gone_is_deleted(association)


@patch(
    "cloudformation-missing-change-set",
    moto="DescribeChangeSet and DeleteChangeSet of a change set that does not exist fail with"
    " ValidationError 'Stack with id <change set> does not exist' (DeleteChangeSet: a KeyError,"
    " HTTP 500), which makes a second 'cdk deploy' of the same stack fail",
    aws="both fail with ChangeSetNotFound, HTTP 404 (CloudFormation API Reference,"
    " DescribeChangeSet and DeleteChangeSet, Errors)",
)
def missing_change_set():
    from moto.cloudformation.exceptions import CloudFormationError
    from moto.cloudformation.models import CloudFormationBackend

    class ChangeSetNotFound(CloudFormationError):
        __module__ = "moto.cloudformation.surge_patch"  # moto finds the error's service by it
        code = "ChangeSetNotFound"

        def __init__(self, name):
            super().__init__("ChangeSet [%s] does not exist" % name)

    def find(self, name):
        if name in self.change_sets:
            return name
        for key, change_set in self.change_sets.items():
            if change_set.change_set_name == name:
                return key
        raise ChangeSetNotFound(name)

    original_describe = CloudFormationBackend.describe_change_set

    def describe_change_set(self, change_set_name):
        find(self, change_set_name)
        return original_describe(self, change_set_name)

    def delete_change_set(self, change_set_name):
        del self.change_sets[find(self, change_set_name)]

    CloudFormationBackend.describe_change_set = describe_change_set
    CloudFormationBackend.delete_change_set = delete_change_set


@patch(
    "cloudformation-previous-ssm-parameter",
    moto="UsePreviousValue of an AWS::SSM::Parameter::Value<...> parameter (CDK's BootstrapVersion"
    " on every update) passes the resolved value ('33') as the SSM parameter's name, and the"
    " update fails with HTTP 500",
    aws="the previous value of such a parameter is the SSM parameter name, resolved again on each"
    " update (CloudFormation User Guide, 'SSM parameter types')",
)
def previous_ssm_parameter():
    from moto.cloudformation.models import Stack

    resolved = Stack.stack_parameters.fget

    def stack_parameters(self):
        values = dict(resolved(self))
        for name, slot in (self.template_dict.get("Parameters") or {}).items():
            if str(slot.get("Type", "")).startswith("AWS::SSM::Parameter::"):
                values[name] = self.resource_map.input_parameters.get(name, slot.get("Default"))
        return values

    Stack.stack_parameters = property(stack_parameters)


# --- ECS task lifecycle ------------------------------------------------------------------------


@patch(
    "ecs-list-tasks-filters",
    moto="ListTasks without desiredStatus lists every task, STOPPED ones included; startedBy is"
    " combined with any other filter",
    aws="desiredStatus defaults to RUNNING; 'when you specify startedBy as the filter, it must be"
    " the only filter that you use' (ECS API Reference, ListTasks). The patch rejects startedBy"
    " with another filter (InvalidParameterException), so a client that breaks that contract fails"
    " here rather than in an account",
)
def ecs_list_tasks_filters():
    from moto.ecs.exceptions import InvalidParameterException
    from moto.ecs.models import EC2ContainerServiceBackend

    original = EC2ContainerServiceBackend.list_tasks

    def list_tasks(
        self,
        cluster_str=None,
        container_instance=None,
        family=None,
        started_by=None,
        service_name=None,
        desiredStatus=None,
    ):
        others = [container_instance, family, service_name, desiredStatus]
        if started_by and any(v for v in others):
            raise InvalidParameterException(
                "startedBy must be the only filter of ListTasks; it was combined with"
                " containerInstance, family, serviceName or desiredStatus"
            )
        tasks = original(
            self,
            cluster_str,
            container_instance,
            family,
            started_by,
            service_name,
            desiredStatus or "RUNNING",
        )
        lag = ECS_LIST_LAG["seconds"]
        if lag > 0:
            # ECS's reads are eventually consistent (API reference, "Eventual consistency"): a
            # task just started may be missing from ListTasks for a while. Off unless a test
            # asks for it through /_surge/ecs/list-lag.
            from moto.core.utils import utcnow

            now = utcnow()
            tasks = [
                t
                for t in tasks
                if getattr(t, "created_at", None) is None
                or (now - t.created_at).total_seconds() >= lag
            ]
        return tasks

    EC2ContainerServiceBackend.list_tasks = list_tasks


@patch(
    "ecs-task-lifecycle",
    moto="each DescribeTasks moves a task one step on towards STOPPED (RUNNING, DEACTIVATING,"
    " STOPPING, DEPROVISIONING, STOPPED) whatever its containers do; a task has no createdAt,"
    " startedAt or stoppedAt; its container reports exitCode 0 while it runs and lastStatus"
    " PENDING; a stopped Fargate task keeps its network interface, so its VPC can never be"
    " deleted",
    aws="a task runs until its essential container exits or StopTask stops it (here: the agent's"
    " report to /_surge/ecs/container-exited, or StopTask); DescribeTasks reports createdAt,"
    " startedAt and, once stopped, stoppingAt and stoppedAt; a"
    " container has an exitCode only after it stopped; a Fargate task's network interface is"
    " deleted when the task stops (ECS API Reference, Task and Container; ECS Developer Guide,"
    " 'Fargate task networking')",
)
def ecs_task_lifecycle():
    from moto.core.utils import utcnow
    from moto.ec2.models import ec2_backends
    from moto.ecs.models import EC2ContainerServiceBackend, Task
    from moto.moto_api import state_manager

    # Described any number of times, a task stays where its containers and StopTask put it.
    state_manager.set_transition("ecs::task", {"progression": "manual", "times": float("inf")})

    original_init = Task.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        now = utcnow()
        self.created_at = self.pull_started_at = self.pull_stopped_at = self.started_at = now
        for container in self.containers:
            container.exitCode = None
            container.last_status = "RUNNING"

    Task.__init__ = init

    original_stop = EC2ContainerServiceBackend.stop_task

    def stop_task(self, cluster_str, task_str, reason):
        task = original_stop(self, cluster_str, task_str, reason)
        stopped(self, task, "UserInitiated")
        return task

    EC2ContainerServiceBackend.stop_task = stop_task

    def stopped(backend, task, stop_code):
        if getattr(task, "stopped_at", None) is not None:
            return
        now = utcnow()
        task.last_status = task.desired_status = "STOPPED"
        task.stop_code = stop_code
        task.stopping_at = task.execution_stopped_at = task.stopped_at = now
        for container in task.containers:
            container.last_status = "STOPPED"
        ec2 = ec2_backends[backend.account_id][backend.region_name]
        for attachment in task.attachments:
            for detail in attachment.get("details", []):
                if detail["name"] == "networkInterfaceId":
                    ec2.enis.pop(detail["value"], None)
            attachment["status"] = "DELETED"

    ECS_STOPPED.append(stopped)


ECS_STOPPED = []


# --- CloudWatch alarm actions and SNS to Lambda ------------------------------------------------


REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "EU (Ireland)",
    "eu-central-1": "EU (Frankfurt)",
}


@patch(
    "cloudwatch-alarm-actions",
    moto="SetAlarmState changes the state and runs no action: the alarm's topics hear nothing",
    aws="a state change (SetAlarmState included) runs the actions of the new state: each SNS topic"
    " in AlarmActions, OKActions or InsufficientDataActions is sent the alarm's JSON notification"
    " (CloudWatch API Reference, SetAlarmState; CloudWatch User Guide, 'Amazon SNS notification"
    " formats')",
)
def cloudwatch_alarm_actions():
    import json

    from moto.cloudwatch.models import CloudWatchBackend
    from moto.sns.models import sns_backends

    original = CloudWatchBackend.set_alarm_state

    def set_alarm_state(self, alarm_name, reason, reason_data, state_value):
        alarm = self.alarms.get(alarm_name)
        old = alarm.state_value if alarm else None
        original(self, alarm_name, reason, reason_data, state_value)
        if old == state_value or not alarm.actions_enabled:
            return
        actions = {
            "ALARM": alarm.alarm_actions,
            "OK": alarm.ok_actions,
            "INSUFFICIENT_DATA": alarm.insufficient_data_actions,
        }[state_value]
        region = REGION_NAMES.get(self.region_name, self.region_name)
        message = json.dumps(notification(alarm, old, region, self.account_id))
        subject = ('%s: "%s" in %s' % (state_value, alarm.name, region))[:100]
        for arn in actions or []:
            if arn.startswith("arn:aws:sns:"):
                sns_backends[self.account_id][self.region_name].publish(message, arn, subject=subject)

    CloudWatchBackend.set_alarm_state = set_alarm_state

    def iso(t):
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+0000" % (t.microsecond // 1000)

    def notification(alarm, old, region, account):
        return {
            "AlarmName": alarm.name,
            "AlarmDescription": alarm.description,
            "AWSAccountId": account,
            "AlarmConfigurationUpdatedTimestamp": iso(alarm.configuration_updated_timestamp),
            "NewStateValue": alarm.state_value,
            "NewStateReason": alarm.state_reason,
            "StateChangeTime": iso(alarm.state_updated_timestamp),
            "Region": region,
            "AlarmArn": alarm.alarm_arn,
            "OldStateValue": old,
            "OKActions": alarm.ok_actions or [],
            "AlarmActions": alarm.alarm_actions or [],
            "InsufficientDataActions": alarm.insufficient_data_actions or [],
            "Trigger": {
                "MetricName": alarm.metric_name,
                "Namespace": alarm.namespace,
                "StatisticType": "Statistic",
                "Statistic": (alarm.statistic or "").upper(),
                "Unit": alarm.unit,
                "Dimensions": [{"value": d.value, "name": d.name} for d in alarm.dimensions],
                "Period": alarm.period,
                "EvaluationPeriods": alarm.evaluation_periods,
                "DatapointsToAlarm": alarm.datapoints_to_alarm,
                "ComparisonOperator": alarm.comparison_operator,
                "Threshold": alarm.threshold,
                "TreatMissingData": alarm.treat_missing_data or "missing",
                "EvaluateLowSampleCountPercentile": alarm.evaluate_low_sample_count_percentile
                or "",
            },
        }


LAMBDA_RUNTIME = {"url": None}


@patch(
    "sns-to-lambda-event",
    moto="delivers to a Lambda subscription a fixed sample event (MessageId"
    " 95df01b4-ee98-5cb9-9903-4c221d41eb5e on every message, TopicArn arn:aws:sns:EXAMPLE,"
    " Timestamp 1970-01-01) and runs the function in Docker",
    aws="Lambda is invoked asynchronously with the notification itself: its MessageId, TopicArn,"
    " Subject, Timestamp, signature fields and MessageAttributes, and the subscription's ARN"
    " (Lambda Developer Guide, 'Using Lambda with Amazon SNS', example event). Without Docker the"
    " patched server hands the event to the runtime registered at /_surge/lambda/runtime",
)
def sns_to_lambda_event():
    import json
    import sys
    import threading
    import urllib.request

    from moto.sns.models import Subscription

    original = Subscription.publish

    def publish(self, message, message_id, subject=None, message_attributes=None, **kwargs):
        if self.protocol != "lambda":
            return original(self, message, message_id, subject, message_attributes, **kwargs)
        data = self.get_post_data(message, message_id, subject, message_attributes)
        sns = {
            "Type": data["Type"],
            "MessageId": data["MessageId"],
            "TopicArn": data["TopicArn"],
            "Subject": data.get("Subject"),
            "Message": data["Message"],
            "Timestamp": data["Timestamp"],
            "SignatureVersion": data["SignatureVersion"],
            "Signature": data["Signature"],
            "SigningCertUrl": data["SigningCertURL"],
            "UnsubscribeUrl": data["UnsubscribeURL"],
            "MessageAttributes": data.get("MessageAttributes", {}),
        }
        event = {
            "Records": [
                {
                    "EventSource": "aws:sns",
                    "EventVersion": "1.0",
                    "EventSubscriptionArn": self.arn,
                    "Sns": sns,
                }
            ]
        }
        invoke_async(self.endpoint, event)

    def invoke_async(function_arn, event):
        url = LAMBDA_RUNTIME["url"]
        if url is None:
            sys.stderr.write("surge-moto: no Lambda runtime registered; dropped an event for %s\n"
                             % function_arn)
            return
        body = json.dumps({"functionArn": function_arn, "event": event}).encode("utf-8")

        def post():
            try:
                request = urllib.request.Request(
                    url, data=body, method="POST", headers={"Content-Type": "application/json"}
                )
                urllib.request.urlopen(request, timeout=120).read()
            except Exception as e:  # an async invocation's failure is the function's, not SNS's
                sys.stderr.write("surge-moto: Lambda runtime at %s: %s\n" % (url, e))

        threading.Thread(target=post, name="sns-lambda", daemon=True).start()

    Subscription.publish = publish


# --- the stand-ins' control endpoints ----------------------------------------------------------


ECS_LIST_LAG = {"seconds": 0.0}


def control(app):
    """``/_surge/...``: what this machine's stand-ins for Lambda and Fargate tell the emulator.

    POST /_surge/lambda/runtime   {"url": "http://127.0.0.1:P/invoke"}: where SNS delivers events
    POST /_surge/ecs/container-exited   {"cluster", "task", "exitCode"}: what the ECS agent
        reports when a task's essential container exits (SubmitTaskStateChange, which moto lacks)
    POST /_surge/ecs/list-lag   {"seconds": S}: ListTasks leaves out tasks younger than S seconds,
        as ECS's eventually consistent reads may (0, the default, lists every task at once)
    """
    import json

    def middleware(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_surge/"):
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            if path == "/_surge/lambda/runtime":
                LAMBDA_RUNTIME["url"] = body.get("url")
                answer = {"url": LAMBDA_RUNTIME["url"]}
            elif path == "/_surge/ecs/container-exited":
                answer = container_exited(body)
            elif path == "/_surge/ecs/list-lag":
                ECS_LIST_LAG["seconds"] = float(body.get("seconds", 0))
                answer = dict(ECS_LIST_LAG)
            else:
                start_response("404 Not Found", [("Content-Type", "application/json")])
                return [b'{"error": "unknown control endpoint"}']
        except Exception as e:
            start_response("400 Bad Request", [("Content-Type", "application/json")])
            return [json.dumps({"error": str(e)}).encode("utf-8")]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(answer).encode("utf-8")]

    return middleware


def container_exited(body):
    from moto.ecs.models import ecs_backends

    account = body.get("account", "123456789012")
    backend = ecs_backends[account][body.get("region", "us-east-1")]
    cluster = backend._get_cluster(body["cluster"])
    task_id = body["task"].split("/")[-1]
    for arn, task in backend.tasks.get(cluster.name, {}).items():
        if arn.endswith("/" + task_id):
            for container in task.containers:
                container.exitCode = int(body["exitCode"])
            if task.last_status != "STOPPED":
                task.stopped_reason = "Essential container in task exited"
            for stopped in ECS_STOPPED:
                stopped(backend, task, "EssentialContainerExited")
            return {"task": arn, "lastStatus": task.last_status}
    raise ValueError("no task %s in cluster %s" % (body["task"], cluster.name))


# --- Lambda ------------------------------------------------------------------------------------


@patch(
    "lambda-logging-config",
    moto="keeps no LoggingConfig: CreateFunction and AWS::Lambda::Function drop it, and"
    " GetFunctionConfiguration returns none",
    aws="GetFunctionConfiguration returns LoggingConfig: LogFormat (Text by default) and LogGroup"
    " (the configured group, else /aws/lambda/<function name>) (Lambda API Reference,"
    " LoggingConfig; CloudFormation resource reference, AWS::Lambda::Function LoggingConfig)",
)
def lambda_logging_config():
    from moto.awslambda.models import LambdaFunction

    original_init = LambdaFunction.__init__

    def init(self, account_id, spec, region, version=1):
        original_init(self, account_id, spec, region, version)
        given = spec.get("LoggingConfig") or {}
        self.logging_config = {
            "LogFormat": given.get("LogFormat", "Text"),
            "LogGroup": given.get("LogGroup", "/aws/lambda/" + self.function_name),
        }
        for key in ("ApplicationLogLevel", "SystemLogLevel"):
            if key in given:
                self.logging_config[key] = given[key]

    original_configuration = LambdaFunction.get_configuration

    def get_configuration(self, on_create=False):
        config = original_configuration(self, on_create)
        config["LoggingConfig"] = dict(getattr(self, "logging_config", {}))
        return config

    original_create = LambdaFunction.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        function = original_create(
            cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        given = cloudformation_json["Properties"].get("LoggingConfig")
        if given:
            function.logging_config.update(given)
        return function

    LambdaFunction.__init__ = init
    LambdaFunction.get_configuration = get_configuration
    LambdaFunction.create_from_cloudformation_json = classmethod(create)


@patch(
    "lambda-snapstart",
    moto="keeps no SnapStart setting: CreateFunction and AWS::Lambda::Function drop it, and"
    " GetFunctionConfiguration reports ApplyOn None, OptimizationStatus Off for every version",
    aws="GetFunctionConfiguration returns SnapStart: ApplyOn as configured (PublishedVersions or"
    " None) and, for a published version of a function whose ApplyOn is PublishedVersions,"
    " OptimizationStatus On; $LATEST is never started from a snapshot, so Off (Lambda API"
    " Reference, SnapStartResponse; Lambda Developer Guide, 'Improving startup performance with"
    " Lambda SnapStart')",
)
def lambda_snapstart():
    from moto.awslambda.models import LambdaFunction

    original_init = LambdaFunction.__init__

    def init(self, account_id, spec, region, version=1):
        original_init(self, account_id, spec, region, version)
        self.snap_start = dict(spec.get("SnapStart") or {}).get("ApplyOn", "None")

    original_configuration = LambdaFunction.get_configuration

    def get_configuration(self, on_create=False):
        config = original_configuration(self, on_create)
        apply_on = getattr(self, "snap_start", "None")
        published = str(self.version) != "$LATEST"
        config["SnapStart"] = {
            "ApplyOn": apply_on,
            "OptimizationStatus": "On" if apply_on == "PublishedVersions" and published else "Off",
        }
        return config

    original_create = LambdaFunction.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        function = original_create(
            cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        given = cloudformation_json["Properties"].get("SnapStart")
        if given:
            function.snap_start = given.get("ApplyOn", "None")
        return function

    LambdaFunction.__init__ = init
    LambdaFunction.get_configuration = get_configuration
    LambdaFunction.create_from_cloudformation_json = classmethod(create)


@patch(
    "cloudformation-lambda-version",
    moto="AWS::Lambda::Version publishes a version, but its Ref is the resource's logical id, it"
    " has no Fn::GetAtt attributes (so an alias's FunctionVersion fails the stack), and deleting"
    " it leaves the version",
    aws="Ref is the version's ARN; Fn::GetAtt Version is its number and FunctionArn its ARN;"
    " deleting the resource deletes the version (CloudFormation resource reference,"
    " AWS::Lambda::Version)",
)
def cloudformation_lambda_version():
    from moto.awslambda.models import LambdaVersion, lambda_backends

    original_create = LambdaVersion.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        version = original_create(
            cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        backend = lambda_backends[account_id][region_name]
        name = cloudformation_json["Properties"]["FunctionName"]
        version.function = backend.get_function(name, str(version.version))
        return version

    def has_cfn_attr(cls, attr):
        return attr in ("Version", "FunctionArn")

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "Version":
            return str(self.version)
        if attribute_name == "FunctionArn":
            return self.function.function_arn
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        raise UnformattedGetAttTemplateException()

    def delete_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name
    ):
        backend = lambda_backends[account_id][region_name]
        name, version = resource_name.split(":function:")[-1].split(":")
        try:
            backend.delete_function(name, version)
        except Exception:  # the function went first: its versions went with it
            pass

    def delete(self, account_id, region_name):
        delete_from_cloudformation_json(
            LambdaVersion, self.function.function_arn, None, account_id, region_name
        )

    LambdaVersion.create_from_cloudformation_json = classmethod(create)
    LambdaVersion.has_cfn_attr = classmethod(has_cfn_attr)
    LambdaVersion.get_cfn_attribute = get_cfn_attribute
    LambdaVersion.physical_resource_id = property(lambda self: self.function.function_arn)
    LambdaVersion.delete_from_cloudformation_json = classmethod(delete_from_cloudformation_json)
    LambdaVersion.delete = delete


@patch(
    "cloudformation-lambda-alias",
    moto="has no CloudFormation model for AWS::Lambda::Alias: the alias is skipped and any Ref to"
    " it (a subscription's endpoint, a rule's target, a permission) fails the stack",
    aws="AWS::Lambda::Alias creates alias Name of FunctionName pointing at FunctionVersion; Ref is"
    " the alias's ARN (CloudFormation resource reference, AWS::Lambda::Alias)",
)
def cloudformation_lambda_alias():
    from moto.awslambda.models import lambda_backends

    def function_name(name_or_arn):
        return name_or_arn.split(":function:")[-1].split(":")[0]

    def create(p, name, account_id, region_name):
        return lambda_backends[account_id][region_name].create_alias(
            p["Name"],
            function_name(p["FunctionName"]),
            str(p["FunctionVersion"]),
            p.get("Description", ""),
            p.get("RoutingConfig"),
        )

    def delete(arn, account_id, region_name):
        fn, alias = arn.split(":function:")[-1].split(":")
        try:
            lambda_backends[account_id][region_name].delete_alias(alias, fn)
        except Exception:  # the function went first: its aliases went with it
            pass

    _simple_model(
        "awslambda",
        "AWS::Lambda::Alias",
        create,
        delete,
        physical_id=lambda alias: alias.arn,
        attributes={"AliasArn": lambda alias: alias.arn},
    )


# --- CloudWatch Logs ---------------------------------------------------------------------------


@patch(
    "cloudformation-log-group-arn",
    moto="Fn::GetAtt <AWS::Logs::LogGroup>.Arn is arn:...:log-group:<name>, which as a policy"
    " resource matches no log stream (so grantWrite grants nothing)",
    aws="the Arn attribute is arn:...:log-group:<name>:* (CloudFormation resource reference,"
    " AWS::Logs::LogGroup, Return values), which covers the group's streams",
)
def log_group_arn():
    from moto.logs.models import LogGroup

    original = LogGroup.get_cfn_attribute

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "Arn":
            return self.arn + ":*"
        return original(self, attribute_name)

    LogGroup.get_cfn_attribute = get_cfn_attribute


@patch(
    "iam-trust-policy-account-principal",
    moto="compares the caller's ARN with a role trust policy's AWS principal as text, so a role"
    " that trusts its account (the CDK bootstrap roles trust arn:aws:iam::ACCOUNT:root) refuses"
    " every user and role of that account with a 403",
    aws="an account as the principal of a trust policy (its ARN arn:PARTITION:iam::ACCOUNT:root, or"
    " the account id) delegates to the account: any of its users and roles whose own policies"
    " allow sts:AssumeRole on the role may assume it (IAM User Guide, 'AWS JSON policy elements:"
    " Principal', AWS account principals)",
)
def iam_trust_policy_account_principal():
    import re

    from moto.iam.access_control import IAMPolicyStatement

    original = IAMPolicyStatement._check_principal

    def account_of(arn):
        m = re.match(r"^arn:[^:]+:(?:iam|sts)::(\d{12}):", arn)
        return m.group(1) if m else None

    def _check_principal(self, principal):
        if original(self, principal):
            return True
        expected = (self._statement.get("Principal") or {}).get("AWS")
        values = expected if isinstance(expected, list) else [expected]
        caller = account_of(principal)
        for v in values:
            if not isinstance(v, str) or caller is None:
                continue
            if v == caller or re.fullmatch(r"arn:[^:]+:iam::%s:root" % caller, v):
                return True
        return False

    IAMPolicyStatement._check_principal = _check_principal


@patch(
    "iam-policy-no-value-statement",
    moto="keeps a statement that a template's Fn::If resolved to AWS::NoValue as a null in the"
    " role's policy (the CDK bootstrap's deploy role has one), and evaluating that policy fails"
    " with a 500",
    aws="AWS::NoValue removes the property or list element it stands for (CloudFormation User"
    " Guide, 'Pseudo parameters reference', AWS::NoValue): the policy has one statement less",
)
def iam_policy_no_value_statement():
    from moto.iam.access_control import IAMPolicy

    original = IAMPolicy.is_action_permitted

    def is_action_permitted(self, *args, **kwargs):
        statements = self._policy_json.get("Statement")
        if isinstance(statements, list) and None in statements:
            self._policy_json["Statement"] = [st for st in statements if st is not None]
        return original(self, *args, **kwargs)

    IAMPolicy.is_action_permitted = is_action_permitted


@patch(
    "iam-cloudformation-role-policies",
    moto="creates an AWS::IAM::Role without its ManagedPolicyArns, and keeps its inline Policies as"
    " parsed objects, not policy documents (the CDK bootstrap's deploy role has both): a request"
    " signed with that role's credentials lacks the managed policies' permissions, or fails with a"
    " 500 when its policies are evaluated",
    aws="the role has the managed policies attached (ListAttachedRolePolicies lists them) and its"
    " inline policies are policy documents, all evaluated for a request signed with the role's"
    " credentials (CloudFormation User Guide, AWS::IAM::Role; IAM User Guide, 'Policy evaluation"
    " logic')",
)
def iam_cloudformation_role_policies():
    import json

    from moto.iam.models import Role, iam_backends
    from moto.utilities.utils import get_partition

    original = Role.create_from_cloudformation_json.__func__

    def create_from_cloudformation_json(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    ):
        role = original(
            cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        for name, document in list(role.policies.items()):
            if not isinstance(document, str):
                role.policies[name] = json.dumps(document)
        backend = iam_backends[account_id][get_partition(region_name)]
        for arn in cloudformation_json["Properties"].get("ManagedPolicyArns") or []:
            backend.attach_role_policy(arn, role.name)
        return role

    Role.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)


# --- DynamoDB ----------------------------------------------------------------------------------


@patch(
    "dynamodb-scan-select-count",
    moto="Scan with Select=COUNT answers with every matching item besides the count (Query leaves"
    " them out): counting a table of thousands of items sends them all, and serializing them is"
    " most of the server's work while a run is watched",
    aws="COUNT returns the number of matching items, rather than the matching items themselves"
    " (DynamoDB API Reference, Scan, Select): Count and ScannedCount, no Items",
)
def dynamodb_scan_select_count():
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.scan

    def scan(self):
        result = original(self)
        if str(self.body.get("Select", "")).upper() == "COUNT":
            result.result.pop("Items", None)
        return result

    DynamoHandler.scan = scan


# --- performance (no change of behaviour) -----------------------------------------------------


@patch(
    "sqs-queue-attributes-on-demand",
    moto="builds every queue attribute, counting all of the queue's messages three times, to read"
    " one of them (SendMessage reads ContentBasedDeduplication; GetQueueAttributes rebuilds them"
    " per name asked for): sending or sampling a queue that holds thousands of messages slows"
    " every request down",
    aws="(performance only: the same attributes and values) each attribute is computed when it is"
    " read",
)
def sqs_attributes_on_demand():
    import json
    from collections.abc import Mapping

    from moto.core.utils import camelcase_to_underscores
    from moto.sqs.models import Queue

    class Attributes(Mapping):
        def __init__(self, queue):
            self._queue = queue
            names = list(Queue.BASE_ATTRIBUTES)
            if queue.fifo_queue:
                names += Queue.FIFO_ATTRIBUTES
            if queue.kms_master_key_id:
                names += Queue.KMS_ATTRIBUTES
            if queue.policy:
                names.append("Policy")
            if queue.redrive_policy:
                names.append("RedrivePolicy")
            self._names = names

        def __getitem__(self, name):
            if name not in self._names:
                raise KeyError(name)
            if name == "Policy":
                value = self._queue.policy
            elif name == "RedrivePolicy":
                value = json.dumps(self._queue.redrive_policy)
            else:
                value = getattr(self._queue, camelcase_to_underscores(name))
            return str(value).lower() if isinstance(value, bool) else value

        def __iter__(self):
            return iter(self._names)

        def __len__(self):
            return len(self._names)

    Queue.attributes = property(lambda self: Attributes(self))


@patch(
    "sqs-concurrent-deletes",
    moto="DeleteMessage rebuilds the queue's message list without a lock, so two deletes at once (a"
    " few pollers deleting their batches) can put each other's message back: it reappears after"
    " its visibility timeout and is delivered again; a send at that moment can be lost",
    aws="a deleted message stays deleted, and a sent one is stored (SQS API Reference,"
    " DeleteMessage, SendMessage)",
)
def sqs_concurrent_deletes():
    from moto.sqs.models import Queue

    original = Queue.delete_message

    def delete_message(self, receipt_handle):
        # The same lock add_message takes, so sends and deletes never interleave.
        with self._messages_lock:
            original(self, receipt_handle)

    Queue.delete_message = delete_message


@patch(
    "server-service-list-once",
    moto="the server lists its package's folders (about 180 stat calls, 1.3 ms) on every request to"
    " find which service a host name is, holding the lock every request waits for",
    aws="(performance only: the same services) the folders are listed once",
)
def service_list_once():
    import functools

    from moto import backends

    original = backends.list_of_moto_modules
    backends.list_of_moto_modules = functools.cache(lambda: tuple(original()))
