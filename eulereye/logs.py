"""structlog set-up: JSON lines in the cloud (or when asked), readable lines on a terminal.

Every stage logs one event with the page name, its duration and its counts, e.g.
``log.info("segmented", page=name, seconds=0.41, sections=23)``.
"""

from __future__ import annotations

import logging
import sys

import structlog


class _CurrentStderr:
    """Writes to whatever ``sys.stderr`` is at the time of writing (tests and tools swap it),
    not the stream that happened to be there when logging was configured."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def uses_json(log_format: str) -> bool:
    return log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())


def _leave_out(events: frozenset[str]):
    """A processor dropping the named events (shown another way, e.g. in a batch summary)."""
    def leave_out(logger, method, event_dict):
        if event_dict.get("event") in events:
            raise structlog.DropEvent
        return event_dict
    return leave_out


def configure(log_format: str = "auto", level: int = logging.INFO,
              leave_out: frozenset[str] = frozenset()) -> None:
    """``log_format``: ``json``, ``console`` or ``auto`` (console only on a terminal).
    ``leave_out``: names of events not to log at all."""
    use_json = uses_json(log_format)
    renderer = structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            _leave_out(leave_out),
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=_CurrentStderr()),
        cache_logger_on_first_use=False,
    )


def get_logger(**bound):
    return structlog.get_logger("eulereye").bind(**bound)
