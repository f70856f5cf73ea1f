"""Outputs in S3: the Store protocol over one bucket and prefix.

A PUT is atomic by itself, so readers never see half an object; callers write the manifest
last. Failures are sorted by ``errors.classify``: worth retrying (throttling, 5xx, timeouts,
dropped connections) becomes ``TransientError``, so the worker leaves the page's message for
SQS to redeliver; a permission or configuration fault (AccessDenied, NoSuchBucket, expired
credentials) becomes ``ConfigurationError``, which stops the worker.
"""

from __future__ import annotations

from contextlib import contextmanager

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

from eulereye.errors import CONFIGURATION, ConfigurationError, TransientError, classify, worth_retrying

MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


def is_missing(exc: ClientError) -> bool:
    """Whether the object asked for does not exist (GET: NoSuchKey, HEAD: 404)."""
    return exc.response.get("Error", {}).get("Code", "") in MISSING_CODES


@contextmanager
def transient_errors(action: str):
    """Re-raise retryable AWS failures as TransientError and configuration faults as
    ConfigurationError (others, e.g. a missing key, pass through unchanged)."""
    try:
        yield
    except ClientError as exc:
        if worth_retrying(exc):
            raise TransientError(f"{action}: {exc}") from exc
        if classify(exc) == CONFIGURATION:
            raise ConfigurationError(f"{action}: {exc}") from exc
        raise
    except (ConnectionError, HTTPClientError) as exc:  # timeouts, resets, endpoint unreachable
        raise TransientError(f"{action}: {type(exc).__name__}: {exc}") from exc


class S3Store:
    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"

    def key(self, relpath: str) -> str:
        return self.prefix + relpath

    def put(self, relpath: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        with transient_errors(f"put s3://{self.bucket}/{self.key(relpath)}"):
            self.client.put_object(Bucket=self.bucket, Key=self.key(relpath), Body=data,
                                   ContentType=content_type)

    def get(self, relpath: str) -> bytes | None:
        with transient_errors(f"get s3://{self.bucket}/{self.key(relpath)}"):
            try:
                return self.client.get_object(Bucket=self.bucket, Key=self.key(relpath))["Body"].read()
            except ClientError as exc:
                if is_missing(exc):
                    return None
                raise

    def delete(self, relpath: str) -> None:
        with transient_errors(f"delete s3://{self.bucket}/{self.key(relpath)}"):
            self.client.delete_object(Bucket=self.bucket, Key=self.key(relpath))
