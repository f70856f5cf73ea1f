"""structlog set-up: JSON lines in the cloud (or when asked), readable lines on a terminal.

Every stage logs one event with the page name, its duration and its counts, e.g.
``log.info("segmented", page=name, seconds=0.41, sections=23)``.
"""

from __future__ import annotations

import logging
import sys

import structlog

LOG_FORMATS = ("auto", "json", "console")  # auto: console on a terminal, JSON otherwise


class _CurrentStderr:
    """Writes to whatever ``sys.stderr`` is at the time of writing (tests and tools swap it),
    not the stream that happened to be there when logging was configured."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def uses_json(log_format: str) -> bool:
    return log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())


_PROCESSORS: list = []  # shared by every logger, so that configure() reaches them all
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
           "warn": logging.WARNING, "error": logging.ERROR, "exception": logging.ERROR,
           "critical": logging.CRITICAL}


def _keep_only(level: int, leave_out: frozenset[str]):
    """A processor dropping events below ``level`` and those named in ``leave_out``. A processor,
    not the wrapper class, so that it also holds for loggers bound before ``configure``."""
    def keep_only(logger, method, event_dict):
        if _LEVELS.get(method, logging.INFO) < level or event_dict.get("event") in leave_out:
            raise structlog.DropEvent
        return event_dict
    return keep_only


def configure(log_format: str = "auto", level: int = logging.INFO,
              leave_out: frozenset[str] = frozenset()) -> None:
    """``log_format``: ``json``, ``console`` or ``auto`` (console only on a terminal).
    ``leave_out``: names of events not to log at all."""
    use_json = uses_json(log_format)
    renderer = structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer()
    # In place: loggers bound earlier (module-level ones) hold this very list.
    _PROCESSORS[:] = [
        _keep_only(level, leave_out),
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        renderer,
    ]
    structlog.configure(
        processors=_PROCESSORS,
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        logger_factory=structlog.PrintLoggerFactory(file=_CurrentStderr()),
        cache_logger_on_first_use=False,
    )


configure()


def get_logger(**bound):
    """A logger that renders with the configuration current when it logs, so a module-level
    logger created before ``configure`` (at import) still writes JSON once that is chosen."""
    return structlog.get_logger("eulereye", **bound)
