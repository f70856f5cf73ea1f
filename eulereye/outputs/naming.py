"""How input paths and keys become output names.

``<name>`` is the path below the input root without its final extension, sub-folders kept:
``1890/03/p.001.tif`` -> ``1890/03/p.001``. Frame *i* (1-based) of a multi-frame image
(multi-page TIFF) is ``<name>_f0001`` etc.; a single-frame file keeps the plain name.
"""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath

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


def unique_names(relpaths: list[str]) -> dict[str, str]:
    """Output names for a batch, never colliding.

    ``scan.tif`` and ``scan.png`` in one folder would both be ``scan``; those that clash keep
    their extension instead (``scan.tif``, ``scan.png``), so no output overwrites another.
    """
    plain = {p: page_name(p) for p in relpaths}
    clashes = Counter(plain.values())
    return {p: (p if clashes[n] > 1 else n) for p, n in plain.items()}


def output_path(kind: str, name: str, suffix: str | None = None) -> str:
    """``output_path("alto", "1890/p.001")`` -> ``alto/1890/p.001.xml``."""
    return f"{kind}/{name}{suffix or OUTPUT_KINDS[kind]}"
