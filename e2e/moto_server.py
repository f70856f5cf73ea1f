"""The moto server that stands in for AWS, with two of its gaps filled.

Run as ``python e2e/moto_server.py -H 127.0.0.1 -p PORT`` (the arguments of ``moto_server``).

1. Lambda targets of EventBridge rules. Moto delivers S3 "Object Created" events through
   EventBridge rules to SQS targets, as AWS does, but cannot run a Lambda function without a
   Docker engine: a rule with a Lambda target raises inside moto, and because moto stops at the
   first failing rule, an S3 event may then never reach the queue (the platform's schedule rule,
   whose only target is the scaler, matches every event in moto). Here Lambda targets are left
   out of delivery; the local runner invokes the scaler itself, on its schedule.
2. Policy conditions on keys the request does not have. Moto fills no condition keys from the
   request (no ``aws:SecureTransport``, no ``s3:TlsVersion``), treats a condition on a missing
   key as met and a statement whose condition fails as a denial, so the bucket's "deny unless
   TLS" statements deny every object request. In AWS a condition on a key the request lacks is
   not met (``...IfExists`` operators aside) and such a statement does not apply; so here. A
   real client always uses TLS 1.2+, so those statements do not apply to it either.

Everything else is moto's own behaviour.
"""

from __future__ import annotations

import copy
import sys

from moto import server
from moto.events.models import Rule
from moto.iam.access_control import IAMPolicyStatement, PermissionResult

_deliver = Rule.send_to_targets
_permission = IAMPolicyStatement.is_action_permitted


def _deliver_without_lambda(self: Rule, event, transform_input: bool = True) -> None:
    rule = copy.copy(self)
    rule.targets = [t for t in self.targets if ":lambda:" not in t["Arn"]]
    _deliver(rule, event, transform_input)


def _permission_as_aws(self: IAMPolicyStatement, action, resource="*", principal=None,
                       incoming_condition_values=None):
    known = incoming_condition_values or {}
    for operator, keys in self._statement.get("Condition", {}).items():
        if not operator.endswith("IfExists") and any(key not in known for key in keys):
            return PermissionResult.NEUTRAL
    return _permission(self, action, resource, principal, incoming_condition_values)


if __name__ == "__main__":
    Rule.send_to_targets = _deliver_without_lambda
    IAMPolicyStatement.is_action_permitted = _permission_as_aws
    server.main(sys.argv[1:])
