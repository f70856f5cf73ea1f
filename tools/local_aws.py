"""A local AWS for the platform: a moto server on 127.0.0.1 and the real root module applied to it.

Used by the terraform tests (apply, check, destroy) and meant for reuse by end-to-end runs:

    with MotoServer() as server:
        platform = LocalPlatform(server.endpoint_url, workdir)
        outputs = platform.apply()           # terraform init + apply of terraform/
        ecs = platform.client("ecs")         # boto3 client bound to the moto server
        ...
        platform.destroy()

Or from a shell: ``python -m tools.local_aws up`` (keeps it running until Ctrl-C).

What moto cannot emulate is kept out of the configuration rather than faked (see
docs/deploy.md, "Local environment"). The page bucket is protected against destroy, so
``destroy`` takes it out of Terraform's state first and then deletes it through the API.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tools.build_lambda_zip import build as build_lambda_zip

REPO = Path(__file__).resolve().parents[1]
ROOT_MODULE = REPO / "terraform"
MOTO_SERVER = Path(sys.executable).with_name("moto_server")
REGION = "eu-central-1"
# moto accepts any credentials; fixed ones keep real ones out of local runs.
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
TERRAFORM_TIMEOUT_S = 600


class TerraformError(RuntimeError):
    """A terraform command failed; carries its output."""

    def __init__(self, args: list[str], result: subprocess.CompletedProcess):
        self.stdout, self.stderr = result.stdout, result.stderr
        super().__init__(f"terraform {' '.join(args)} exited {result.returncode}:\n"
                         f"{result.stderr[-4000:] or result.stdout[-4000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MotoServer:
    """A moto server on a free port of 127.0.0.1, stopped when the context ends."""

    def __init__(self, port: int | None = None, log_path: Path | None = None):
        self.port = port or free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> MotoServer:
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_ready()
        return self

    def command(self) -> list[str]:
        """The server process (e2e/ runs a launcher that fills one of moto's gaps)."""
        return [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(self.port)]

    def _wait_until_ready(self, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto server exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(f"{self.endpoint_url}/moto-api/", timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"moto server not ready on {self.endpoint_url} after {timeout_s}s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def terraform_cli_config(workdir: Path) -> str:
    """Path of a CLI config that uses the offline provider mirror, or '' where there is none."""
    result = subprocess.run(
        [str(REPO / "scripts" / "terraform-cli-config.sh"), str(workdir / "terraformrc")],
        check=True, capture_output=True, text=True,
    )
    return result.stdout.strip()


class LocalPlatform:
    """The real root module (terraform/) applied to a local endpoint, with private state.

    Everything Terraform writes (state, provider cache, plugin data) stays in ``workdir``,
    so several local platforms and the checked-out configuration never share files.
    """

    def __init__(self, endpoint_url: str, workdir: Path, variables: dict | None = None,
                 lambda_src: Path = REPO / "lambda_src"):
        self.endpoint_url = endpoint_url
        self.workdir = Path(workdir).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.state = self.workdir / "terraform.tfstate"
        lambda_zip = self.workdir / "scaler.zip"
        build_lambda_zip(lambda_src, lambda_zip)
        self.variables = {
            "aws_endpoint_url": endpoint_url,
            "region": REGION,
            "name_prefix": "eulereye-local",
            "image_tag": "local",
            "lambda_zip_path": str(lambda_zip),
            "alarm_subscription_waiver": "local emulator: nobody to notify",
            **(variables or {}),
        }
        self.env = self._environment()

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
        env.update(FAKE_CREDENTIALS, AWS_REGION=REGION, AWS_DEFAULT_REGION=REGION,
                   TF_DATA_DIR=str(self.workdir / ".terraform"), TF_IN_AUTOMATION="1")
        cli_config = terraform_cli_config(self.workdir)
        if cli_config:
            env["TF_CLI_CONFIG_FILE"] = cli_config
        return env

    def terraform(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(["terraform", f"-chdir={ROOT_MODULE}", *args], env=self.env,
                                capture_output=True, text=True, timeout=TERRAFORM_TIMEOUT_S)
        if check and result.returncode != 0:
            raise TerraformError(list(args), result)
        return result

    def _var_file(self) -> str:
        path = self.workdir / "local.tfvars.json"
        path.write_text(json.dumps(self.variables, indent=2))
        return f"-var-file={path}"

    def init(self) -> None:
        self.terraform("init", "-input=false", "-no-color", "-backend=false")

    def apply(self) -> dict:
        """Creates the whole platform; returns the root module's outputs."""
        self.init()
        self.terraform("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=30",
                       f"-state={self.state}", self._var_file())
        return self.outputs()

    def outputs(self) -> dict:
        result = self.terraform("output", "-json", f"-state={self.state}")
        return {name: value["value"] for name, value in json.loads(result.stdout).items()}

    def plan_json(self, variables: dict | None = None) -> dict:
        """The plan (as `terraform show -json`) for the current state with some variables changed."""
        saved = self.variables
        self.variables = {**saved, **(variables or {})}
        try:
            plan = self.workdir / "review.tfplan"
            self.terraform("plan", "-input=false", "-no-color", "-parallelism=30", f"-state={self.state}",
                           f"-out={plan}", self._var_file())
            return json.loads(self.terraform("show", "-json", str(plan)).stdout)
        finally:
            self.variables = saved

    def destroy_plain(self) -> subprocess.CompletedProcess:
        """`terraform destroy` as a user would type it (fails on the protected bucket)."""
        return self.terraform("destroy", "-auto-approve", "-input=false", "-no-color", "-refresh=false",
                              f"-state={self.state}", self._var_file(), check=False)

    def destroy(self) -> None:
        """Removes everything: the platform by Terraform, then the retained bucket by API."""
        bucket = self.outputs()["bucket_name"]
        self.terraform("state", "rm", f"-state={self.state}", "module.storage")
        self.terraform("destroy", "-auto-approve", "-input=false", "-no-color",
                       "-parallelism=30", f"-state={self.state}", self._var_file())
        self.delete_bucket(bucket)

    def delete_bucket(self, bucket: str) -> None:
        s3 = self.client("s3")
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
                s3.delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
        s3.delete_bucket(Bucket=bucket)

    def client(self, service: str):
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint_url, region_name=REGION,
                            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the platform on a local moto server.")
    parser.add_argument("command", choices=["up"], help="apply, wait for Ctrl-C, destroy")
    parser.add_argument("--workdir", type=Path, default=REPO / ".tf-local")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    with MotoServer(args.port, log_path=args.workdir / "moto.log") as server:
        platform = LocalPlatform(server.endpoint_url, args.workdir)
        print(f"moto server on {server.endpoint_url}; applying terraform/ ...", flush=True)
        print(json.dumps(platform.apply(), indent=2), flush=True)
        try:
            print("Platform is up. Ctrl-C destroys it and stops the server.", flush=True)
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            platform.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
