"""The scaler Lambda against moto (SQS + ECS), with RunTask throttling injected by a hook: on
the wire (botocore's ``before-send``), so botocore's standard retry mode meets it as it would
a throttled ECS."""

from __future__ import annotations

import json
import random
from types import SimpleNamespace

import boto3
import botocore.endpoint
import pytest
from moto import mock_aws

import scaler
from tests.cloud.conftest import ok_response, throttle_run_task

ENV = {
    "EULEREYE_CLUSTER": "eulereye", "EULEREYE_CONTAINER_NAME": "worker",
    "EULEREYE_SUBNETS": "subnet-a, subnet-b", "EULEREYE_SECURITY_GROUPS": "sg-1",
    "EULEREYE_ASSIGN_PUBLIC_IP": "DISABLED", "EULEREYE_MAX_TASKS": "50",
    "EULEREYE_PAGES_PER_TASK": "200", "EULEREYE_CAPACITY": "FARGATE",
}


def test_desired_tasks_rounds_up_and_caps():
    assert scaler.desired_tasks(0, 50, 200) == 0
    assert scaler.desired_tasks(1, 50, 200) == 1
    assert scaler.desired_tasks(201, 50, 200) == 2
    assert scaler.desired_tasks(10_000_000, 50, 200) == 50


def test_launch_batches_close_the_gap_ten_at_a_time():
    assert scaler.launch_batches(50, 0) == [10, 10, 10, 10, 10]
    assert scaler.launch_batches(23, 0) == [10, 10, 3]
    assert scaler.launch_batches(23, 20) == [3]
    assert scaler.launch_batches(5, 9) == []


def test_client_token_is_stable_per_batch_and_short():
    token = scaler.client_token("req-1", 0, "FARGATE")
    assert token == scaler.client_token("req-1", 0, "FARGATE")
    assert len(token) <= 64
    assert len({token, scaler.client_token("req-1", 1, "FARGATE"),
                scaler.client_token("req-2", 0, "FARGATE"),
                scaler.client_token("req-1", 0, "FARGATE_SPOT")}) == 4


def test_config_from_env_validates(monkeypatch):
    env = {**ENV, "EULEREYE_QUEUE_URL": "q", "EULEREYE_TASK_DEFINITION":
           "arn:aws:ecs:us-east-1:123456789012:task-definition/eulereye-worker:7"}
    config = scaler.ScalerConfig.from_env(env)
    assert config.subnets == ("subnet-a", "subnet-b")
    assert config.family == "eulereye-worker"
    with pytest.raises(scaler.ConfigError, match="EULEREYE_QUEUE_URL"):
        scaler.ScalerConfig.from_env({k: v for k, v in env.items() if k != "EULEREYE_QUEUE_URL"})
    with pytest.raises(scaler.ConfigError, match="MAX_TASKS"):
        scaler.ScalerConfig.from_env({**env, "EULEREYE_MAX_TASKS": "0"})
    with pytest.raises(scaler.ConfigError, match="CAPACITY"):
        scaler.ScalerConfig.from_env({**env, "EULEREYE_CAPACITY": "EC2"})


@pytest.fixture
def aws(monkeypatch):
    """A queue and a Fargate task definition in moto; the env the Lambda gets from Terraform."""
    with mock_aws():
        sqs = boto3.client("sqs")
        queue_url = sqs.create_queue(QueueName="eulereye-work")["QueueUrl"]
        ecs = boto3.client("ecs")
        ecs.create_cluster(clusterName="eulereye")
        task_def = ecs.register_task_definition(
            family="eulereye-worker", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
            cpu="1024", memory="4096",
            containerDefinitions=[{"name": "worker", "image": "eulereye:latest", "essential": True,
                                  "memory": 4096}],
        )["taskDefinition"]["taskDefinitionArn"]
        ec2 = boto3.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})  # moto needs it
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24")["Subnet"]["SubnetId"]
                   for i in range(2)]
        group = ec2.create_security_group(GroupName="worker", Description="worker", VpcId=vpc)["GroupId"]
        env = {**ENV, "EULEREYE_QUEUE_URL": queue_url, "EULEREYE_TASK_DEFINITION": task_def,
               "EULEREYE_SUBNETS": ",".join(subnets), "EULEREYE_SECURITY_GROUPS": group}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        yield SimpleNamespace(sqs=sqs, ecs=ecs, queue_url=queue_url, env=env)


def enqueue(sqs, queue_url: str, pages: int) -> None:
    for start in range(0, pages, 10):
        sqs.send_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "MessageBody": json.dumps({"detail": {"object": {"key": f"input/p{start + i}.tif"}}})}
            for i in range(min(10, pages - start))])


def running_tasks(ecs) -> int:
    return len(ecs.list_tasks(cluster="eulereye", family="eulereye-worker", desiredStatus="RUNNING")["taskArns"])


def record_run_task(ecs_client, answer=None) -> list[dict]:
    """Record the parameters of every RunTask attempt; ``answer(params)`` may answer an attempt
    in place of ECS (botocore's ``before-call`` short-circuit), returning None lets it through."""
    calls = []

    def record(params, **_):
        calls.append(dict(params))

    def reply(**_):
        return answer(calls[-1]) if answer else None

    ecs_client.meta.events.register("before-parameter-build.ecs.RunTask", record)
    ecs_client.meta.events.register("before-call.ecs.RunTask", reply)
    return calls


@pytest.fixture
def backoff(monkeypatch) -> list[float]:
    """The waits botocore's retries ask for, not slept."""
    waits = []
    monkeypatch.setattr(botocore.endpoint, "time", SimpleNamespace(sleep=waits.append))
    return waits


def test_handler_starts_tasks_for_the_backlog_and_not_again(aws, capsys, monkeypatch):
    monkeypatch.setenv("EULEREYE_PAGES_PER_TASK", "20")
    enqueue(aws.sqs, aws.queue_url, 45)
    event = {"detail-type": "Object Created", "source": "aws.s3"}
    summary = scaler.handler(event, SimpleNamespace(aws_request_id="req-1"))
    assert summary["desired"] == 3 and summary["started"] == 3 and summary["run_task_calls"] == 1
    assert running_tasks(aws.ecs) == 3
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert logged[-1]["event"] == "scaled" and logged[-1]["started"] == 3

    again = scaler.handler({"source": "aws.events"}, SimpleNamespace(aws_request_id="req-2"))
    assert again["started"] == 0 and again["run_task_calls"] == 0
    assert running_tasks(aws.ecs) == 3


def test_run_task_request_shape(aws):
    enqueue(aws.sqs, aws.queue_url, 1)
    config = scaler.ScalerConfig.from_env(aws.env)
    _, ecs = scaler.aws_clients()
    calls = record_run_task(ecs)
    scaler.scale(aws.sqs, ecs, config, "req-1")
    (request,) = calls
    assert request["count"] == 1
    assert request["capacityProviderStrategy"] == [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}]
    assert "launchType" not in request
    assert request["networkConfiguration"]["awsvpcConfiguration"] == {
        "subnets": list(config.subnets), "securityGroups": list(config.security_groups),
        "assignPublicIp": "DISABLED"}
    assert request["clientToken"] == scaler.client_token("req-1", 0, "FARGATE")


def test_ten_percent_throttling_still_reaches_desired_with_same_tokens(aws, backoff):
    enqueue(aws.sqs, aws.queue_url, 100)  # 2 pages per task: 50 tasks (moto's SQS is slow in bulk)
    config = scaler.ScalerConfig.from_env({**aws.env, "EULEREYE_PAGES_PER_TASK": "2"})
    _, ecs = scaler.aws_clients()
    rng = random.Random(7)
    throttled = []

    def throttle_one_in_ten(token):
        if not throttled or rng.random() < 0.10:  # the first try always, then 10%
            throttled.append(token)
            return True
        return False

    tokens = throttle_run_task(ecs, throttle_one_in_ten)
    summary = scaler.scale(aws.sqs, ecs, config, "req-1")
    assert summary["started"] == 50 and running_tasks(aws.ecs) == 50
    assert summary["run_task_retries"] == len(backoff) == len(throttled) >= 1
    assert all(0 <= wait <= 20 for wait in backoff)  # jittered, capped by botocore
    # every retried batch kept its token; distinct batches had distinct tokens
    assert len(set(tokens)) == 5
    assert all(t in tokens[tokens.index(t) + 1:] for t in throttled)


def test_throttling_that_never_ends_raises(aws, backoff):
    enqueue(aws.sqs, aws.queue_url, 5)
    config = scaler.ScalerConfig.from_env(aws.env)
    _, ecs = scaler.aws_clients()
    tokens = throttle_run_task(ecs, lambda token: True)
    with pytest.raises(scaler.ClientError, match="ThrottlingException"):
        scaler.scale(aws.sqs, ecs, config, "req-1")
    assert len(tokens) == scaler.MAX_ATTEMPTS and len(set(tokens)) == 1
    assert running_tasks(aws.ecs) == 0


def test_spot_without_capacity_falls_back_to_on_demand(aws):
    enqueue(aws.sqs, aws.queue_url, 6)
    config = scaler.ScalerConfig.from_env({**aws.env, "EULEREYE_CAPACITY": "FARGATE_SPOT",
                                           "EULEREYE_PAGES_PER_TASK": "2"})
    _, ecs = scaler.aws_clients()

    def no_spot(params):
        if params["capacityProviderStrategy"][0]["capacityProvider"] == "FARGATE_SPOT":
            return ok_response({"tasks": [], "failures": [
                {"arn": "x", "reason": "Capacity is unavailable at this time."}] * params["count"]})
        return None

    calls = record_run_task(ecs, no_spot)
    summary = scaler.scale(aws.sqs, ecs, config, "req-1")
    assert summary["started"] == 3 and summary["on_demand_fallback"] == 3
    assert [c["capacityProviderStrategy"][0]["capacityProvider"] for c in calls] == ["FARGATE_SPOT", "FARGATE"]
    assert running_tasks(aws.ecs) == 3


def test_in_flight_messages_count_toward_backlog(aws):
    enqueue(aws.sqs, aws.queue_url, 30)
    aws.sqs.receive_message(QueueUrl=aws.queue_url, MaxNumberOfMessages=10, VisibilityTimeout=60)
    assert scaler.read_backlog(aws.sqs, aws.queue_url) == 30
