"""A local output tree (``process --out DIR``) read back: run records, outputs whose input is
gone, and the per-folder status that ``eulereye status --out DIR`` shows."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from eulereye.outputs.naming import frame_name, output_path
from eulereye.outputs.store import LocalStore
from eulereye.outputs.writers import to_json
from eulereye.textquality import flag_pages

RUNS = "runs"  # runs/<UTC time>.json: what each `eulereye process` run did
RECORD_KINDS = ("manifest", "errors")  # the folders whose records name the input they came from
# Suffixes of a page's files in every output folder (ocr_coords has .txt and .json; raw/ keeps
# Textract responses as .textract.json).
PAGE_FILE_SUFFIXES = (".txt", ".json", ".xml", ".hocr", ".pdf", ".textract.json")
FRAME_LIMIT = 9999  # frame names have four digits
_FRAME_SUFFIX = re.compile(r"_f\d{4}$")


def folder_of(name: str) -> str:
    """The top-level folder a page name is counted under (``.`` for the top level)."""
    return name.split("/", 1)[0] if "/" in name else "."


def records(root: Path, kind: str):
    """(name, path) of every record under ``root/kind`` (manifest or errors)."""
    base = root / kind
    for path in sorted(base.rglob("*.json")):
        if not path.name.startswith(".tmp-"):
            yield path.relative_to(base).as_posix()[: -len(".json")], path


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def orphans(root: Path, batch_names: set[str]) -> list[str]:
    """Names whose manifest or error record points to an input file that no longer exists.
    Pages of this batch (``batch_names``, frames included) are not read again."""
    gone = []
    for kind in RECORD_KINDS:
        for name, path in records(root, kind):
            if name in batch_names or _FRAME_SUFFIX.sub("", name) in batch_names:
                continue
            source = _read(path).get("input", {}).get("path")
            if source and not Path(source).exists():
                gone.append(name)
    return sorted(set(gone))


def prune(root: Path, names: list[str]) -> int:
    """Delete every output file of ``names`` (all output folders); returns how many went."""
    removed = 0
    folders = [d for d in root.iterdir() if d.is_dir() and d.name != RUNS]
    for name in names:
        for folder in folders:
            for suffix in PAGE_FILE_SUFFIXES:
                target = folder / f"{name}{suffix}"
                if target.is_file():
                    target.unlink()
                    removed += 1
    return removed


def write_run(root: Path, record: dict) -> str:
    """Save a run's record as runs/<UTC time>.json; returns its path relative to ``root``."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    relpath = f"{RUNS}/{stamp}.json"
    LocalStore(root).put(relpath, to_json(record), "application/json")
    return relpath


def last_run(root: Path) -> dict:
    runs = sorted((root / RUNS).glob("*.json"))
    return _read(runs[-1]) if runs else {}


def page_figures(manifest: dict) -> dict:
    """What ``flag_pages`` compares: the word count and the quality figures of a manifest."""
    return {"words": manifest.get("counts", {}).get("words", 0), **manifest.get("quality", {})}


def tree_status(root: Path) -> dict:
    """Per top-level folder: pages done (manifests), files failed (errors), files the last run
    skipped as unchanged, and pages flagged against the median of the whole tree."""
    figures = {name: page_figures(_read(path)) for name, path in records(root, "manifest")}
    failures = {name: failure_reason(name, _read(path)) for name, path in records(root, "errors")}
    return status_report({"done": figures, "failed": failures, "skipped": last_run(root).get("skipped", [])},
                         figures, failures)


def status_report(columns: dict, figures: dict[str, dict], failures: dict[str, str]) -> dict:
    """What ``eulereye status`` shows of an output tree, local or in a bucket: per top-level
    folder the pages named in each of ``columns`` (column -> names) and the pages flagged against
    the median of ``figures`` (done page -> ``page_figures``); every flagged page with why, and
    every failed one (``failures``) with its one-line reason."""
    flagged = flag_pages(figures)
    return {"folders": folder_counts({**columns, "flagged": flagged}), "flagged": flagged, "failed": failures}


def folder_counts(columns: dict) -> dict[str, dict[str, int]]:
    """Top-level folder -> how many of the names in each of ``columns`` (column -> names) lie in it."""
    folders: dict[str, Counter] = {}
    for column, names in columns.items():
        for name in names:
            folders.setdefault(folder_of(name), Counter())[column] += 1
    return {f: {column: c[column] for column in columns} for f, c in sorted(folders.items())}


def failure_reason(name: str, record: dict) -> str:
    """The first line of an errors/ record's message, naming the page when the message does not."""
    reason = (record.get("message") or record.get("error") or "failed").split("\n", 1)[0]
    return reason if name in reason else f"{name}: {reason}"


def batch_manifests(root: Path, names):
    """(page name, manifest) of every page written for the files ``names``: the plain name, or
    each frame's name for a multi-page file."""
    for name in names:
        manifest = _read_manifest(root, name)
        if manifest:
            yield name, manifest
            continue
        for index in range(FRAME_LIMIT):
            framed = frame_name(name, index, 2)
            manifest = _read_manifest(root, framed)
            if not manifest:
                break
            yield framed, manifest


def _read_manifest(root: Path, name: str) -> dict:
    path = root / output_path("manifest", name)
    return _read(path) if path.is_file() else {}
