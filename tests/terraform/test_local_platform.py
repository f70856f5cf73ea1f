"""`terraform apply` of the real root module against a moto server, checks, then destroy.

Proves the configuration is creatable as a whole, that what it creates has the promised
properties when read back through the AWS APIs, and that the bucket survives a destroy.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.terraform.helpers import REPO, ROOT_MODULE
from tools.local_aws import LocalPlatform, MotoServer
from tools.plan_review import review
from tools.teardown import Terraform, import_commands, teardown

pytestmark = pytest.mark.xdist_group("terraform")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("local-platform")
    # The scaler's code is another part of the project; this proves the packaging and the
    # function's creation with whatever lambda_src/ holds (possibly nothing yet).
    lambda_src = REPO / "lambda_src"
    if not lambda_src.is_dir():
        lambda_src = workdir / "lambda_src"
        lambda_src.mkdir()
    with MotoServer(log_path=workdir / "moto.log") as server:
        local = LocalPlatform(server.endpoint_url, workdir / "tf", lambda_src=lambda_src)
        local.applied_outputs = local.apply()
        yield local


def env_of(container: dict) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container["environment"]}


def check_apply_creates_the_whole_platform(platform):
    outputs = platform.applied_outputs
    assert outputs["input_uri"] == f"s3://{outputs['bucket_name']}/input/"
    assert outputs["queue_url"].endswith("/eulereye-local-pages")
    state = json.loads(platform.state.read_text())
    types = {r["type"] for r in state["resources"] if r["mode"] == "managed"}
    assert {"aws_s3_bucket", "aws_sqs_queue", "aws_ecr_repository", "aws_vpc_endpoint", "aws_ecs_cluster",
            "aws_ecs_task_definition", "aws_lambda_function", "aws_cloudwatch_event_rule",
            "aws_cloudwatch_metric_alarm", "aws_cloudwatch_dashboard", "aws_cloudwatch_log_metric_filter"} <= types


def check_bucket_is_private_encrypted_and_versioned(platform):
    # The TLS-only policy is off against plain-HTTP moto (terraform test asserts it for AWS).
    s3, bucket = platform.client("s3"), platform.applied_outputs["bucket_name"]
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"


def check_work_queue_is_encrypted_and_redrives_to_the_dlq(platform):
    sqs = platform.client("sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=platform.applied_outputs["queue_url"],
                                          AttributeNames=["All"])["Attributes"]
    assert attributes["SqsManagedSseEnabled"] == "true"
    assert attributes["VisibilityTimeout"] == "300"
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"].endswith(":eulereye-local-pages-dlq") and redrive["maxReceiveCount"] == 5
    policy = json.loads(attributes["Policy"])["Statement"]
    allowed = [s for s in policy if s["Effect"] == "Allow"]
    assert [s["Principal"] for s in allowed] == [{"Service": "events.amazonaws.com"}]


def check_task_definition_is_readable_back_with_the_worker_contract(platform):
    ecs = platform.client("ecs")
    task = ecs.describe_task_definition(taskDefinition=platform.applied_outputs["task_definition_arn"])["taskDefinition"]
    assert task["networkMode"] == "awsvpc" and task["requiresCompatibilities"] == ["FARGATE"]
    (container,) = task["containerDefinitions"]
    assert container["readonlyRootFilesystem"] is True
    environment = env_of(container)
    assert environment["EULEREYE_QUEUE_URL"] == platform.applied_outputs["queue_url"]
    assert environment["EULEREYE_BUCKET"] == platform.applied_outputs["bucket_name"]
    assert environment["EULEREYE_INPUT_PREFIX"] == "input/" and environment["EULEREYE_ENGINE"] == "tesseract"
    assert container["image"].endswith("/eulereye-local:local") and environment["EULEREYE_IMAGE_TAG"] == "local"


def check_scaler_gets_its_contract_and_no_public_ips(platform):
    function = platform.client("lambda").get_function_configuration(
        FunctionName=platform.applied_outputs["scaler_function_name"])
    environment = function["Environment"]["Variables"]
    assert environment["EULEREYE_ASSIGN_PUBLIC_IP"] == "DISABLED"
    assert environment["EULEREYE_TASK_DEFINITION"] == platform.applied_outputs["task_definition_arn"]
    assert len(environment["EULEREYE_SUBNETS"].split(",")) == 2
    assert function["Runtime"] == "python3.12" and function["Handler"] == "scaler.handler"


def check_a_page_upload_reaches_the_work_queue(platform):
    """S3 -> EventBridge (bucket notification, page rule) -> SQS, only for images under input/."""
    s3, sqs = platform.client("s3"), platform.client("sqs")
    bucket, queue_url = platform.applied_outputs["bucket_name"], platform.applied_outputs["queue_url"]
    s3.put_object(Bucket=bucket, Key="notes/readme.txt", Body=b"not a page")
    s3.put_object(Bucket=bucket, Key="input/1890/p001.TIF", Body=b"II*\x00")
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=5).get("Messages", [])
    keys = [json.loads(m["Body"])["detail"]["object"]["key"] for m in messages]
    assert keys == ["input/1890/p001.TIF"]


def check_plan_review_passes_no_change_and_blocks_queue_replacement(platform):
    unchanged = review(platform.plan_json())
    # moto reads a few attributes back differently (in-place "updates" only); nothing else.
    assert set(unchanged.counts) <= {"update"} and not unchanged.findings
    renamed = review(platform.plan_json({"name_prefix": "eulereye-renamed",
                                         "bucket_name": platform.applied_outputs["bucket_name"]}))
    blocked = {address for rule, address, _ in renamed.findings if rule == "destroy"}
    assert blocked == {"module.queue.aws_sqs_queue.work", "module.queue.aws_sqs_queue.dead_letter",
                       "module.trigger.aws_sqs_queue.scaler_failures",
                       "module.trigger.aws_sqs_queue.scaler_nudges",
                       "module.trigger.aws_sqs_queue.undelivered_events",
                       "module.registry.aws_ecr_repository.this",
                       "module.compute.aws_iam_role.task"}
    # A customer-managed key set later replaces the image repository (ECR cannot re-encrypt).
    encrypted = review(platform.plan_json({"kms_key_arn": "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}))
    assert ("destroy", "module.registry.aws_ecr_repository.this",
            "would replace the image repository and its images") in encrypted.findings


def push_an_image(platform) -> str:
    ecr = platform.client("ecr")
    repository = platform.applied_outputs["ecr_repository_url"].rsplit("/", 1)[1]
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"digest": "sha256:" + "a" * 64, "size": 1, "mediaType": "application/vnd.docker.container.image.v1+json"},
                "layers": []}
    ecr.put_image(repositoryName=repository, imageManifest=json.dumps(manifest), imageTag="abc123")
    return repository


def documented_imports() -> set[str]:
    text = (REPO / "docs" / "deploy.md").read_text()
    return set(re.findall(r"terraform -chdir=terraform import \$TAG '(module\.storage\.[^']+)' BUCKET", text))


def check_destroy_warns_empties_the_registry_and_keeps_the_bucket(platform):
    refused = platform.destroy_plain()
    assert refused.returncode != 0 and "prevent_destroy" in refused.stderr
    repository = push_an_image(platform)
    sqs, outputs = platform.client("sqs"), platform.applied_outputs
    sqs.send_message(QueueUrl=outputs["queue_url"], MessageBody="{}")  # with the page from the upload check
    sqs.send_message(QueueUrl=outputs["dead_letter_queue_url"], MessageBody="{}")
    terraform = Terraform(ROOT_MODULE, state=platform.state, env=platform.env,
                          destroy_args=["-parallelism=30", platform._var_file()])
    said: list[str] = []
    declined = teardown(terraform, lambda service, region: platform.client(service), lambda: False, said.append)
    assert declined == 1 and said[-1] == "Nothing destroyed."
    # The work queue: the page of the upload check (received there, so in flight) and one more.
    assert "  - queue eulereye-local-pages: 2 message(s) deleted (1 waiting, 1 in flight, 0 delayed)" in said
    assert "  - queue eulereye-local-pages-dlq: 1 message(s) deleted (1 waiting, 0 in flight, 0 delayed)" in said
    assert "  - queue eulereye-local-scaler-failures: 0 message(s) deleted (0 waiting, 0 in flight, 0 delayed)" in said
    assert f"  - image repository {repository}: 1 image(s) deleted" in said
    resources = terraform.resources()
    # moto runs without the TLS-only bucket policy, the one documented import it cannot have.
    from_state = {command.split("'")[1] for command in import_commands(resources)}
    assert from_state == documented_imports() - {"module.storage.aws_s3_bucket_policy.this[0]"}

    said.clear()
    assert teardown(terraform, lambda service, region: platform.client(service), lambda: True, said.append) == 0
    state = json.loads(platform.state.read_text())
    assert [r for r in state["resources"] if r["mode"] == "managed"] == []
    assert platform.client("ecr").describe_repositories()["repositories"] == []
    assert [b["Name"] for b in platform.client("s3").list_buckets()["Buckets"]] == [outputs["bucket_name"]]
    assert f"'module.storage.aws_s3_bucket.this' {outputs['bucket_name']}" in "\n".join(said)
    ecs = platform.client("ecs")
    clusters = ecs.describe_clusters(clusters=ecs.list_clusters()["clusterArns"])["clusters"]
    assert all(cluster["status"] == "INACTIVE" for cluster in clusters)
    platform.delete_bucket(outputs["bucket_name"])


def test_platform_lifecycle_on_moto(platform):
    """One test, in order: xdist may spread a module's tests over workers (each would apply)."""
    check_apply_creates_the_whole_platform(platform)
    check_bucket_is_private_encrypted_and_versioned(platform)
    check_work_queue_is_encrypted_and_redrives_to_the_dlq(platform)
    check_task_definition_is_readable_back_with_the_worker_contract(platform)
    check_scaler_gets_its_contract_and_no_public_ips(platform)
    check_a_page_upload_reaches_the_work_queue(platform)
    check_plan_review_passes_no_change_and_blocks_queue_replacement(platform)
    check_destroy_warns_empties_the_registry_and_keeps_the_bucket(platform)
