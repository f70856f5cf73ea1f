"""The moto server that stands in for AWS, with three of its gaps filled.

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
3. Concurrent SQS receives. Moto checks that a message is visible and then marks it received
   without a lock, so two consumers polling at the same moment can both get the same message
   (CI saw one page delivered to two workers in the same millisecond, receive count 2 for
   both). SQS hides a received message from other consumers for its visibility timeout; so
   here: each receive attempt runs alone, and the long-poll wait happens outside the lock.

4. Work that grows with the queue. Moto reads a queue's attributes, counting every message
   each time (three passes, each reading the clock per message), to send *one* message and
   for every message it receives, and deletes a batch one receipt at a time with two passes
   over the queue each: 10,000 upload nudges, sent and drained as EventBridge and Lambda
   would, take hours (measured: the sends alone slow from 0.13 to 0.7 s per batch of ten
   within the first 3,000). Here sends and receives read the attributes without the counts
   (they use none of them; GetQueueAttributes still counts), the clock is read as
   ``time.time()`` (the value moto computes through ``datetime``), and a batch is deleted in
   one pass, under the queue's lock (moto's own rebuild of the message list could drop a
   message sent meanwhile). What is sent, received and deleted is unchanged.

Everything else is moto's own behaviour.
"""

from __future__ import annotations

import copy
import sys
import threading
import time

import moto.sqs.models as sqs_models
from moto import server
from moto.events.models import Rule
from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.sqs.models import Queue, SQSBackend

_deliver = Rule.send_to_targets
_permission = IAMPolicyStatement.is_action_permitted
_receive = SQSBackend.receive_message
_receiving = threading.Lock()
_all_attributes = Queue.attributes.fget
_send, _send_batch = SQSBackend.send_message, SQSBackend.send_message_batch
_uncounted = threading.local()  # set while this thread sends or receives


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


def _receive_one_at_a_time(self: SQSBackend, queue_name: str, count: int,
                           wait_seconds_timeout: int, visibility_timeout: int,
                           message_attribute_names=None):
    deadline = time.monotonic() + (wait_seconds_timeout or 0)
    while True:
        with _receiving:  # one pass over the queue, no waiting: the lock is held briefly
            messages = _receive(self, queue_name, count, 0, visibility_timeout,
                                message_attribute_names)
        if messages or time.monotonic() >= deadline:
            return messages
        self.get_queue(queue_name).wait_for_messages(1)  # woken early by a new message


class _Uncounted:
    """A queue seen without its message counts (what moto's send and receive read)."""

    BASE_ATTRIBUTES = [a for a in Queue.BASE_ATTRIBUTES if not a.startswith("ApproximateNumberOf")]

    def __init__(self, queue: Queue):
        self._queue = queue

    def __getattr__(self, name: str):
        return getattr(self._queue, name)


def _attributes_counted_when_asked(self: Queue) -> dict:
    """All of a queue's attributes; while this thread sends or receives, without the counts."""
    return _all_attributes(_Uncounted(self) if getattr(_uncounted, "active", False) else self)


def _without_counts(operation):
    def run(*args, **kwargs):
        outer, _uncounted.active = getattr(_uncounted, "active", False), True  # a batch sends each
        try:
            return operation(*args, **kwargs)
        finally:
            _uncounted.active = outer
    return run


def _delete_batch_in_one_pass(self: SQSBackend, queue_name: str, receipts: list[dict]):
    queue = self.get_queue(queue_name)
    handles = {receipt["ReceiptHandle"] for receipt in receipts}
    with queue._messages_lock:
        kept = []
        for message in queue._messages:
            if handles.isdisjoint(message.all_receipt_handles):
                kept.append(message)
            else:
                queue.pending_messages.discard(message)
                queue.deleted_messages.update(message.all_receipt_handles)
        queue._messages = kept
    success, errors = [], []
    for receipt in receipts:
        if receipt["ReceiptHandle"] in queue.deleted_messages:
            success.append(receipt["Id"])
        else:
            errors.append({"Id": receipt["Id"], "SenderFault": True, "Code": "ReceiptHandleIsInvalid",
                           "Message": f'The input receipt handle "{receipt["ReceiptHandle"]}" '
                                      f'is not a valid receipt handle.'})
    return success, errors


def _now_millis(dt=None) -> float:
    return time.time() * 1000.0 if dt is None else _unix_time_millis(dt)


_unix_time_millis = sqs_models.unix_time_millis


def fill_gaps() -> None:
    Rule.send_to_targets = _deliver_without_lambda
    IAMPolicyStatement.is_action_permitted = _permission_as_aws
    SQSBackend.receive_message = _without_counts(_receive_one_at_a_time)
    Queue.attributes = property(_attributes_counted_when_asked)
    SQSBackend.send_message = _without_counts(_send)
    SQSBackend.send_message_batch = _without_counts(_send_batch)
    SQSBackend.delete_message_batch = _delete_batch_in_one_pass
    sqs_models.unix_time_millis = _now_millis


if __name__ == "__main__":
    fill_gaps()
    server.main(sys.argv[1:])
