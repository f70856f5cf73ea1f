"""Cloud benchmarks; writes bench/CLOUD.md.

1. RunTask calls for a bulk upload: 10,000 pages arrive as 10,000 "Object Created" events, the
   scaler Lambda handler runs for every event (the worst case: no batching), plus the one-minute
   schedule; pages_per_task=200, max_tasks=50, 10% of RunTask calls throttled. ECS and SQS are
   moto (in-process). Target: at most 60 RunTask calls.
2. Worker cold start: ``python -m eulereye worker`` as a real process against a moto server on
   127.0.0.1, one page queued; from process start to "page started" (pipeline loaded) in the
   log. Target: at most 3 s.
"""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "lambda_src")]
FAKE_AWS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
os.environ.update(FAKE_AWS)

import boto3  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402
from moto import mock_aws  # noqa: E402

from tests.cloud.conftest import throttle_run_task  # noqa: E402

PAGES, PAGES_PER_TASK, MAX_TASKS = 10_000, 200, 50


def answer_backlog(sqs_client, backlog: dict) -> None:
    """Answer GetQueueAttributes from a counter of queued pages. moto's SQS recounts every
    message per attribute read (about 1 s at 5,000 messages), which makes 10,000 invocations
    unmeasurable; ``read_backlog`` against moto's real queue is covered in tests/cloud."""
    def reply(**_):
        return AWSResponse("https://x", 200, {}, None), {
            "Attributes": {"ApproximateNumberOfMessages": str(backlog["visible"]),
                           "ApproximateNumberOfMessagesNotVisible": "0",
                           "ApproximateNumberOfMessagesDelayed": "0"},
            "ResponseMetadata": {"HTTPStatusCode": 200}}

    sqs_client.meta.events.register("before-call.sqs.GetQueueAttributes", reply)


def bench_run_task_calls() -> dict:
    import scaler

    with mock_aws():
        sqs, ecs, ec2 = boto3.client("sqs"), boto3.client("ecs"), boto3.client("ec2")
        queue_url = sqs.create_queue(QueueName="work")["QueueUrl"]
        ecs.create_cluster(clusterName="eulereye")
        task_def = ecs.register_task_definition(
            family="eulereye-worker", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="1024",
            memory="4096", containerDefinitions=[{"name": "worker", "image": "w", "memory": 4096}],
        )["taskDefinition"]["taskDefinitionArn"]
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
        config = scaler.ScalerConfig(queue_url, "eulereye", task_def, "worker", (subnet,), (),
                                     max_tasks=MAX_TASKS, pages_per_task=PAGES_PER_TASK)
        sqs_client, ecs_client = scaler.aws_clients()
        backlog = {"visible": 0}
        answer_backlog(sqs_client, backlog)
        rng = random.Random(1)
        throttled = []

        def throttle(token: str) -> bool:
            if rng.random() < 0.10:
                throttled.append(token)
                return True
            return False

        attempts = throttle_run_task(ecs_client, throttle)  # botocore's retries meet it
        start = time.perf_counter()
        invocations = 0
        for batch in range(100):  # uploads arrive in 100 bursts of 100 pages
            for _ in range(100):
                backlog["visible"] += 1
                scaler.scale(sqs_client, ecs_client, config, f"event-{invocations}")
                invocations += 1
            if batch % 10 == 9:  # the one-minute schedule
                scaler.scale(sqs_client, ecs_client, config, f"tick-{batch}")
                invocations += 1
        tasks = len(ecs.list_tasks(cluster="eulereye", desiredStatus="RUNNING")["taskArns"])
        return {"invocations": invocations, "run_task_attempts": len(attempts),
                "throttled": len(throttled), "tasks": tasks, "seconds": round(time.perf_counter() - start, 1)}


def bench_cold_start() -> dict:
    from io import BytesIO

    from moto.server import ThreadedMotoServer
    from PIL import Image, ImageDraw

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        s3 = boto3.client("s3", endpoint_url=endpoint)
        sqs = boto3.client("sqs", endpoint_url=endpoint)
        s3.create_bucket(Bucket="archive")
        queue_url = sqs.create_queue(QueueName="work")["QueueUrl"]
        page = Image.new("L", (1200, 800), 255)
        ImageDraw.Draw(page).text((40, 40), "Cold start page", fill=0)
        buffer = BytesIO()
        page.save(buffer, format="PNG")
        results = []
        for run in range(3):
            key = f"input/cold{run}.png"
            s3.put_object(Bucket="archive", Key=key, Body=buffer.getvalue())
            sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(
                {"detail-type": "Object Created", "detail": {"bucket": {"name": "archive"}, "object": {"key": key}}}))
            env = {**os.environ, **FAKE_AWS, "AWS_ENDPOINT_URL": endpoint, "EULEREYE_BUCKET": "archive",
                   "EULEREYE_QUEUE_URL": queue_url, "EULEREYE_LOG_FORMAT": "json", "EULEREYE_IDLE_SECONDS": "1",
                   "PYTHONPATH": str(REPO)}
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "eulereye", "worker"], env=env, cwd=REPO,
                                    stderr=subprocess.PIPE, text=True)
            marks = {}
            for line in proc.stderr:
                event = json.loads(line).get("event") if line.startswith("{") else None
                if event in ("pipeline ready", "page started", "page finished") and event not in marks:
                    marks[event] = round(time.perf_counter() - start, 2)
            proc.wait()
            results.append({**marks, "exit": proc.returncode})
        return {"runs": results}
    finally:
        server.stop()


def main() -> None:
    scale = bench_run_task_calls()
    cold = bench_cold_start()
    firsts = [r.get("page started", float("nan")) for r in cold["runs"]]
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    text = f"""# Cloud benchmarks

Run with `make bench-cloud` (`bench/cloud.py`) on {date.today().isoformat()}, {machine}.

## RunTask calls for a 10,000-page bulk upload (target: at most 60)

{PAGES:,} pages arriving in 100 bursts of 100, the scaler handler invoked once per page event
({scale['invocations']:,} invocations, schedule ticks included), pages_per_task={PAGES_PER_TASK},
max_tasks={MAX_TASKS}, 10% of RunTask attempts answered with ThrottlingException. ECS in moto;
the queue's backlog is a counter answered through GetQueueAttributes (moto's SQS needs ~1 s per
attribute read at this size; `read_backlog` against moto's real queue is covered by the tests).

| invocations | RunTask attempts (incl. throttled retries) | throttled | tasks started | wall s |
|---|---|---|---|---|
| {scale['invocations']:,} | **{scale['run_task_attempts']}** | {scale['throttled']} | {scale['tasks']} | {scale['seconds']} |

## Worker cold start (target: at most 3 s)

`python -m eulereye worker` as a real process against a moto server on 127.0.0.1, one page
queued; seconds from process start to each log event (segmenter `auto`, Tesseract).

| run | pipeline ready | page started | page finished | exit code |
|---|---|---|---|---|
""" + "".join(f"| {i + 1} | {r.get('pipeline ready')} | {r.get('page started')} | {r.get('page finished')} | {r['exit']} |\n"
              for i, r in enumerate(cold["runs"])) + f"""
Worst first page under way: **{max(firsts)} s**.
"""
    (REPO / "bench" / "CLOUD.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
