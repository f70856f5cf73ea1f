"""What `make deploy` asks AWS before it changes anything, and the ECR login for `make push`.

    python tools/aws_deploy.py preflight [--chdir terraform]
    python tools/aws_deploy.py ecr-password --region REGION   # for docker login --password-stdin

preflight stops with a clear message when AWS credentials or a Docker engine are missing, and
warns when the account's Fargate vCPU quota (Service Quotas) is below what max_tasks needs:
new accounts often have 6 vCPUs or fewer.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

# Service Quotas codes of the Fargate vCPU quotas (service code "fargate").
FARGATE_QUOTAS = {False: ("L-3032A538", "Fargate On-Demand vCPU resource count"),
                  True: ("L-36FBB829", "Fargate Spot vCPU resource count")}


class PreflightError(Exception):
    """Something deployment needs is missing; the message says what to do."""


def deployment_settings(chdir: Path) -> dict:
    """max_tasks, task_cpu, use_spot and region as Terraform resolves them (tfvars included)."""
    expression = "jsonencode({max_tasks=var.max_tasks, task_cpu=var.task_cpu, use_spot=var.use_spot, region=var.region})"
    result = subprocess.run(["terraform", f"-chdir={chdir}", "console", "-var", "image_tag=preflight"],
                            input=expression, capture_output=True, text=True)
    if result.returncode != 0:
        raise PreflightError(f"cannot read the deployment's variables: {result.stderr.strip()}")
    return json.loads(json.loads(result.stdout.strip()))


def check_credentials(session) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        identity = session.client("sts").get_caller_identity()
    except (BotoCoreError, ClientError) as exc:
        raise PreflightError(f"no usable AWS credentials ({exc}). Configure them first, e.g. "
                             "`aws configure sso` or AWS_PROFILE / AWS_ACCESS_KEY_ID.") from exc
    return identity["Account"]


def check_docker() -> None:
    if shutil.which("docker") is None:
        raise PreflightError("the docker command is missing: install Docker to build the worker image.")
    if subprocess.run(["docker", "info"], capture_output=True).returncode != 0:
        raise PreflightError("no Docker engine is running (`docker info` failed): start Docker and retry.")


def vcpus_needed(settings: dict) -> int:
    return math.ceil(settings["max_tasks"] * settings["task_cpu"] / 1024)


def quota_warning(session, settings: dict) -> str | None:
    """A warning when the Fargate vCPU quota is below max_tasks x task vCPUs, else None."""
    from botocore.exceptions import BotoCoreError, ClientError

    code, name = FARGATE_QUOTAS[bool(settings["use_spot"])]
    client = session.client("service-quotas", region_name=settings["region"])
    try:
        quota = client.get_service_quota(ServiceCode="fargate", QuotaCode=code)["Quota"]["Value"]
    except (BotoCoreError, ClientError) as exc:
        return f"could not read the quota '{name}' ({exc}); check it in the Service Quotas console."
    needed = vcpus_needed(settings)
    if quota < needed:
        return (f"'{name}' is {quota:g} vCPUs, but max_tasks={settings['max_tasks']} tasks of "
                f"{settings['task_cpu'] / 1024:g} vCPU need {needed}. Tasks beyond the quota fail to "
                f"start: lower max_tasks or request an increase (Service Quotas, code {code}).")
    return None


def preflight(chdir: Path) -> int:
    import boto3

    try:
        settings = deployment_settings(chdir)
        session = boto3.Session(region_name=settings["region"])
        account = check_credentials(session)
        check_docker()
    except PreflightError as exc:
        print(f"make deploy: {exc}", file=sys.stderr)
        return 1
    warning = quota_warning(session, settings)
    if warning:
        print(f"WARNING: {warning}", file=sys.stderr)
    print(f"preflight ok: account {account}, region {settings['region']}, "
          f"up to {vcpus_needed(settings)} Fargate vCPUs")
    return 0


def ecr_password(region: str | None) -> int:
    import boto3

    token = boto3.client("ecr", region_name=region).get_authorization_token()
    encoded = token["authorizationData"][0]["authorizationToken"]
    print(base64.b64decode(encoded).decode().split(":", 1)[1])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("preflight", help="credentials, Docker engine, Fargate quota")
    check.add_argument("--chdir", type=Path, default=Path("terraform"))
    login = sub.add_parser("ecr-password", help="print an ECR login password")
    login.add_argument("--region")
    args = parser.parse_args(argv)
    if args.command == "preflight":
        return preflight(args.chdir)
    return ecr_password(args.region)


if __name__ == "__main__":
    sys.exit(main())
