"""What `make deploy` asks AWS before it changes anything, and the ECR login for `make push`.

    python tools/aws_deploy.py preflight [--for deploy|plan] [--chdir terraform]
    python tools/aws_deploy.py ecr-password --region REGION   # for docker login --password-stdin

preflight stops with a one-line message when AWS credentials (or, to deploy, a Docker engine)
are missing, and warns when an account's Fargate vCPU quota (Service Quotas) is below what
max_tasks needs, saying what to request: new accounts often have 6 vCPUs or fewer. Both quotas
count: the scaler starts on-demand tasks when Spot has no capacity.
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
ON_DEMAND_QUOTA = ("L-3032A538", "Fargate On-Demand vCPU resource count")
SPOT_QUOTA = ("L-36FBB829", "Fargate Spot vCPU resource count")


class PreflightError(Exception):
    """Something deployment needs is missing; the message says what to do."""


def terraform_init(chdir: Path) -> None:
    """`terraform init` of the root (providers, backend); its first error line if it fails."""
    result = subprocess.run(["terraform", f"-chdir={chdir}", "init", "-input=false", "-no-color"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        raise PreflightError(f"terraform init failed: {(errors or [result.stderr.strip()])[0]}")


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


def quotas_to_check(settings: dict) -> list[tuple[str, str]]:
    """On-demand always (the only capacity without Spot, the fallback with it), Spot with use_spot."""
    return [SPOT_QUOTA, ON_DEMAND_QUOTA] if settings["use_spot"] else [ON_DEMAND_QUOTA]


def quota_warnings(session, settings: dict) -> list[str]:
    """One warning per Fargate vCPU quota below max_tasks x task vCPUs, saying what to request."""
    from botocore.exceptions import BotoCoreError, ClientError

    client = session.client("service-quotas", region_name=settings["region"])
    needed, warnings = vcpus_needed(settings), []
    for code, name in quotas_to_check(settings):
        try:
            quota = client.get_service_quota(ServiceCode="fargate", QuotaCode=code)["Quota"]["Value"]
        except (BotoCoreError, ClientError) as exc:
            warnings.append(f"could not read the quota '{name}' ({exc}); check it in the Service Quotas console.")
            continue
        if quota < needed:
            warnings.append(
                f"'{name}' is {quota:g} vCPUs, but max_tasks={settings['max_tasks']} tasks of "
                f"{settings['task_cpu'] / 1024:g} vCPU need {needed}; tasks beyond it fail to start. "
                f"Lower max_tasks to {int(quota * 1024 // settings['task_cpu'])} or request {needed}: "
                f"aws service-quotas request-service-quota-increase --region {settings['region']} "
                f"--service-code fargate --quota-code {code} --desired-value {needed}")
    return warnings


def preflight(chdir: Path, verb: str = "deploy") -> int:
    import boto3

    try:
        # Credentials first: without them init (an S3 backend) and plan fail with long errors.
        account = check_credentials(boto3.Session())
        terraform_init(chdir)
        settings = deployment_settings(chdir)
        session = boto3.Session(region_name=settings["region"])
        if verb == "deploy":
            check_docker()
    except PreflightError as exc:
        print(f"make {verb}: {exc}", file=sys.stderr)
        return 1
    for warning in quota_warnings(session, settings):
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
    check = sub.add_parser("preflight", help="credentials, Docker engine, Fargate quotas")
    check.add_argument("--chdir", type=Path, default=Path("terraform"), help="root module")
    check.add_argument("--for", dest="verb", choices=("deploy", "plan"), default="deploy",
                       help="plan needs no Docker engine")
    login = sub.add_parser("ecr-password", help="print an ECR login password")
    login.add_argument("--region")
    args = parser.parse_args(argv)
    if args.command == "preflight":
        return preflight(args.chdir, args.verb)
    return ecr_password(args.region)


if __name__ == "__main__":
    sys.exit(main())
