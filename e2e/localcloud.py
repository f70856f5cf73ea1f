"""The whole platform on this machine: moto server, fault proxy, ``terraform apply`` of the real
root module, and the runner that plays Lambda and Fargate.

    with LocalCloud(workdir) as cloud:
        cloud.eulereye("upload", "pages/", "--bucket", cloud.bucket)

Everything lives under ``workdir`` (state, logs, the Lambda code, task logs); nothing touches
the repository's own ``terraform/`` state or real AWS.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from e2e.faultproxy import FaultPlan, FaultProxy
from e2e.localaws import MotoServer, aws_env, client
from e2e.runner import KillPlan, TaskRunner, host_env

REPO = Path(__file__).resolve().parents[1]

# The root module's variables for a small local deployment: a few one-vCPU workers, short
# timeouts so redelivery after a crash takes seconds, not minutes.
LOCAL_VARIABLES = {
    "name_prefix": "e2e",
    "image_tag": "local",
    "max_tasks": 3,
    "pages_per_task": 50,
    "task_cpu": 1024,
    "task_memory": 2048,
    "visibility_timeout_seconds": 30,
    "max_receive_count": 5,
}


def terraform_cli_env() -> dict[str, str]:
    """The provider mirror config (as the Makefile exports it) and a shared plugin cache, so
    each init links the provider instead of copying it."""
    env = {"TF_IN_AUTOMATION": "1", "TF_PLUGIN_CACHE_DIR": str(REPO / ".tfcli" / "plugin-cache")}
    Path(env["TF_PLUGIN_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
    if not Path(os.environ.get("TF_CLI_CONFIG_FILE", "")).is_file():
        config = subprocess.run([str(REPO / "scripts" / "terraform-cli-config.sh")],
                                capture_output=True, text=True, check=True, cwd=REPO).stdout.strip()
        if config:
            env["TF_CLI_CONFIG_FILE"] = config
    return env


def terraform_apply(endpoint: str, workdir: Path, variables: dict) -> dict:
    """Applies a copy of ``terraform/`` (the user's backend.tf left out: state stays local in
    ``workdir``) against ``endpoint``; returns the root module's outputs."""
    root = workdir / "terraform"
    root.mkdir(parents=True, exist_ok=True)
    for tf in (REPO / "terraform").glob("*.tf"):
        if tf.name != "backend.tf":
            shutil.copy(tf, root / tf.name)
    modules = workdir / "modules"
    if not modules.exists():
        modules.symlink_to(REPO / "modules")
    (root / "local.auto.tfvars.json").write_text(json.dumps(
        {**variables, "aws_endpoint_url": endpoint}, indent=1))
    env = {**os.environ, **aws_env(endpoint), **terraform_cli_env()}
    log_path = workdir / "terraform.log"
    with open(log_path, "ab") as log:
        for command in (["init", "-input=false", "-no-color"],
                        ["apply", "-auto-approve", "-input=false", "-no-color"]):
            if subprocess.run(["terraform", f"-chdir={root}", *command], env=env, stdout=log,
                              stderr=subprocess.STDOUT).returncode:
                raise RuntimeError(f"terraform {command[0]} failed:\n"
                                   + log_path.read_text()[-4000:])
    raw = subprocess.run(["terraform", f"-chdir={root}", "output", "-json"], env=env,
                         capture_output=True, text=True, check=True).stdout
    return {name: value["value"] for name, value in json.loads(raw).items()}


class LocalCloud:
    def __init__(self, workdir: Path, variables: dict | None = None, schedule_s: float = 2.0):
        self.workdir = Path(workdir)
        self.variables = {**LOCAL_VARIABLES, **(variables or {})}
        self.schedule_s = schedule_s
        self.moto = MotoServer(self.workdir / "moto.log")
        self.proxy: FaultProxy | None = None
        self.runner: TaskRunner | None = None
        self.outputs: dict = {}

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> LocalCloud:
        started = time.perf_counter()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.moto.start()
        self.proxy = FaultProxy(self.moto.url).start()
        lambda_zip = build_lambda_zip()
        self.outputs = terraform_apply(self.moto.url, self.workdir,
                                       {**self.variables, "lambda_zip_path": str(lambda_zip)})
        self.runner = TaskRunner(moto_url=self.moto.url, client_url=self.proxy.url,
                                 cluster=self.outputs["cluster_name"],
                                 function_name=self.scaler_function(), lambda_zip=lambda_zip,
                                 workdir=self.workdir, schedule_s=self.schedule_s).start()
        self.startup_s = time.perf_counter() - started
        return self

    def stop(self) -> None:
        if self.runner:
            self.runner.stop()
        if self.proxy:
            self.proxy.stop()
        self.moto.stop()

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
        """A client straight to moto, for checks that must not see injected faults."""
        return client(service, self.moto.url)

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


def build_lambda_zip() -> Path:
    """The scaler package, built by the Makefile as for a real deployment."""
    subprocess.run(["make", "-s", "lambda-zip"], cwd=REPO, check=True)
    return REPO / "build" / "scaler.zip"
