"""The moto server that stands in for AWS, with the one gap it has filled.

Run as ``python e2e/moto_server.py PORT``. Moto delivers S3 "Object Created" events through
EventBridge rules to SQS targets, as AWS does, but it cannot run a Lambda function without a
Docker engine: a rule with a Lambda target raises inside moto, and because moto stops at the
first failing rule, an S3 event may then never reach the queue. Here Lambda targets are left
out of delivery; the local runner invokes the scaler itself, on its schedule, the way the
platform's one-minute EventBridge schedule does. Every other target is delivered by moto.
"""

from __future__ import annotations

import copy
import sys

from moto import server
from moto.events.models import Rule

_deliver = Rule.send_to_targets


def _deliver_without_lambda(self: Rule, event, transform_input: bool = True) -> None:
    rule = copy.copy(self)
    rule.targets = [t for t in self.targets if ":lambda:" not in t["Arn"]]
    _deliver(rule, event, transform_input)


def main(port: str) -> None:
    Rule.send_to_targets = _deliver_without_lambda
    server.main(["--host", "127.0.0.1", "--port", port])


if __name__ == "__main__":
    main(sys.argv[1])
