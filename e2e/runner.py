"""The local runner: plays the parts of AWS that moto records but does not run.

- the Lambda service and the EventBridge schedule: every ``schedule_s`` seconds it invokes the
  scaler's handler, from the deployed zip, with the function's environment read back from the
  Lambda API (a compressed clock: the platform's schedule is one minute). That invocation is
  asynchronous, as EventBridge's is: it waits while the function is busy (its reserved
  concurrency, from the Lambda API) for at most the maximum event age, a failure is retried
  the configured number of times, and an event that never succeeded goes to the on-failure
  destination (the scaler's failure queue), with Lambda's record;
- the SQS event source mapping of the upload nudges: it gathers the nudge queue's messages for
  ``nudge_window_s`` (up to 10,000), invokes the scaler once with the batch (waiting for the
  function to be free) and deletes it, as Lambda does (the platform's window is 20 s);
- Fargate: for every task that RunTask started (read from the ECS API) it runs the task's
  container command as a process, with exactly the environment of the task definition and the
  task's overrides, plus what Fargate itself provides (region, role credentials, endpoint);
  when the process exits it stops the task, when the task is stopped it stops the process.

Fault injection: ``KillPlan`` kills chosen worker processes with SIGKILL (the whole process
group, as when a container dies) in the middle of a page, and kills the one process that takes
a poison page (a page that crashes whatever process reads it) each time it starts it.
"""

from __future__ import annotations

import json
import math
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from e2e.localaws import aws_env, die_with_parent

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO / "image" / "Dockerfile"
# Log events of the page pipeline between taking a page and writing its manifest.
MID_PAGE_EVENTS = ("straightened", "segmented", "recognised")
STOP_GRACE_S = 10


@dataclass(frozen=True)
class KillPlan:
    fraction: float = 0.0  # of the worker processes started
    minimum: int = 0  # and at least this many, so a short run still sees kills
    within_pages: int = 20  # a killed process dies during one of its first N pages
    seed: int = 0
    poison_keys: tuple[str, ...] = ()  # a page whose key ends so kills its process, every time


def image_command(dockerfile: Path = DOCKERFILE) -> tuple[list[str], list[str]]:
    """The worker image's (ENTRYPOINT, CMD), exec form, as the Dockerfile declares them."""
    found = {"ENTRYPOINT": [], "CMD": []}
    for line in dockerfile.read_text().splitlines():
        instruction, _, argument = line.strip().partition(" ")
        if instruction.upper() in found:
            found[instruction.upper()] = json.loads(argument)  # the last one counts
    return found["ENTRYPOINT"], found["CMD"]


def local_command(command: list[str]) -> list[str]:
    """The container's command as a local process: ``eulereye`` is this repository's package."""
    if command and command[0] == "eulereye":
        return [sys.executable, "-m", "eulereye", *command[1:]]
    return command


def host_env() -> dict[str, str]:
    """The little a process needs from this machine (the image has its own PATH, Tesseract)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TESSDATA_PREFIX")
    return {**{k: os.environ[k] for k in keep if k in os.environ}, "PYTHONPATH": str(REPO)}


class WorkerProcess:
    """One Fargate task's container, as a process group; its output goes to ``log_path``."""

    def __init__(self, task_arn: str, command: list[str], env: dict[str, str], log_path: Path,
                 kill_at: tuple[int, str] | None = None, poison_keys: tuple[str, ...] = ()):
        self.task_arn = task_arn
        self.log_path = log_path
        self.kill_at = kill_at  # (page index, event): SIGKILL when that event is logged
        self.poison_keys = poison_keys
        self.killed = False
        self.poisoned = 0  # page processes killed by a poison page
        self.events: Counter[str] = Counter()
        self.page_events: Counter[tuple[str, str]] = Counter()  # (event, page): e.g. "skipped"
        self.started_at = time.monotonic()
        self.ended_at: float | None = None  # when the process had exited and its output ended
        self.process = subprocess.Popen(local_command(command), env=env, cwd=REPO,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        preexec_fn=die_with_parent)
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()

    def _read_log(self) -> None:
        with open(self.log_path, "wb") as log:
            for line in self.process.stdout:
                log.write(line)
                log.flush()
                self._observe(line)
        self.process.wait()
        self.ended_at = time.monotonic()

    def _observe(self, line: bytes) -> None:
        try:
            entry = json.loads(line)
        except ValueError:
            return
        if not isinstance(entry, dict):
            return
        name = entry.get("event", "")
        self.events[name] += 1
        if "page" in entry:
            self.page_events[(name, entry["page"])] += 1
        if self.kill_at and (self.events[name] - 1, name) == self.kill_at:
            self.kill()
        if name == "page started" and str(entry.get("key", "")).endswith(self.poison_keys or ("\0",)):
            self._poison(entry.get("pid"))

    def _poison(self, pid) -> None:
        """The page crashes the process reading it (as a segfault in a decoder would)."""
        try:
            os.kill(int(pid), signal.SIGKILL)
            self.poisoned += 1
        except (ProcessLookupError, TypeError, ValueError):
            pass

    def kill(self) -> None:
        self.killed = True
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        """What ECS StopTask does: SIGTERM, then SIGKILL after a grace period."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(STOP_GRACE_S)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            self.kill()
        self.process.wait()

    def finished(self) -> bool:
        if self.process.poll() is None:
            return False
        self._reader.join(5)
        return True


class TaskRunner:
    """Runs the scaler on a schedule and a process per running ECS task, in two threads."""

    def __init__(self, *, aws, client_url: str, cluster: str, function_name: str,
                 lambda_zip: Path, workdir: Path, schedule_s: float = 2.0,
                 kill_plan: KillPlan = KillPlan(), nudge_queue_url: str | None = None,
                 nudge_window_s: float = 2.0):
        self.aws = aws  # service -> client straight to moto: the runner is AWS, not a client
        self.client_url = client_url  # what tasks and the Lambda see (through the fault proxy)
        self.cluster = cluster
        self.function_name = function_name
        self.workdir = workdir
        self.schedule_s = schedule_s
        self.kill_plan = kill_plan
        self.workers: dict[str, WorkerProcess] = {}
        self.finished: list[WorkerProcess] = []
        self._random = random.Random(kill_plan.seed)
        self._planned_kills = self._processes_under_plan = 0
        (workdir / "tasks").mkdir(parents=True, exist_ok=True)
        self._ecs = aws("ecs")
        self._task_definitions: dict[str, dict] = {}
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._code_dir = self._unpack(lambda_zip)
        self.nudge_queue_url = nudge_queue_url
        self.nudge_window_s = nudge_window_s
        self.invocations: Counter[str] = Counter()  # scaler invocations per trigger
        self.nudges_taken = 0
        self._async = self._async_invoke_config()
        reserved = self.aws("lambda").get_function_concurrency(FunctionName=function_name)
        self._concurrency = threading.BoundedSemaphore(
            reserved.get("ReservedConcurrentExecutions") or 1000)  # Lambda's regional default
        self._threads = [threading.Thread(target=self._loop, args=(self.invoke_on_schedule, schedule_s),
                                          name="scaler-schedule", daemon=True),
                         threading.Thread(target=self._loop, args=(self.sync_tasks, 0.5),
                                          name="fargate", daemon=True)]
        if nudge_queue_url:
            self._threads.append(threading.Thread(target=self._loop, args=(self.drain_nudges, 0.2),
                                                  name="nudge-mapping", daemon=True))

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> TaskRunner:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(60)
        with self._lock:
            for arn, worker in list(self.workers.items()):
                worker.stop()
                self._retire(arn, worker, "runner shut down")

    def set_kill_plan(self, plan: KillPlan) -> None:
        with self._lock:
            self.kill_plan = plan
            for worker in self.workers.values():  # poison pages kill in running tasks too
                worker.poison_keys = plan.poison_keys
            self._random = random.Random(plan.seed)
            self._planned_kills = self._processes_under_plan = 0

    def _loop(self, step, interval_s: float) -> None:
        while not self._stopping.is_set():
            try:
                step()
            except Exception as exc:  # keep playing AWS; the log shows what went wrong
                print(f"runner: {step.__name__} failed: {exc!r}", file=sys.stderr)
            self._stopping.wait(interval_s)

    # -- Lambda ---------------------------------------------------------------------------------
    def _unpack(self, lambda_zip: Path) -> Path:
        code_dir = self.workdir / "lambda"
        with zipfile.ZipFile(lambda_zip) as archive:
            archive.extractall(code_dir)
        return code_dir

    def _async_invoke_config(self) -> dict:
        """Retries, maximum event age and on-failure queue of asynchronous invocations."""
        config = self.aws("lambda").get_function_event_invoke_config(FunctionName=self.function_name)
        destination = config.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination", "")
        queue_url = self.aws("sqs").get_queue_url(QueueName=destination.rsplit(":", 1)[-1])["QueueUrl"] \
            if ":sqs:" in destination else None
        return {"retries": config.get("MaximumRetryAttempts", 2),
                "max_age_s": config.get("MaximumEventAgeInSeconds", 21600), "on_failure": queue_url,
                "function_arn": config.get("FunctionArn", self.function_name)}

    def invoke_on_schedule(self) -> None:
        """The schedule's asynchronous invocation: waits for a free concurrency slot (at most
        the maximum event age), retried on failure; what never succeeded goes to the
        on-failure destination."""
        event = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}
        condition = "RetriesExhausted"
        for attempt in range(1 + self._async["retries"]):
            if not self._concurrency.acquire(timeout=self._async["max_age_s"]):
                condition = "EventAgeExceeded"
                break
            try:
                if self.invoke_scaler(event):
                    return
            finally:
                self._concurrency.release()
        self._send_to_failure_destination(event, condition, attempt + 1)

    def _send_to_failure_destination(self, event: dict, condition: str, attempts: int) -> None:
        self.invocations["failed"] += 1
        if self._async["on_failure"]:
            record = {"version": "1.0", "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                      "requestContext": {"functionArn": self._async["function_arn"], "condition": condition,
                                         "approximateInvokeCount": attempts},
                      "requestPayload": event}
            self.aws("sqs").send_message(QueueUrl=self._async["on_failure"], MessageBody=json.dumps(record))

    def invoke_scaler(self, event: dict) -> bool:
        """One invocation of the handler; True when it succeeded."""
        config = self.aws("lambda").get_function_configuration(
            FunctionName=self.function_name)
        env = {**host_env(), **aws_env(self.client_url),
               **config.get("Environment", {}).get("Variables", {})}
        env.pop("PYTHONPATH")  # the Lambda runtime sees only its own code
        self.invocations["nudges" if "Records" in event else "schedule"] += 1
        with open(self.workdir / "scaler.log", "ab") as log:
            done = subprocess.run(  # a failed invocation is in scaler.log
                [sys.executable, str(REPO / "e2e" / "invoke_lambda.py"), str(self._code_dir),
                 config["Handler"]],
                input=json.dumps(event).encode(), stdout=log, stderr=subprocess.STDOUT,
                env=env, timeout=config.get("Timeout", 60))
        return done.returncode == 0

    def drain_nudges(self, batch_limit: int = 10_000) -> None:
        """Lambda's SQS event source mapping: gather nudges for a window, one invocation per
        batch, the batch deleted when the handler succeeded (else it returns to the queue)."""
        sqs = self.aws("sqs")
        first = sqs.receive_message(QueueUrl=self.nudge_queue_url, MaxNumberOfMessages=10,
                                    WaitTimeSeconds=1).get("Messages", [])
        if not first:
            return
        batch, deadline = list(first), time.monotonic() + self.nudge_window_s
        while len(batch) < batch_limit and time.monotonic() < deadline:
            batch += sqs.receive_message(QueueUrl=self.nudge_queue_url, MaxNumberOfMessages=10,
                                         WaitTimeSeconds=0).get("Messages", [])
        records = [{"eventSource": "aws:sqs", "messageId": m["MessageId"], "body": m["Body"]}
                   for m in batch]
        with self._concurrency:  # the mapping's poller waits while the function is busy
            if not self.invoke_scaler({"Records": records}):
                return  # the batch returns to the queue after its visibility timeout
        for start in range(0, len(batch), 10):
            sqs.delete_message_batch(QueueUrl=self.nudge_queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(batch[start:start + 10])])
        self.nudges_taken += len(batch)  # taken: handled and deleted

    # -- Fargate --------------------------------------------------------------------------------
    def sync_tasks(self) -> None:
        running = set()
        for page in self._ecs.get_paginator("list_tasks").paginate(
                cluster=self.cluster, desiredStatus="RUNNING"):
            running.update(page["taskArns"])
        with self._lock:
            new = sorted(running - set(self.workers))
            if new:
                for task in self._ecs.describe_tasks(cluster=self.cluster, tasks=new)["tasks"]:
                    self._launch(task)
            for arn, worker in list(self.workers.items()):
                if arn not in running:  # stopped through the ECS API
                    worker.stop()
                    self._retire(arn, worker, None)
                elif worker.finished():
                    self._retire(arn, worker, f"Essential container exited with code "
                                              f"{worker.process.returncode}")

    def _retire(self, arn: str, worker: WorkerProcess, stop_reason: str | None) -> None:
        worker.finished()
        del self.workers[arn]
        self.finished.append(worker)
        if stop_reason:
            self._ecs.stop_task(cluster=self.cluster, task=arn, reason=stop_reason)

    def _container(self, task_definition_arn: str) -> dict:
        if task_definition_arn not in self._task_definitions:
            definition = self._ecs.describe_task_definition(
                taskDefinition=task_definition_arn)["taskDefinition"]
            essential = [c for c in definition["containerDefinitions"] if c.get("essential", True)]
            if len(essential) != 1:
                raise RuntimeError(f"{task_definition_arn}: expected one essential container")
            self._task_definitions[task_definition_arn] = essential[0]
        return self._task_definitions[task_definition_arn]

    def _launch(self, task: dict) -> None:
        container = self._container(task["taskDefinitionArn"])
        override = next((o for o in task.get("overrides", {}).get("containerOverrides", [])
                         if o.get("name") == container["name"]), {})
        env = {**host_env(), **aws_env(self.client_url),
               **{e["name"]: e["value"] for e in container.get("environment", [])},
               **{e["name"]: e["value"] for e in override.get("environment", [])}}
        entrypoint, cmd = image_command()
        command = (container.get("entryPoint") or entrypoint) + \
            (override.get("command") or container.get("command") or cmd)
        task_id = task["taskArn"].rsplit("/", 1)[-1]
        kill_at = self._kill_point()
        self.workers[task["taskArn"]] = WorkerProcess(
            task["taskArn"], command, env, self.workdir / "tasks" / f"{task_id}.log", kill_at,
            self.kill_plan.poison_keys)
        (self.workdir / "tasks" / f"{task_id}.env.json").write_text(json.dumps(
            {"command": command, "environment": {k: v for k, v in env.items()
                                                 if k.startswith(("EULEREYE_", "AWS_REGION"))}},
            indent=1))

    def _kill_point(self) -> tuple[int, str] | None:
        """Whether this new process is to die, and at which page and step."""
        plan = self.kill_plan
        self._processes_under_plan += 1
        wanted = max(plan.minimum, math.ceil(plan.fraction * self._processes_under_plan))
        if self._planned_kills >= wanted:
            return None
        self._planned_kills += 1
        return self._random.randrange(plan.within_pages), self._random.choice(MID_PAGE_EVENTS)

    # -- reading ------------------------------------------------------------------------------
    def all_workers(self) -> list[WorkerProcess]:
        with self._lock:
            return [*self.finished, *self.workers.values()]

    def page_events(self, event: str) -> Counter[str]:
        """Per page, how often workers logged ``event`` ("skipped": found already done)."""
        counts: Counter[str] = Counter()
        for worker in self.all_workers():
            counts.update({page: n for (name, page), n in worker.page_events.items() if name == event})
        return counts
