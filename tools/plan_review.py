"""Reviews a saved `terraform plan` for CI: a Markdown summary, and a verdict.

    python tools/plan_review.py build/tfplan [--chdir terraform] [--out review.md]
                                [--allow destroy] [--allow wildcards] [--allow public]

Lists every resource the plan creates, updates, replaces or destroys, with IAM, network and
bucket-policy changes highlighted, and exits 1 when the plan
  - errored, cannot be applied or is incomplete (always: plan again)
  - would destroy or replace the page bucket, a queue, the image
    repository or the worker's task role                           unless --allow destroy
  - allow an IAM action with a wildcard ("*", "s3:*", NotAction)   unless --allow wildcards
  - open public access (bucket, security group, public IPs)        unless --allow public
Exit 0 when nothing is blocked, 2 on bad usage or an unreadable plan.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# What a destroy or a replacement loses: pages, queued messages, pushed images, the role that
# running workers hold. Keys: resource type, or "type.name" for one resource of a type.
PROTECTED = {"aws_s3_bucket": "the page bucket", "aws_sqs_queue": "a queue and its messages",
             "aws_ecr_repository": "the image repository and its images",
             "aws_iam_role.task": "the worker task role (running workers lose their rights)"}
IAM_TYPES = ("aws_iam_", "aws_lambda_permission", "aws_sqs_queue_policy", "aws_kms_")
NETWORK_TYPES = ("aws_vpc", "aws_subnet", "aws_security_group", "aws_route", "aws_network_acl",
                 "aws_default_security_group", "aws_flow_log", "aws_internet_gateway",
                 "aws_nat_gateway", "aws_eip")
BUCKET_POLICY_TYPES = ("aws_s3_bucket_policy", "aws_s3_bucket_public_access_block",
                       "aws_s3_bucket_acl", "aws_s3_bucket_ownership_controls")
POLICY_ATTRIBUTES = ("policy", "assume_role_policy")
OPEN_CIDRS = {"0.0.0.0/0", "::/0"}
RULES = ("destroy", "wildcards", "public")


@dataclass
class Review:
    unusable: list[str] = field(default_factory=list)  # why the plan cannot be reviewed at all
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # address, action, area
    counts: Counter = field(default_factory=Counter)
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # rule, address, why

    def blocked(self, allowed: set[str]) -> list[tuple[str, str, str]]:
        return [f for f in self.findings if f[0] not in allowed]

    def refused(self, allowed: set[str]) -> bool:
        return bool(self.unusable or self.blocked(allowed))


def unusable_reasons(plan: dict) -> list[str]:
    """Why a plan must not be applied whatever is allowed: terraform failed while planning
    (an errored plan lists no changes, so it would look like "nothing to do"), the plan
    cannot be applied, or it holds only part of the changes."""
    reasons = []
    if plan.get("errored"):
        reasons.append("terraform plan failed (the plan is marked errored): fix the error it "
                       "printed and run `make plan` again")
    if plan.get("applyable") is False and not plan.get("errored"):
        reasons.append("terraform marks the plan as not applyable")
    if plan.get("complete") is False and not plan.get("errored"):
        reasons.append("the plan is incomplete (deferred or targeted changes): plan the whole configuration")
    return reasons


def protected_what(change: dict) -> str | None:
    return PROTECTED.get(f"{change['type']}.{change['name']}") or PROTECTED.get(change["type"])


def action_of(actions: list[str]) -> str:
    if set(actions) == {"create", "delete"}:
        return "replace"
    return actions[0] if len(actions) == 1 else "+".join(actions)


def area_of(resource_type: str) -> str:
    if resource_type.startswith(IAM_TYPES):
        return "IAM"
    if resource_type.startswith(BUCKET_POLICY_TYPES):
        return "bucket policy"
    if resource_type.startswith(NETWORK_TYPES):
        return "network"
    return ""


def policy_statements(value) -> list[dict]:
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        document = json.loads(value)
    except ValueError:
        return []
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    return [statements] if isinstance(statements, dict) else statements


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def wildcard_findings(after: dict) -> list[str]:
    """Allow statements whose actions contain a wildcard, or that use NotAction."""
    reasons = []
    for attribute in POLICY_ATTRIBUTES:
        for statement in policy_statements(after.get(attribute)):
            if statement.get("Effect") != "Allow":
                continue
            if "NotAction" in statement:
                reasons.append(f"{attribute}: Allow with NotAction")
            wild = [a for a in as_list(statement.get("Action", [])) if "*" in str(a)]
            if wild:
                reasons.append(f"{attribute}: Allow {', '.join(map(str, wild))}")
    return reasons


def public_findings(resource_type: str, after: dict) -> list[str]:
    reasons = []
    if resource_type == "aws_s3_bucket_public_access_block":
        off = [k for k in ("block_public_acls", "block_public_policy", "ignore_public_acls",
                           "restrict_public_buckets") if after.get(k) is False]
        reasons += [f"{k} = false" for k in off]
    if resource_type == "aws_s3_bucket_acl" and str(after.get("acl", "")).startswith("public"):
        reasons.append(f"acl = {after['acl']}")
    if resource_type in ("aws_s3_bucket_policy", "aws_sqs_queue_policy", "aws_sqs_queue", "aws_sns_topic_policy"):
        for statement in policy_statements(after.get("policy")):
            principal = statement.get("Principal")
            anyone = principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS", [])))
            if statement.get("Effect") == "Allow" and anyone and not statement.get("Condition"):
                reasons.append("policy allows anyone (Principal *) without a condition")
    for rule in after.get("ingress") or []:
        cidrs = set(rule.get("cidr_blocks") or []) | set(rule.get("ipv6_cidr_blocks") or [])
        if cidrs & OPEN_CIDRS:
            reasons.append(f"ingress from {', '.join(sorted(cidrs & OPEN_CIDRS))}")
    if resource_type == "aws_security_group_rule" and after.get("type") == "ingress":
        if set(after.get("cidr_blocks") or []) & OPEN_CIDRS:
            reasons.append("ingress rule from the internet")
    if resource_type == "aws_vpc_security_group_ingress_rule" and after.get("cidr_ipv4") in OPEN_CIDRS:
        reasons.append("ingress rule from the internet")
    if after.get("map_public_ip_on_launch") is True or after.get("associate_public_ip_address") is True:
        reasons.append("hands out public IPs")
    environment = (after.get("environment") or [{}])[0] if resource_type == "aws_lambda_function" else {}
    if (environment or {}).get("variables", {}).get("EULEREYE_ASSIGN_PUBLIC_IP") == "ENABLED":
        reasons.append("workers get public IPs (EULEREYE_ASSIGN_PUBLIC_IP=ENABLED)")
    return reasons


def review(plan: dict) -> Review:
    result = Review(unusable=unusable_reasons(plan))
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        action = action_of(actions)
        if action in ("no-op", "read"):
            continue
        address, resource_type = change["address"], change["type"]
        after = change["change"].get("after") or {}
        result.counts[action] += 1
        result.rows.append((address, action, area_of(resource_type)))
        what = protected_what(change)
        if "delete" in actions and what:
            verb = "replace" if action == "replace" else "destroy"
            result.findings.append(("destroy", address, f"would {verb} {what}"))
        if resource_type == "aws_s3_bucket_public_access_block" and action == "delete":
            result.findings.append(("public", address, "removes the public access block"))
        if "delete" == action:
            continue
        result.findings += [("wildcards", address, why) for why in wildcard_findings(after)]
        result.findings += [("public", address, why) for why in public_findings(resource_type, after)]
    return result


SYMBOL = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}


def markdown(result: Review, allowed: set[str]) -> str:
    counts = result.counts
    lines = ["## Terraform plan review", "",
             f"**{counts['create']} to add, {counts['update']} to change, "
             f"{counts['replace']} to replace, {counts['delete']} to destroy.**", ""]
    blocked = result.blocked(allowed)
    if result.unusable:
        lines += ["### The plan cannot be applied", ""] + [f"- **REFUSED**: {why}" for why in result.unusable] + [""]
    if result.findings:
        lines += ["### Findings", ""]
        for rule, address, why in result.findings:
            state = "allowed" if rule in allowed else "BLOCKED"
            lines.append(f"- **{state}** ({rule}) `{address}`: {why}")
        lines.append("")
    highlighted = [row for row in result.rows if row[2]]
    if highlighted:
        lines += ["### IAM, network and bucket-policy changes", "", "| | resource | area |", "|---|---|---|"]
        lines += [f"| {SYMBOL.get(a, a)} | `{addr}` | {area} |" for addr, a, area in highlighted]
        lines.append("")
    if result.rows:
        lines += ["<details><summary>All changes</summary>", "", "| | resource | action |", "|---|---|---|"]
        lines += [f"| {SYMBOL.get(a, a)} | `{addr}` | {a} |" for addr, a, _ in result.rows]
        lines += ["", "</details>", ""]
    if result.unusable:
        lines.append("**Verdict: refused** (no usable plan to review)")
    else:
        lines.append("**Verdict: " + ("blocked" if blocked else "ok") + "**" +
                     (f" (re-run with `--allow {' --allow '.join(sorted({f[0] for f in blocked}))}` if intended)" if blocked else ""))
    return "\n".join(lines) + "\n"


def load_plan(path: Path, chdir: Path) -> dict:
    """A plan as JSON: read directly (*.json) or through `terraform show -json`."""
    if path.suffix == ".json":
        return json.loads(path.read_text())
    from python_terraform import IsFlagged, Terraform

    code, out, err = Terraform(working_dir=str(chdir)).show_cmd(str(path.resolve()), json=IsFlagged)
    if code != 0:
        raise ValueError(f"terraform show failed: {err.strip()}")
    return json.loads(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path, help="saved plan file (terraform plan -out) or its JSON")
    parser.add_argument("--chdir", type=Path, default=Path("terraform"), help="root module of the plan")
    parser.add_argument("--out", type=Path, help="also write the Markdown here")
    parser.add_argument("--allow", action="append", choices=RULES, default=[],
                        help="accept findings of this kind (repeatable)")
    args = parser.parse_args(argv)
    try:
        plan = load_plan(args.plan, args.chdir)
    except (OSError, ValueError) as exc:
        print(f"plan_review: cannot read {args.plan}: {exc}", file=sys.stderr)
        return 2
    allowed = set(args.allow)
    result = review(plan)
    text = markdown(result, allowed)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    print(text, end="")
    return 1 if result.refused(allowed) else 0


if __name__ == "__main__":
    sys.exit(main())
