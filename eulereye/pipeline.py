"""The page pipeline: bytes of one input file -> every output of each of its pages.

Stages, data flowing one way:
  load (image intake) -> straighten (deskew) -> segment (regions in reading order)
  -> OCR (lines per region) -> page model in original coordinates -> outputs, manifest last.

A permanent failure (bad image, unsupported format, a refused key) is recorded under errors/
and reported in the outcome; anything else propagates (``errors.classify`` tells the caller
whether to retry later or to stop: a configuration fault).

An input is done only when every one of its frames has a manifest for this very input (ETag)
and these settings; a retry of a half-done multi-page file writes exactly the missing frames.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from eulereye import __version__
from eulereye.config import DEFAULT_MAX_PIXELS, Settings
from eulereye.deskew import Straightened, straighten
from eulereye.errors import BadKeyError, PageError
from eulereye.imaging import load_frames
from eulereye.logs import get_logger
from eulereye.model import TEXTLESS_KINDS, Line, Page, Region, Section, Word
from eulereye.ocr import get_engine
from eulereye.outputs.alto import require_dpi
from eulereye.outputs.formats import DEFAULT_FORMATS, parse_formats
from eulereye.outputs.naming import check_relpath, escaped_name, frame_name, output_path, page_name
from eulereye.outputs.store import Store
from eulereye.outputs.writers import Source, format_files, to_json
from eulereye.outputs.xmltext import xml_safe
from eulereye.segment import get_segmenter
from eulereye.textquality import page_quality

log = get_logger()


@dataclass(frozen=True)
class Options:
    engine: str = "tesseract"
    segmenter: str = "auto"
    lang: str = "eng"
    ocr_processes: int = 1  # Tesseract processes reading one page's sections at once
    max_pixels: int = DEFAULT_MAX_PIXELS
    replay_dir: str | None = None  # Textract only: reuse saved raw responses
    force: bool = False  # re-process inputs whose manifest says they are done
    formats: tuple[str, ...] = DEFAULT_FORMATS  # eulereye.outputs.formats.FORMATS to write
    alto_profile: str = "pixel"  # or "ndnp": 1/1200 inch, as the NDNP loads ALTO
    dpi: float | None = None  # the resolution of images whose file states none
    image_tag: str = ""  # the worker image that runs this (cloud); recorded in each manifest
    fcn_weights: str = ""  # a user's FCN checkpoint instead of the shipped weights
    textract_mode: str = "page"  # page: one Textract call per page | section: one per section
    rate_table: str = ""  # DynamoDB table counting Textract calls across the fleet
    textract_tps: int = 0  # fleet-wide Textract calls per second (0: no cap)

    @classmethod
    def from_settings(cls, settings: Settings, **chosen) -> Options:
        """The pipeline's share of the run's settings; ``chosen`` gives the rest (or what a
        command's flags chose instead)."""
        from_settings = dict(
            engine=settings.engine, segmenter=settings.segmenter, lang=settings.lang,
            max_pixels=settings.max_pixels or DEFAULT_MAX_PIXELS, formats=parse_formats(settings.formats),
            alto_profile=settings.alto_profile, dpi=settings.dpi or None, image_tag=settings.image_tag,
            fcn_weights=settings.fcn_weights, textract_mode=settings.textract_mode,
            rate_table=settings.rate_table, textract_tps=settings.textract_tps)
        return cls(**{**from_settings, **chosen})


@dataclass
class FileOutcome:
    name: str
    status: str  # ok | skipped | failed
    pages: int = 0  # frames processed now
    words: int = 0
    frames_kept: int = 0  # frames already done for this input (an earlier, interrupted run)
    seconds: float = 0.0
    error: str | None = None


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        yield
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 4)


def _to_original(lines: list[Line], straight: Straightened) -> list[Line]:
    """Lines in original coordinates, words reduced to what XML can carry (empty ones dropped)."""
    moved = [Line([Word(xml_safe(w.text), w.confidence, straight.to_original(w.bbox))
                   for w in line.words if xml_safe(w.text).strip()]) for line in lines]
    return [line for line in moved if line.words]


def read_text(engine, gray: np.ndarray, regions: list[Region], name: str) -> list[list[Line]]:
    """The lines of each region, OCR'd by ``engine``; pictures get none (reading an engraving
    yields only garbage, and a caption is a text region of its own)."""
    wanted = [i for i, r in enumerate(regions) if r.kind not in TEXTLESS_KINDS]
    lines: list[list[Line]] = [[] for _ in regions]
    if not wanted:  # a blank page or only pictures: no engine call (Textract would bill one)
        return lines
    read = engine.read_regions(gray, [regions[i] for i in wanted], name)
    for i, region_lines in zip(wanted, read):
        lines[i] = region_lines
    return lines


def geometric_ids(regions: list[Region]) -> list[int]:
    """Stable section ids: 1-based rank of each region top-to-bottom, then left-to-right,
    independent of the reading order (which is a judgement and may change)."""
    ranked = sorted(range(len(regions)), key=lambda i: (regions[i].bbox[1], regions[i].bbox[0]))
    ids = [0] * len(regions)
    for rank, index in enumerate(ranked, start=1):
        ids[index] = rank
    return ids


class Pipeline:
    """Holds the segmenter and OCR engine (models loaded once) for a whole batch."""

    def __init__(self, options: Options, store: Store):
        self.options = options
        self.store = store
        # The engine first: it may fork OCR processes, best done before a segmenter starts threads.
        self.engine = get_engine(options.engine, lang=options.lang, ocr_processes=options.ocr_processes,
                                 replay_dir=options.replay_dir, raw_store=store,
                                 textract_mode=options.textract_mode, rate_table=options.rate_table,
                                 textract_tps=options.textract_tps)
        try:
            self.segmenter = get_segmenter(options.segmenter, options.fcn_weights)
        except BaseException:
            # Its OCR processes would otherwise be torn down at interpreter exit, which can
            # print a traceback after the one-line error (a closed pipe in concurrent.futures).
            self.close()
            raise

    def close(self) -> None:
        close = getattr(self.engine, "close", None)
        if close:
            close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- one file ---------------------------------------------------------------------------
    def process_file(self, data: bytes, relpath: str, *, name: str | None = None,
                     source: dict | None = None, on_page=None) -> FileOutcome:
        """``on_page(index, count)`` is called after each frame is written (progress bars)."""
        source = {"key": relpath, "size": len(data), **(source or {})}
        source.setdefault("etag", hashlib.md5(data).hexdigest())  # the worker brings S3's
        try:
            check_relpath(relpath)
        except BadKeyError as exc:
            return self.refuse(relpath, source, exc)
        name = name or page_name(relpath)
        start = time.perf_counter()
        if not self.options.force and self.is_done(name, source["etag"]):
            log.info("skipped", page=name, reason="unchanged input already processed")
            return FileOutcome(name, "skipped")
        outcome = FileOutcome(name, "ok")
        try:
            for frame in load_frames(data, relpath, max_pixels=self.options.max_pixels):
                framed = frame_name(name, frame.index, frame.count)
                if not self.options.force and self._finished(framed, source["etag"]):
                    outcome.frames_kept += 1  # done before an interruption: not redone
                    continue
                page = self._process_frame(frame.gray, framed, source,
                                           frame_info=(frame.index, frame.count),
                                           dpi=frame.dpi or self.options.dpi)
                outcome.pages += 1
                outcome.words += page.word_count
                if on_page:
                    on_page(frame.index, frame.count)
        except PageError as exc:
            if not exc.permanent:
                raise
            self.record_failure(name, source, exc)
            outcome.status, outcome.error = "failed", f"{type(exc).__name__}: {exc}"
        else:
            self.store.delete(output_path("errors", name))  # an earlier failure is now fixed
        if outcome.frames_kept:
            log.info("frames kept", page=name, kept=outcome.frames_kept, processed=outcome.pages)
        outcome.seconds = round(time.perf_counter() - start, 3)
        return outcome

    def refuse(self, relpath: str, source: dict, exc: BadKeyError) -> FileOutcome:
        """Record a key that cannot name outputs, under its escaped name."""
        name = page_name(escaped_name(relpath))
        self.record_failure(name, {**source, "key": escaped_name(source["key"])}, exc)
        return FileOutcome(name, "failed", error=f"{type(exc).__name__}: {exc}")

    def _process_frame(self, gray: np.ndarray, name: str, source: dict,
                       frame_info: tuple[int, int], dpi: float | None = None) -> Page:
        timings = Timings()
        height, width = gray.shape
        if self.options.alto_profile == "ndnp" and "alto" in self.options.formats:
            require_dpi(name, dpi)  # before the OCR, not after it
        with timings.stage("deskew"):
            straight = straighten(gray)
        log.info("straightened", page=name, angle=straight.angle, seconds=timings.seconds["deskew"])
        with timings.stage("segment"):
            regions = self.segmenter.segment(straight.gray)
        log.info("segmented", page=name, sections=len(regions), seconds=timings.seconds["segment"])
        with timings.stage("ocr"):
            if hasattr(self.engine, "set_input"):  # Textract: a saved response for it is reused
                self.engine.set_input(source)
            lines_per_region = read_text(self.engine, straight.gray, regions, name)
        page = self._page_model(name, width, height, straight, regions, lines_per_region)
        page.dpi = dpi
        log.info("recognised", page=name, words=page.word_count, seconds=timings.seconds["ocr"])
        with timings.stage("write"):
            format_seconds = self._write_files(page, source, gray)
        # The manifest goes last: a page with a manifest is complete.
        manifest = self._manifest(page, source, timings, frame_info)
        manifest.update(formats=format_seconds, alto_profile=self.options.alto_profile, dpi=dpi)
        self.store.put(output_path("manifest", name), to_json(manifest), "application/json")
        log.info("written", page=name, seconds=timings.seconds["write"])
        return page

    @staticmethod
    def _page_model(name, width, height, straight, regions, lines_per_region) -> Page:
        ids = geometric_ids(regions)
        sections = [
            Section(id=ids[i], order=i, kind=region.kind, bbox=straight.to_original(region.bbox),
                    lines=_to_original(lines, straight))
            for i, (region, lines) in enumerate(zip(regions, lines_per_region))
        ]
        return Page(name=name, width=width, height=height, sections=sections,
                    skew_angle=straight.angle, shear_angle=straight.shear)

    # -- outputs ----------------------------------------------------------------------------
    def _write_files(self, page: Page, source: dict, image: np.ndarray) -> dict[str, float]:
        """Writes each format's files; returns the seconds each format took (render and store)."""
        about = Source(source["key"], __version__, self.options.engine, self.options.alto_profile)
        seconds = {}
        for fmt in self.options.formats:
            start = time.perf_counter()
            for relpath, (data, content_type) in format_files(fmt, page, image, about).items():
                self.store.put(relpath, data, content_type)
            seconds[fmt] = round(time.perf_counter() - start, 4)
        return seconds

    def _settings(self) -> dict:
        return {"engine": self.options.engine, "segmenter": self.segmenter.name,
                "lang": self.options.lang}

    def _manifest(self, page: Page, source: dict, timings: Timings, frame_info) -> dict:
        return {
            "status": "ok",
            "name": page.name,
            "input": source,
            **self._settings(),
            "versions": {"eulereye": __version__, "engine": self.engine.version(),
                         "python": platform.python_version(), "image": self.options.image_tag or None},
            "image": {"width": page.width, "height": page.height,
                      "frame": frame_info[0] + 1, "frames": frame_info[1]},
            "skew_angle": page.skew_angle,
            "shear_angle": page.shear_angle,
            "timings": timings.seconds,
            "counts": {"sections": len(page.sections),
                       "lines": sum(len(s.lines) for s in page.sections),
                       "words": page.word_count, "characters": len(page.text)},
            "quality": page_quality(page, self.options.lang),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }

    def is_done(self, name: str, etag: str) -> bool:
        """True when every frame of the input has a manifest recording this very input, read
        with the same engine, segmenter and language (and every format asked for): the plain
        name for a single-frame file, else ``<name>_f0001``... up to the frame count the first
        frame's manifest gives."""
        if self._finished(name, etag):
            return True
        first = self._finished(frame_name(name, 0, 2), etag)
        if first is None:
            return False
        frames = first.get("image", {}).get("frames", 1)
        return all(self._finished(frame_name(name, i, frames), etag) for i in range(1, frames))

    def _finished(self, name: str, etag: str) -> dict | None:
        """The manifest of page ``name`` when it records this input, these settings and
        formats."""
        raw = self.store.get(output_path("manifest", name))
        if raw is None:
            return None
        manifest = json.loads(raw)
        settings = {key: manifest.get(key) for key in self._settings()}
        same = (manifest.get("input", {}).get("etag") == etag and settings == self._settings()
                and self._has_formats(manifest))
        return manifest if same else None

    def _has_formats(self, manifest: dict) -> bool:
        """Whether the page's manifest lists every format asked for now (in the same profile)."""
        written = manifest.get("formats", DEFAULT_FORMATS)
        same_alto = manifest.get("alto_profile", "pixel") == self.options.alto_profile
        return set(self.options.formats) <= set(written) and ("alto" not in self.options.formats or same_alto)

    def record_failure(self, name: str, source: dict, exc: Exception) -> None:
        """Write errors/<name>.json: the page failed for good (also for a file that could not
        even be read, which callers report without going through ``process_file``)."""
        write_failure(self.store, name, source, exc)


def write_failure(store: Store, name: str, source: dict, exc: Exception, **details) -> None:
    """errors/<name>.json: input, error class, message (and ``details``, e.g. deliveries)."""
    log.warning("page failed", page=name, error=type(exc).__name__, message=str(exc))
    record = {"status": "failed", "name": name, "input": source, "error": type(exc).__name__,
              "message": str(exc), "permanent": getattr(exc, "permanent", True), **details,
              "time": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    store.put(output_path("errors", name), to_json(record), "application/json")
