"""The whole platform on this machine: moto server, fault proxy, ``terraform apply`` of the real
root module (``tools/local_aws.py``), and the runner that plays Lambda and Fargate.

    with LocalCloud(workdir) as cloud:
        cloud.eulereye("upload", "pages/", "--bucket", cloud.bucket)

Everything lives under ``workdir`` (state, logs, the Lambda code, task logs); nothing touches
the repository's ``terraform/`` state or real AWS.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from e2e.faultproxy import FaultPlan, FaultProxy
from e2e.localaws import PlatformMotoServer, aws_env
from e2e.runner import KillPlan, TaskRunner, host_env
from tools.local_aws import LocalPlatform

REPO = Path(__file__).resolve().parents[1]

# The root module's variables for a small local deployment: a few one-vCPU workers and the
# shortest visibility timeout the queue module takes, so a crashed page returns in seconds.
LOCAL_VARIABLES = {
    "name_prefix": "e2e",
    "max_tasks": 3,
    "pages_per_task": 50,
    "task_cpu": 1024,
    "task_memory": 2048,
    "visibility_timeout_seconds": 30,
    "max_receive_count": 5,
    "use_spot": False,
}


class LocalCloud:
    def __init__(self, workdir: Path, variables: dict | None = None, schedule_s: float = 2.0):
        self.workdir = Path(workdir).resolve()
        self.variables = {**LOCAL_VARIABLES, **(variables or {})}
        self.schedule_s = schedule_s
        self.moto = PlatformMotoServer(log_path=self.workdir / "moto.log")
        self.platform: LocalPlatform | None = None
        self.proxy: FaultProxy | None = None
        self.runner: TaskRunner | None = None
        self.outputs: dict = {}

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> LocalCloud:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.moto.__enter__()
        self.proxy = FaultProxy(self.moto.endpoint_url).start()
        self.platform = LocalPlatform(self.moto.endpoint_url, self.workdir / "terraform",
                                      self.variables)
        self.outputs = self.platform.apply()
        self.runner = TaskRunner(aws=self.aws, client_url=self.proxy.url,
                                 cluster=self.outputs["cluster_name"],
                                 function_name=self.scaler_function(),
                                 lambda_zip=Path(self.platform.variables["lambda_zip_path"]),
                                 workdir=self.workdir, schedule_s=self.schedule_s,
                                 nudge_queue_url=self.outputs["nudge_queue_url"]).start()
        return self

    def stop(self) -> None:
        if self.runner:
            self.runner.stop()
        if self.proxy:
            self.proxy.stop()
        self.moto.__exit__(None, None, None)

    def __enter__(self) -> LocalCloud:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- faults ---------------------------------------------------------------------------------
    def inject(self, faults: FaultPlan = FaultPlan(), kills: KillPlan = KillPlan()) -> None:
        self.proxy.set_plan(faults)
        self.runner.set_kill_plan(kills)

    # -- what a user sees ---------------------------------------------------------------------
    @property
    def bucket(self) -> str:
        return self.outputs["bucket_name"]

    @property
    def input_prefix(self) -> str:
        return self.outputs["input_uri"].removeprefix(f"s3://{self.bucket}/")

    @property
    def output_prefix(self) -> str:
        return self.outputs["output_uri"].removeprefix(f"s3://{self.bucket}/")

    def client_env(self) -> dict[str, str]:
        """A user's shell pointed at the local platform (through the fault proxy)."""
        return {**host_env(), **aws_env(self.proxy.url)}

    def eulereye(self, *args: str, timeout_s: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "eulereye", "--log-format", "json", *args],
                              env=self.client_env(), capture_output=True, text=True, cwd=REPO,
                              timeout=timeout_s)

    def aws(self, service: str):
        """A client straight to moto, for the runner and for checks that must not see faults."""
        return self.platform.client(service)

    def scaler_function(self) -> str:
        functions = self.aws("lambda").list_functions()["Functions"]
        if len(functions) != 1:
            raise RuntimeError(f"expected the scaler as the one Lambda function, found {functions}")
        return functions[0]["FunctionName"]

    def backlog(self, queue_url: str) -> int:
        attrs = self.aws("sqs").get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages",
                                                "ApproximateNumberOfMessagesNotVisible",
                                                "ApproximateNumberOfMessagesDelayed"])
        return sum(int(v) for v in attrs["Attributes"].values())
