"""boto3 clients for the operator commands (upload, status, retry).

They run on a person's laptop against a bucket that may be throttling a bulk upload: retry
throttling and 5xx answers patiently (botocore's standard mode, with backoff) rather than
giving up after the legacy default of two retries.
"""

from __future__ import annotations

OPERATOR_MAX_ATTEMPTS = 10


def operator_client(service: str):
    import boto3
    from botocore.config import Config

    return boto3.client(service, config=Config(retries={"mode": "standard",
                                                        "max_attempts": OPERATOR_MAX_ATTEMPTS}))
