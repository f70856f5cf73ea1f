"""The one place the ``EULEREYE_*`` environment is read: ``settings_from(os.environ)`` builds the
run's ``Settings`` at the edge (the CLI; the scaler Lambda has its own, boto3-only reader) and
checks every value, so a wrong one stops the command before any work with one line naming the
variable and what it accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields

from eulereye.config import Settings
from eulereye.logs import LOG_FORMATS
from eulereye.ocr.base import ENGINES, TEXTRACT_MODES
from eulereye.outputs.formats import ALTO_PROFILES, FORMATS, parse_formats
from eulereye.segment.base import SEGMENTERS

PREFIX = "EULEREYE_"


class SettingError(ValueError):
    """An ``EULEREYE_*`` variable with a value its setting does not accept."""


def whole(minimum: int, meaning: str) -> tuple[Callable[[str], int], str]:
    def read(raw: str) -> int:
        if not raw.isdigit() or int(raw) < minimum:
            raise ValueError
        return int(raw)
    return read, f"a whole number{' from 1' if minimum else ''}: {meaning}"


def non_negative_number(meaning: str) -> tuple[Callable[[str], float], str]:
    def read(raw: str) -> float:
        value = float(raw)
        if not value >= 0 or value == float("inf"):
            raise ValueError
        return value
    return read, f"a number: {meaning}"


def one_of(choices: tuple[str, ...]) -> tuple[Callable[[str], str], str]:
    def read(raw: str) -> str:
        if raw not in choices:
            raise ValueError
        return raw
    return read, "one of " + ", ".join(choices)


def formats(raw: str) -> str:
    parse_formats(raw)
    return raw


def text(raw: str) -> str:
    return raw


# How each setting is read from its variable, and what it accepts (said when a value is wrong).
READERS: dict[str, tuple[Callable[[str], object], str]] = {
    "engine": one_of(ENGINES),
    "segmenter": one_of(SEGMENTERS),
    "max_pixels": whole(0, "the most pixels an image may have (0: the default)"),
    "jobs": whole(0, "pages processed at once (0: one per CPU)"),
    "log_format": one_of(LOG_FORMATS),
    "idle_seconds": whole(1, "seconds without work before the worker exits"),
    "visibility_timeout": whole(1, "seconds a received message stays hidden"),
    "stop_grace_seconds": whole(0, "seconds pages in progress may finish after SIGTERM"),
    "textract_mode": one_of(TEXTRACT_MODES),
    "formats": (formats, f"a comma-separated list of {','.join(FORMATS)}, or all"),
    "alto_profile": one_of(ALTO_PROFILES),
    "dpi": non_negative_number("the resolution of images whose file states none (0: none)"),
    "page_timeout": whole(1, "seconds one page may take before it is stopped"),
    "textract_tps": whole(0, "Textract calls per second across the fleet (0: no cap)"),
}


def variable(field_name: str) -> str:
    return PREFIX + field_name.upper()


def settings_from(environ: Mapping[str, str]) -> Settings:
    """The settings the ``EULEREYE_*`` variables of ``environ`` give; an unset or empty
    variable keeps its default. Raises SettingError naming the first wrong variable."""
    values = {}
    for field in fields(Settings):
        raw = environ.get(variable(field.name), "").strip()
        if not raw:
            continue
        read, accepts = READERS.get(field.name, (text, "text"))
        try:
            values[field.name] = read(raw)
        except ValueError:
            raise SettingError(f"{variable(field.name)}={raw!r} is not accepted; it takes {accepts}") from None
    return Settings(**values)
