"""`make destroy`: remove the platform in one go, keeping the page bucket and its data.

    python tools/teardown.py [--chdir terraform] [--yes] [-- TERRAFORM DESTROY ARGS...]

Before anything is deleted it says what will be lost: the messages waiting or in flight in
each queue (pages that are not done yet; re-queue them after a new deployment with
`eulereye reconcile` or `eulereye retry --all-errors`) and the images in the repository, and
asks for 'destroy' (unless --yes). Then it empties the image repository (ECR refuses to delete
a repository that holds images), takes the bucket out of Terraform's state (it has
prevent_destroy) and runs `terraform destroy`. Last it prints the `terraform import` commands
that put the kept bucket under a new deployment (docs/deploy.md, "Retiring a deployment").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

STORAGE_MODULE = "module.storage"


class TeardownError(Exception):
    """A step failed; the message says which and what terraform or AWS answered."""


@dataclass
class Terraform:
    """terraform in one root module, with an optional state file and extra destroy arguments."""

    chdir: Path
    state: Path | None = None
    destroy_args: list[str] = field(default_factory=list)
    env: dict | None = None

    def run(self, *args: str) -> str:
        result = subprocess.run(["terraform", f"-chdir={self.chdir}", *args], env=self.env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise TeardownError(f"terraform {args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")
        return result.stdout

    def state_flag(self) -> list[str]:
        return [f"-state={self.state}"] if self.state else []

    def resources(self) -> list[dict]:
        """Every managed resource in the state (all modules), as `terraform show -json` gives it."""
        shown = json.loads(self.run("show", "-json", *([str(self.state)] if self.state else [])) or "{}")
        found, modules = [], [shown.get("values", {}).get("root_module", {})]
        while modules:
            module = modules.pop()
            found += [r for r in module.get("resources", []) if r.get("mode") == "managed"]
            modules += module.get("child_modules", [])
        return found

    def forget_storage(self) -> None:
        self.run("state", "rm", *self.state_flag(), STORAGE_MODULE)

    def destroy(self) -> None:
        self.run("destroy", "-auto-approve", "-input=false", "-no-color", *self.state_flag(), *self.destroy_args)


def of_type(resources: list[dict], resource_type: str) -> list[dict]:
    return [r for r in resources if r["type"] == resource_type]


def queue_messages(sqs, queue_url: str) -> dict[str, int]:
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed"])["Attributes"]
    return {"waiting": int(attributes.get("ApproximateNumberOfMessages", 0)),
            "in flight": int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
            "delayed": int(attributes.get("ApproximateNumberOfMessagesDelayed", 0))}


def image_ids(ecr, repository: str) -> list[dict]:
    ids = []
    for page in ecr.get_paginator("list_images").paginate(repositoryName=repository):
        ids += page["imageIds"]
    return ids


def empty_repository(ecr, repository: str) -> int:
    ids = image_ids(ecr, repository)
    for start in range(0, len(ids), 100):  # BatchDeleteImage takes at most 100 ids
        ecr.batch_delete_image(repositoryName=repository, imageIds=ids[start:start + 100])
    return len(ids)


def warnings(resources: list[dict], sqs, ecr) -> list[str]:
    """What the destroy loses, one line each: every queue's messages, every repository's images."""
    lines = []
    for queue in of_type(resources, "aws_sqs_queue"):
        counts = queue_messages(sqs, queue["values"]["url"])
        detail = ", ".join(f"{n} {state}" for state, n in counts.items())
        lines.append(f"queue {queue['values']['name']}: {sum(counts.values())} message(s) deleted ({detail})")
    for repository in of_type(resources, "aws_ecr_repository"):
        count = len(image_ids(ecr, repository["values"]["name"]))
        lines.append(f"image repository {repository['values']['name']}: {count} image(s) deleted")
    return lines


def import_commands(resources: list[dict]) -> list[str]:
    """`terraform import` for each resource of the storage module: what a new deployment needs
    to take over the kept bucket (every one of them is imported by the bucket's name)."""
    storage = [r for r in resources if r["address"].startswith(STORAGE_MODULE + ".")]
    bucket = next((r["values"]["bucket"] for r in of_type(storage, "aws_s3_bucket")), None)
    tag = '-var image_tag="$(git rev-parse --short=12 HEAD)"'
    return [f"terraform -chdir=terraform import {tag} '{r['address']}' {bucket}" for r in storage]


def teardown(terraform: Terraform, clients, confirm, say=print) -> int:
    """The whole teardown; ``clients(service, region)`` gives boto3 clients, ``confirm()``
    asks the operator. Returns the exit status."""
    resources = terraform.resources()
    if not resources:
        say("Nothing is deployed (the state holds no resources).")
        return 0
    queues = of_type(resources, "aws_sqs_queue")
    region = queues[0]["values"]["arn"].split(":")[3] if queues else None
    sqs, ecr = clients("sqs", region), clients("ecr", region)
    buckets = [r["values"]["bucket"] for r in of_type(resources, "aws_s3_bucket")]
    say("Destroying the eulereye platform. Lost for good:")
    for line in warnings(resources, sqs, ecr):
        say(f"  - {line}")
    say(f"Kept: the page bucket {', '.join(buckets) or '(not in this state)'} with input/ and output/.")
    if not confirm():
        say("Nothing destroyed.")
        return 1
    for repository in of_type(resources, "aws_ecr_repository"):
        say(f"Deleted {empty_repository(ecr, repository['values']['name'])} image(s) from {repository['values']['name']}.")
    imports = import_commands(resources)
    if imports:
        terraform.forget_storage()
    terraform.destroy()
    say("Destroyed. To deploy again over the kept bucket, import it first (docs/deploy.md):")
    for command in imports:
        say(f"  {command}")
    return 0


def ask() -> bool:
    try:
        return input("Type 'destroy' to go on: ").strip() == "destroy"
    except EOFError:
        return False


def boto3_client(service: str, region: str | None):
    import boto3

    return boto3.client(service, region_name=region)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chdir", type=Path, default=Path("terraform"), help="root module")
    parser.add_argument("--yes", action="store_true", help="do not ask (CI); the warnings are still printed")
    parser.add_argument("destroy_args", nargs="*", help="passed to terraform destroy (after --), e.g. -var image_tag=x")
    args = parser.parse_args(argv)
    terraform = Terraform(args.chdir, destroy_args=args.destroy_args)
    try:
        return teardown(terraform, boto3_client, (lambda: True) if args.yes else ask)
    except TeardownError as exc:
        print(f"make destroy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
