"""Errors a page can fail with, and the one classifier that decides what each failure means.

``classify`` sorts any exception into one of three kinds, for the pipeline, the engines and
the worker alike:

* ``permanent``: the input is bad (corrupt image, unsupported format, a key that cannot name
  outputs). It is recorded under ``errors/`` and its message deleted; retrying cannot help.
* ``configuration``: the deployment is wrong, not the page (a missing language model or
  weights, AccessDenied, expired credentials, an unknown bucket or queue). Every page would
  fail the same way, so the worker stops taking work, leaves the messages untouched and exits
  non-zero; nothing is recorded against the pages.
* ``transient``: everything else (throttling, 5xx, timeouts, a bug met once). The message stays
  and SQS redelivers it; the last delivery runs alone and, failing again, is recorded.
"""

from __future__ import annotations

PERMANENT, CONFIGURATION, TRANSIENT = "permanent", "configuration", "transient"

# AWS error codes that say the deployment, not the page, is wrong.
CONFIGURATION_CODES = frozenset({
    "AccessDenied", "AccessDeniedException", "KMS.AccessDeniedException", "AuthFailure",
    "AuthorizationError", "UnauthorizedOperation", "ExpiredToken", "ExpiredTokenException",
    "InvalidAccessKeyId", "InvalidClientTokenId", "InvalidToken", "SignatureDoesNotMatch",
    "UnrecognizedClientException", "MissingAuthenticationToken", "NoSuchBucket",
    "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
    "SubscriptionRequiredException", "OptInRequired", "KMS.DisabledException",
    "KMS.NotFoundException", "ResourceNotFoundException",
})
# AWS error codes worth the same call again later: throttling (the codes botocore's standard
# retry mode takes for throttling) and the services' own passing faults. With any 5xx status,
# a timeout or a dropped connection they make ``worth_retrying``.
THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
    "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
})
TRANSIENT_CODES = THROTTLING_CODES | frozenset({
    "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError",
    "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException", "OperationAborted",
})
# Textract's answers about the document itself.
BAD_INPUT_CODES = frozenset({
    "InvalidParameterException", "UnsupportedDocumentException", "BadDocumentException",
    "DocumentTooLargeException", "InvalidImageFormatException",
})


class PageError(Exception):
    permanent = True


class BadImageError(PageError):
    """The file is not a readable image: zero bytes, truncated, corrupt, not an image at all."""


class MissingDpiError(PageError):
    """An output needs the image's resolution (NDNP ALTO's 1/1200 inch) and neither the file
    nor ``--dpi`` gives one."""


class UnsupportedFormatError(PageError):
    """A readable file in a format we do not take (see ``imaging.SUPPORTED_SUFFIXES``)."""


class ImageTooLargeError(PageError):
    """More pixels than the configured limit: a guard against decompression bombs."""


class BadKeyError(PageError):
    """An input key or path that cannot name outputs safely: a ``..`` segment, a leading
    ``/`` or control characters."""


class PageCrashedError(PageError):
    """The page's process died (a signal, out of memory) or ran past its deadline, and kept
    doing so when the page ran alone on its last delivery."""


class TransientError(PageError):
    """Worth trying again later: throttling, a 5xx from AWS, a timeout."""

    permanent = False


class UsageError(Exception):
    """A mistake in how the command was called (a path that does not exist, an option out of
    range): the CLI reports it in one line and exits with status 2."""


class ConfigurationError(Exception):
    """The deployment is wrong, not the page: stop taking work, leave the messages, exit
    non-zero (see the module docstring)."""


class MissingExtraError(UsageError, ConfigurationError):
    """A feature whose optional packages are not installed (``pip install 'eulereye[fcn]'`` for
    the FCN segmenter): on the command line a usage mistake (one line, exit 2); in the worker a
    configuration fault, since every page would fail the same way."""


def aws_error_code(exc: BaseException) -> str:
    """The error code of a botocore ``ClientError`` ('' for anything else)."""
    response = getattr(exc, "response", None)
    return response.get("Error", {}).get("Code", "") if isinstance(response, dict) else ""


def is_throttling(exc: BaseException) -> bool:
    return aws_error_code(exc) in THROTTLING_CODES


def worth_retrying(exc: BaseException) -> bool:
    """Throttling, a passing service fault, any 5xx, a timeout or a dropped connection: the
    same call may well succeed a little later."""
    response = getattr(exc, "response", None)
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) if isinstance(response, dict) else 0
    if aws_error_code(exc) in TRANSIENT_CODES or status >= 500:
        return True
    try:
        from botocore.exceptions import ConnectionError, HTTPClientError
    except ImportError:  # pragma: no cover - botocore is a dependency
        return False
    return isinstance(exc, (ConnectionError, HTTPClientError))


def classify(exc: BaseException) -> str:
    """``permanent``, ``configuration`` or ``transient`` (see the module docstring)."""
    if isinstance(exc, ConfigurationError):
        return CONFIGURATION
    if isinstance(exc, PageError):
        return PERMANENT if exc.permanent else TRANSIENT
    code = aws_error_code(exc)
    if code in CONFIGURATION_CODES:
        return CONFIGURATION
    if code in BAD_INPUT_CODES:
        return PERMANENT
    try:
        from botocore.exceptions import NoCredentialsError, NoRegionError, PartialCredentialsError
    except ImportError:  # pragma: no cover - botocore is a dependency
        return TRANSIENT
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError, NoRegionError)):
        return CONFIGURATION
    return TRANSIENT


def as_classified(exc: BaseException, action: str) -> Exception:
    """``exc`` as the plain exception of its kind (ConfigurationError, a permanent PageError or
    TransientError), with ``action`` and the original message: safe to pickle between
    processes and to log in one line."""
    kind = classify(exc)
    if isinstance(exc, (PageError, ConfigurationError)):
        return exc
    message = f"{action}: {type(exc).__name__}: {exc}"
    if kind == CONFIGURATION:
        return ConfigurationError(message)
    if kind == PERMANENT:
        return BadImageError(message)
    return TransientError(message)
