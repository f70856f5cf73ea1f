"""The worker's start-up self-check: find a misconfigured task within seconds, before it takes
a single message (a missing language model or weights, an unreachable bucket or queue, no
Textract permission when that engine is chosen)."""

from __future__ import annotations

import json
import multiprocessing
from dataclasses import dataclass, field

from eulereye.errors import aws_error_code

MODEL_CHECK_TIMEOUT_S = 120
# What the self-check sends Textract: bytes that are no image, so the call is not billed.
SELF_CHECK_DOCUMENT = b"eulereye self-check: not an image"
# Answers that show the call was allowed: the bytes refused, or the fleet's rate reached (a
# busy fleet must not stop the tasks that join it). Anything else stops the task.
TEXTRACT_ALLOWED_ANSWERS = frozenset({"UnsupportedDocumentException", "InvalidParameterException",
                                      "BadDocumentException", "ThrottlingException",
                                      "ProvisionedThroughputExceededException"})


@dataclass
class CheckResult:
    problems: list[str] = field(default_factory=list)
    max_receives: int = 0  # the work queue's maxReceiveCount (0: no dead-letter queue)


def self_check(settings, sqs, s3, textract=None) -> CheckResult:
    result = CheckResult()
    _check_queue(settings, sqs, result)
    _check_bucket(settings, s3, result)
    if settings.engine == "textract":
        _check_textract(textract, result)
    problem = check_models(settings)
    if problem:
        result.problems.append(problem)
    return result


def _check_queue(settings, sqs, result: CheckResult) -> None:
    try:
        attrs = sqs.get_queue_attributes(QueueUrl=settings.queue_url,
                                         AttributeNames=["RedrivePolicy"])["Attributes"]
    except Exception as exc:  # noqa: BLE001 - every failure here is the problem to report
        result.problems.append(f"queue {settings.queue_url} not reachable: {_reason(exc)}")
        return
    if "RedrivePolicy" in attrs:
        result.max_receives = int(json.loads(attrs["RedrivePolicy"])["maxReceiveCount"])


def _check_bucket(settings, s3, result: CheckResult) -> None:
    try:
        s3.head_bucket(Bucket=settings.bucket)
    except Exception as exc:  # noqa: BLE001
        result.problems.append(f"bucket {settings.bucket} not reachable: {_reason(exc)}")


def _check_textract(textract, result: CheckResult) -> None:
    if textract is None:
        import boto3

        textract = boto3.client("textract")
    try:
        textract.detect_document_text(Document={"Bytes": SELF_CHECK_DOCUMENT})
    except Exception as exc:  # noqa: BLE001
        if aws_error_code(exc) not in TEXTRACT_ALLOWED_ANSWERS:
            result.problems.append(f"Textract not usable: {_reason(exc)}")


def _reason(exc: BaseException) -> str:
    return f"{aws_error_code(exc) or type(exc).__name__}: {exc}"


def _build_pipeline(settings, conn) -> None:
    from eulereye.pipeline import Options, Pipeline

    try:
        Pipeline(Options.from_settings(settings), store=None).close()
        conn.send("")
    except Exception as exc:  # noqa: BLE001 - reported in the parent's one log line
        conn.send(f"models do not load: {type(exc).__name__}: {exc}")


def check_models(settings) -> str:
    """'' when the engine and segmenter load (in a short-lived process, so the worker's own
    memory stays free of models before its pool forks), else what is wrong."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_build_pipeline, args=(settings, send), daemon=True)
    process.start()
    send.close()
    if not receive.poll(MODEL_CHECK_TIMEOUT_S):
        process.kill()
        return f"models did not load within {MODEL_CHECK_TIMEOUT_S} s"
    try:
        problem = receive.recv()
    except EOFError:
        problem = f"model check process died (exit code {process.exitcode})"
    process.join()
    return problem
