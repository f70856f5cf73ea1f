"""Scaler Lambda: start just enough Fargate workers to drain the work queue.

Triggered by a one-minute schedule and by batches of upload nudges (an SQS event source mapping
gathers every upload's nudge for a window, so a bulk upload costs one invocation per window,
not one per object). Every invocation computes, from scratch,
``desired = min(max_tasks, ceil(backlog / pages_per_task))`` and starts ``desired - active``
tasks, so RunTask calls scale with tasks, not pages.

Runs on the python3.12 Lambda runtime with boto3 only (no eulereye import). Configuration
comes only from ``EULEREYE_*`` environment variables; endpoints from ``AWS_ENDPOINT_URL``.
Deploy it with reserved concurrency 1, so two invocations never both fill the same gap.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

RUN_TASK_MAX_COUNT = 10  # RunTask starts at most 10 tasks per call
STARTED_BY = "eulereye-scaler"
# RunTask tries per batch: botocore's standard retry mode repeats a throttled or failed call
# (throttling codes, 5xx, timeouts) with jittered exponential backoff, the same clientToken each time.
MAX_ATTEMPTS = 6
# A RunTask failure reason with this word means "no Spot capacity now" ("Capacity is unavailable
# at this time..."): those tasks go to on-demand FARGATE instead.
CAPACITY_REASON = "capacity"

log = logging.getLogger("eulereye.scaler")


class JsonFormatter(logging.Formatter):
    """One JSON object per line; ``extra={"fields": {...}}`` adds structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"level": record.levelname.lower(), "event": record.getMessage(),
                 "logger": record.name,
                 "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))}
        entry.update(getattr(record, "fields", {}))
        return json.dumps(entry, default=str)


def configure_logging(log_format: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    if log_format != "console":
        handler.setFormatter(JsonFormatter())
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False


def _event(message: str, level: int = logging.INFO, **fields) -> None:
    log.log(level, message, extra={"fields": fields})


# --- configuration ---------------------------------------------------------------------------

class ConfigError(ValueError):
    """A missing or malformed EULEREYE_* variable."""


@dataclass(frozen=True)
class ScalerConfig:
    queue_url: str
    cluster: str
    task_definition: str
    container_name: str
    subnets: tuple[str, ...]
    security_groups: tuple[str, ...]
    assign_public_ip: str = "DISABLED"
    max_tasks: int = 50
    pages_per_task: int = 200
    capacity: str = "FARGATE"
    log_format: str = "json"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ScalerConfig:
        def get(name: str, default: str | None = None) -> str:
            value = env.get(f"EULEREYE_{name}", "").strip() or default
            if value is None:
                raise ConfigError(f"EULEREYE_{name} is not set")
            return value

        def positive_int(name: str, default: str) -> int:
            raw = get(name, default)
            if not raw.isdigit() or int(raw) < 1:
                raise ConfigError(f"EULEREYE_{name} must be a positive integer, not {raw!r}")
            return int(raw)

        def csv(name: str) -> tuple[str, ...]:
            return tuple(p.strip() for p in get(name).split(",") if p.strip())

        config = cls(
            queue_url=get("QUEUE_URL"), cluster=get("CLUSTER"),
            task_definition=get("TASK_DEFINITION"), container_name=get("CONTAINER_NAME"),
            subnets=csv("SUBNETS"), security_groups=csv("SECURITY_GROUPS"),
            assign_public_ip=get("ASSIGN_PUBLIC_IP", "DISABLED"),
            max_tasks=positive_int("MAX_TASKS", "50"),
            pages_per_task=positive_int("PAGES_PER_TASK", "200"),
            capacity=get("CAPACITY", "FARGATE"), log_format=get("LOG_FORMAT", "json"))
        if config.capacity not in ("FARGATE", "FARGATE_SPOT"):
            raise ConfigError(f"EULEREYE_CAPACITY must be FARGATE or FARGATE_SPOT, not {config.capacity!r}")
        if config.assign_public_ip not in ("ENABLED", "DISABLED"):
            raise ConfigError("EULEREYE_ASSIGN_PUBLIC_IP must be ENABLED or DISABLED")
        if not config.subnets:
            raise ConfigError("EULEREYE_SUBNETS names no subnet")
        return config

    @property
    def family(self) -> str:
        """``arn:...:task-definition/eulereye-worker:7`` -> ``eulereye-worker``."""
        return self.task_definition.rsplit("/", 1)[-1].split(":", 1)[0]


# --- pure decisions ----------------------------------------------------------------------------

def desired_tasks(backlog: int, max_tasks: int, pages_per_task: int) -> int:
    return min(max_tasks, math.ceil(max(backlog, 0) / pages_per_task))


def launch_batches(desired: int, active: int) -> list[int]:
    """The counts of the RunTask calls that close the gap, at most 10 each."""
    gap = max(desired - active, 0)
    return [min(RUN_TASK_MAX_COUNT, gap - start) for start in range(0, gap, RUN_TASK_MAX_COUNT)]


def capacity_strategy(capacity: str) -> list[dict]:
    return [{"capacityProvider": capacity, "weight": 1, "base": 0}]


def client_token(invocation_id: str, batch: int, provider: str) -> str:
    """Idempotency token for one RunTask batch: the same for every retry of that batch (and for
    a Lambda retry of the same invocation, whose request id is unchanged), so a call that
    reached ECS before a throttle or timeout is not started twice. 64 characters at most."""
    return hashlib.sha256(f"{invocation_id}/{batch}/{provider}".encode()).hexdigest()[:64]


def is_capacity_failure(failure: dict) -> bool:
    return CAPACITY_REASON in (failure.get("reason") or "").lower()


# --- AWS reads and writes -------------------------------------------------------------------------

def read_backlog(sqs, queue_url: str) -> int:
    """Pages waiting or in progress: visible + in flight + delayed messages."""
    attrs = sqs.get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                        "ApproximateNumberOfMessagesDelayed"])["Attributes"]
    return sum(int(v) for v in attrs.values())


def count_active_tasks(ecs, cluster: str, family: str) -> int:
    """Our tasks that are running or about to (desired status RUNNING covers PENDING)."""
    paginator = ecs.get_paginator("list_tasks")
    pages = paginator.paginate(cluster=cluster, family=family, desiredStatus="RUNNING")
    return sum(len(page["taskArns"]) for page in pages)


def start_tasks(ecs, config: ScalerConfig, count: int, token: str,
                provider: str | None = None) -> tuple[int, list[dict], int]:
    """One RunTask call (botocore retries it on throttling and 5xx). Returns (tasks started,
    failures, retries it took)."""
    request = {
        "cluster": config.cluster, "taskDefinition": config.task_definition, "count": count,
        "startedBy": STARTED_BY, "clientToken": token,
        "capacityProviderStrategy": capacity_strategy(provider or config.capacity),
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": list(config.subnets), "securityGroups": list(config.security_groups),
            "assignPublicIp": config.assign_public_ip}},
        "propagateTags": "TASK_DEFINITION",
    }
    try:
        response = ecs.run_task(**request)
    except ClientError as exc:
        _event("run_task failed", logging.ERROR, error=str(exc),
               attempts=exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) + 1)
        raise
    retries = response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
    return len(response.get("tasks", [])), response.get("failures", []), retries


def scale(sqs, ecs, config: ScalerConfig, invocation_id: str) -> dict:
    """Read the backlog and our tasks, start tasks for the gap. Returns a summary."""
    backlog = read_backlog(sqs, config.queue_url)
    active = count_active_tasks(ecs, config.cluster, config.family)
    desired = desired_tasks(backlog, config.max_tasks, config.pages_per_task)
    batches = launch_batches(desired, active)
    started, fallback, failures, retries = 0, 0, [], 0
    for index, count in enumerate(batches):
        ok, failed, retried = start_tasks(ecs, config, count, client_token(invocation_id, index, config.capacity))
        started += ok
        retries += retried
        short = [f for f in failed if is_capacity_failure(f)]
        if config.capacity == "FARGATE_SPOT" and short:
            # No Spot capacity now: the same number of tasks on on-demand Fargate instead.
            ok, failed_again, retried = start_tasks(ecs, config, len(short),
                                                    client_token(invocation_id, index, "FARGATE"),
                                                    provider="FARGATE")
            started += ok
            retries += retried
            fallback += ok
            failed = [f for f in failed if not is_capacity_failure(f)] + failed_again
        failures += failed
    summary = {"backlog": backlog, "active": active, "desired": desired, "started": started,
               "run_task_calls": len(batches), "run_task_retries": retries, "on_demand_fallback": fallback,
               "failures": [f.get("reason") for f in failures]}
    _event("scaled", logging.WARNING if failures else logging.INFO, **summary)
    return summary


def aws_clients() -> tuple:
    """SQS and ECS clients. RunTask is retried by botocore's standard mode (see MAX_ATTEMPTS):
    every try carries the batch's client token, so none double-starts tasks."""
    ecs_config = BotoConfig(retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"})
    return boto3.client("sqs"), boto3.client("ecs", config=ecs_config)


def handler(event, context):
    config = ScalerConfig.from_env(os.environ)
    configure_logging(config.log_format)
    invocation_id = getattr(context, "aws_request_id", None) or str(uuid.uuid4())
    event = event or {}
    trigger = "upload nudges" if "Records" in event else event.get("detail-type") or event.get("source", "direct")
    _event("invoked", trigger=trigger, nudges=len(event.get("Records", [])), request_id=invocation_id)
    sqs, ecs = aws_clients()
    return scale(sqs, ecs, config, invocation_id)
