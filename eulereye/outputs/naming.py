"""How input paths and keys become output names.

``<name>`` is the path below the input root without its final extension, sub-folders kept:
``1890/03/p.001.tif`` -> ``1890/03/p.001``. Frame *i* (1-based) of a multi-frame image
(multi-page TIFF) is ``<name>_f0001`` etc.; a single-frame file keeps the plain name.

One rule, locally and in the cloud (``name_among``): when another page file in the same folder
has the same stem (``scan.tif`` beside ``scan.png``), the name keeps its extension, so no input
overwrites another's outputs. Keys with a ``..`` segment, a leading ``/`` or control characters
are refused (``check_relpath``); their ``errors/`` record is filed under ``escaped_name``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import PurePosixPath

from eulereye.errors import BadKeyError

# One folder per output kind, as DESIGN.md fixes them, with the suffix of its files.
OUTPUT_KINDS = {
    "ocr_plain_text": ".txt",
    "ocr_coords": ".txt",  # plus .json beside it
    "sections": ".json",
    "alto": ".xml",
    "hocr": ".hocr",
    "page": ".xml",
    "pdf": ".pdf",
    "manifest": ".json",
    "errors": ".json",
}


def page_name(relpath: str) -> str:
    """``a/b/p.001.tif`` -> ``a/b/p.001`` (only the final extension goes)."""
    path = PurePosixPath(relpath.replace("\\", "/"))
    if not path.suffix:
        return str(path)
    return str(path.with_suffix(""))


def frame_name(name: str, frame: int, frames: int) -> str:
    """The output name of one frame (0-based ``frame``) of a file with ``frames`` frames."""
    return name if frames == 1 else f"{name}_f{frame + 1:04d}"


def name_among(relpath: str, pages: Iterable[str]) -> str:
    """The output name of ``relpath`` given the other page files ``pages`` (any that share its
    folder and stem are enough): its plain name, or ``relpath`` itself when another page has
    the same plain name."""
    plain = page_name(relpath)
    return relpath if any(p != relpath and page_name(p) == plain for p in pages) else plain


def unique_names(relpaths: list[str]) -> dict[str, str]:
    """``name_among`` for a whole batch at once: ``scan.tif`` and ``scan.png`` in one folder
    would both be ``scan``, so they keep their extension (``scan.tif``, ``scan.png``)."""
    plain = {p: page_name(p) for p in relpaths}
    clashes = Counter(plain.values())
    return {p: (p if clashes[n] > 1 else n) for p, n in plain.items()}


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff"


def check_relpath(relpath: str) -> None:
    """Raise BadKeyError for a path that cannot name outputs: empty, a leading ``/``, a ``..``
    (or ``.``) segment, an empty segment, or a control character."""
    problem = None
    if not relpath:
        problem = "empty name"
    elif relpath.startswith("/"):
        problem = "leading '/'"
    elif any(_is_control(c) for c in relpath):
        problem = "control character"
    elif any(part in ("", ".", "..") for part in relpath.split("/")):
        problem = "'..', '.' or empty path segment"
    if problem:
        raise BadKeyError(f"{escaped_name(relpath)}: key refused ({problem}); rename the input")


def escaped_name(relpath: str) -> str:
    """A printable, safe name for a refused key's ``errors/`` record: control characters as
    ``%XX``, ``.``/``..``/empty segments and a leading ``/`` percent-encoded."""
    text = "".join(f"%{ord(c):02X}" if _is_control(c) or c == "%" else c for c in relpath)
    parts = ["%2E" * len(p) if p in (".", "..") else (p or "%2F") for p in text.split("/")]
    return "/".join(parts) or "%00"


def output_path(kind: str, name: str, suffix: str | None = None) -> str:
    """``output_path("alto", "1890/p.001")`` -> ``alto/1890/p.001.xml``."""
    return f"{kind}/{name}{suffix or OUTPUT_KINDS[kind]}"
