"""The plan review's verdicts on small plans, and on a real errored plan of the root module
(the real-plan case of a deployed platform runs in test_local_platform)."""

from __future__ import annotations

import json
import sys

import pytest

from tests.terraform.helpers import REPO, ROOT_MODULE, run
from tools.plan_review import main, markdown, review


def change(address: str, actions: list[str], after: dict | None = None) -> dict:
    resource_type, name = address.split(".")[-2:]
    return {"address": address, "type": resource_type, "name": name,
            "change": {"actions": actions, "after": after or {}}}


def plan(*changes: dict) -> dict:
    return {"resource_changes": list(changes)}


def policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def rules(result) -> set[str]:
    return {rule for rule, _, _ in result.findings}


def test_a_plain_create_passes_and_is_counted():
    result = review(plan(change("module.queue.aws_sqs_queue.work", ["create"]),
                         change("module.compute.aws_iam_role.task", ["create"]),
                         change("module.x.aws_s3_object.y", ["no-op"])))
    assert result.counts == {"create": 2} and not result.findings
    assert ("module.compute.aws_iam_role.task", "create", "IAM") in result.rows


@pytest.mark.parametrize("address, actions", [
    ("module.storage.aws_s3_bucket.this", ["delete"]),
    ("module.queue.aws_sqs_queue.work", ["delete", "create"]),
    ("module.queue.aws_sqs_queue.dead_letter", ["create", "delete"]),
    ("module.registry.aws_ecr_repository.this", ["delete", "create"]),
    ("module.registry.aws_ecr_repository.this", ["delete"]),
    ("module.compute.aws_iam_role.task", ["create", "delete"]),
])
def test_destroying_or_replacing_data_is_blocked(address, actions):
    result = review(plan(change(address, actions)))
    assert rules(result) == {"destroy"} and result.blocked(set())
    assert not result.blocked({"destroy"})


def test_wildcard_actions_are_blocked_but_denies_are_not():
    wide = policy({"Effect": "Allow", "Action": ["s3:GetObject", "s3:*"], "Resource": "*"})
    deny = policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                   "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    not_action = policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    result = review(plan(change("module.a.aws_iam_role_policy.task", ["update"], {"policy": wide}),
                         change("module.b.aws_s3_bucket_policy.this", ["update"], {"policy": deny}),
                         change("module.c.aws_iam_policy.x", ["create"], {"policy": not_action})))
    blocked = {address for rule, address, _ in result.findings if rule == "wildcards"}
    assert blocked == {"module.a.aws_iam_role_policy.task", "module.c.aws_iam_policy.x"}


@pytest.mark.parametrize("resource, after", [
    ("aws_s3_bucket_public_access_block", {"block_public_acls": True, "block_public_policy": False}),
    ("aws_s3_bucket_policy", {"policy": policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"})}),
    ("aws_security_group", {"ingress": [{"cidr_blocks": ["0.0.0.0/0"], "from_port": 22}]}),
    ("aws_subnet", {"map_public_ip_on_launch": True}),
    ("aws_lambda_function", {"environment": [{"variables": {"EULEREYE_ASSIGN_PUBLIC_IP": "ENABLED"}}]}),
])
def test_public_access_is_blocked(resource, after):
    result = review(plan(change(f"module.m.{resource}.this", ["update"], after)))
    assert rules(result) == {"public"}


def test_removing_the_public_access_block_is_blocked():
    result = review(plan(change("module.storage.aws_s3_bucket_public_access_block.this", ["delete"])))
    assert rules(result) == {"public"}


def test_markdown_highlights_sensitive_changes_and_states_the_verdict():
    result = review(plan(change("module.network.aws_security_group.tasks", ["update"]),
                         change("module.queue.aws_sqs_queue.work", ["delete"])))
    text = markdown(result, allowed=set())
    assert "IAM, network and bucket-policy changes" in text and "`module.network.aws_security_group.tasks`" in text
    assert "**BLOCKED** (destroy)" in text and text.rstrip().endswith("--allow destroy` if intended)")
    assert "**Verdict: ok**" in markdown(result, allowed={"destroy"})


def test_cli_exit_codes(tmp_path, capsys):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan(change("module.queue.aws_sqs_queue.work", ["delete"]))))
    assert main([str(plan_file), "--out", str(tmp_path / "review.md")]) == 1
    assert (tmp_path / "review.md").read_text().startswith("## Terraform plan review")
    assert main([str(plan_file), "--allow", "destroy"]) == 0
    assert main([str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_replacing_other_roles_is_not_a_destroy_finding():
    result = review(plan(change("module.compute.aws_iam_role.execution", ["delete", "create"])))
    assert "destroy" not in rules(result)


@pytest.mark.parametrize("flags", [{"errored": True, "applyable": False, "complete": False},
                                   {"applyable": False}, {"complete": False}])
def test_an_unusable_plan_is_refused_whatever_is_allowed(tmp_path, flags):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps({**plan(), **flags}))
    assert main([str(plan_file), "--allow", "destroy", "--allow", "wildcards", "--allow", "public"]) == 1
    assert "**Verdict: refused**" in markdown(review(json.loads(plan_file.read_text())), set())


def test_a_real_errored_plan_is_refused(tf_env, tmp_path):
    """`make plan` without AWS credentials: terraform fails but still saves the plan, marked
    errored and with no changes. Reviewed, it must not read as "0 to add ... ok"."""
    env = {**tf_env, "TF_DATA_DIR": str(tmp_path / ".terraform"), "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}
    init = run(["terraform", f"-chdir={ROOT_MODULE}", "init", "-input=false", "-backend=false"], env=env)
    assert init.returncode == 0, init.stderr
    plan_file = tmp_path / "tfplan"
    planned = run(["terraform", f"-chdir={ROOT_MODULE}", "plan", "-input=false", "-no-color",
                   f"-out={plan_file}", "-var", "image_tag=abc123"], env=env)
    assert planned.returncode != 0 and plan_file.exists(), planned.stderr
    reviewed = run([sys.executable, "tools/plan_review.py", str(plan_file), "--chdir", str(ROOT_MODULE),
                    "--out", str(tmp_path / "review.md")], cwd=REPO, env=env)
    assert reviewed.returncode == 1, reviewed.stdout + reviewed.stderr
    assert "terraform plan failed" in reviewed.stdout and "Verdict: ok" not in reviewed.stdout
