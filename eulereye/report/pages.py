"""What the report says about each page, read back from the output tree (local or a bucket).

A page is one manifest (done) or one errors/ record (failed). Its figures come from its own
outputs: words and their confidences from ``ocr_coords/``, sections from ``sections/``, time
and status from the manifest. The pages that most need a look come first: failures, then pages
with the most concerns (low confidence, few dictionary words, no text, a layout unlike the
rest of the batch), the worst read first among equals.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from eulereye.outputs.naming import output_path
from eulereye.textquality import dictionary_share, mean_confidence

LOW_CONFIDENCE = 70.0  # mean word confidence (0..100) below which a page needs a look
LOW_DICTIONARY_SHARE = 0.6  # share of dictionary words below which a page needs a look
UNUSUAL_LAYOUT_FACTOR = 3  # sections more or fewer than this factor off the batch median


@dataclass
class PageSummary:
    name: str
    status: str  # ok | failed
    input_key: str = ""
    frame: int = 1
    width: int = 0
    height: int = 0
    words: int = 0
    sections: list[dict] = field(default_factory=list)  # id, order, kind, bbox, text
    mean_confidence: float | None = None
    dictionary_share: float | None = None
    seconds: float | None = None
    error: str = ""
    finished: str = ""
    concerns: list[str] = field(default_factory=list)

    def attention_key(self) -> tuple:
        """Sorts the pages that most need a look first."""
        confidence = None if self.mean_confidence is None else self.mean_confidence / 100
        quality = min((v for v in (self.dictionary_share, confidence) if v is not None), default=0.0)
        return (self.status == "ok", -len(self.concerns), quality, self.name)


class OutputReader:
    """Reads an output tree: ``names(kind)`` lists the pages that have a file of ``kind``,
    ``get(relpath)`` reads one file (None when missing)."""

    def __init__(self, list_relpaths: Callable[[str], Iterable[str]], get: Callable[[str], bytes | None]):
        self._list = list_relpaths
        self.get = get

    @classmethod
    def folder(cls, root: Path) -> OutputReader:
        def list_relpaths(kind: str):
            base = root / kind
            return (p.relative_to(root).as_posix() for p in base.rglob("*.json") if p.is_file()) if base.is_dir() else ()

        def get(relpath: str):
            path = root / relpath
            return path.read_bytes() if path.is_file() else None

        return cls(list_relpaths, get)

    @classmethod
    def bucket(cls, s3, bucket: str, prefix: str) -> OutputReader:
        """The output tree under ``prefix`` (e.g. ``output/``) of an S3 bucket."""
        from eulereye.outputs.s3store import S3Store

        store = S3Store(s3, bucket, prefix)

        def list_relpaths(kind: str):
            pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=store.key(kind + "/"))
            return (obj["Key"][len(store.prefix):] for page in pages for obj in page.get("Contents", [])
                    if obj["Key"].endswith(".json"))

        return cls(list_relpaths, store.get)

    def names(self, kind: str) -> list[str]:
        return sorted(rel[len(kind) + 1:-len(".json")] for rel in self._list(kind))

    def json(self, relpath: str):
        raw = self.get(relpath)
        return json.loads(raw) if raw is not None else None


def _page_words(reader: OutputReader, name: str) -> tuple[list[str], list[float]]:
    """The page's words and their confidences from ocr_coords/; when that format was not
    written, the words of its plain text (and no confidences)."""
    coords = reader.json(output_path("ocr_coords", name, ".json"))
    if coords is not None:
        return [w["word"] for w in coords], [w["confidence"] for w in coords]
    text = reader.get(output_path("ocr_plain_text", name)) or b""
    return text.decode("utf-8", errors="replace").split(), []


def _done_page(reader: OutputReader, name: str, manifest: dict) -> PageSummary:
    words, confidences = _page_words(reader, name)
    image = manifest.get("image", {})
    return PageSummary(
        name=name, status="ok", input_key=manifest.get("input", {}).get("key", ""),
        frame=image.get("frame", 1), width=image.get("width", 0), height=image.get("height", 0),
        words=manifest.get("counts", {}).get("words", len(words)),
        sections=reader.json(output_path("sections", name)) or [],
        mean_confidence=mean_confidence(confidences), dictionary_share=dictionary_share(words),
        seconds=round(sum(manifest.get("timings", {}).values()), 2),
        finished=manifest.get("finished", ""))


def _failed_page(name: str, record: dict) -> PageSummary:
    return PageSummary(name=name, status="failed", input_key=record.get("input", {}).get("key", ""),
                       error=f"{record.get('error', 'Error')}: {record.get('message', '')}",
                       finished=record.get("time", ""))


def _concerns(page: PageSummary, median_sections: float) -> list[str]:
    if page.status == "failed":
        return ["failed"]
    concerns = []
    if page.mean_confidence is not None and page.mean_confidence < LOW_CONFIDENCE:
        concerns.append(f"low confidence ({page.mean_confidence:.0f})")
    if page.dictionary_share is not None and page.dictionary_share < LOW_DICTIONARY_SHARE:
        concerns.append(f"few dictionary words ({page.dictionary_share:.0%})")
    if page.words == 0:
        concerns.append("no text found")
    count = len(page.sections)
    if median_sections and not median_sections / UNUSUAL_LAYOUT_FACTOR <= count <= median_sections * UNUSUAL_LAYOUT_FACTOR:
        concerns.append(f"unusual layout ({count} sections, median {median_sections:g})")
    return concerns


def read_pages(reader: OutputReader) -> list[PageSummary]:
    """Every page of the output tree, those that most need a look first."""
    pages = {name: _done_page(reader, name, reader.json(output_path("manifest", name)))
             for name in reader.names("manifest")}
    for name in reader.names("errors"):
        if name not in pages:
            pages[name] = _failed_page(name, reader.json(output_path("errors", name)))
    done = [len(p.sections) for p in pages.values() if p.status == "ok"]
    median_sections = statistics.median(done) if len(done) >= 3 else 0
    for page in pages.values():
        page.concerns = _concerns(page, median_sections)
    return sorted(pages.values(), key=PageSummary.attention_key)
