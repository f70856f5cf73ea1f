"""Amazon Textract engine: DetectDocumentText on the page's bytes, words assigned to sections.

One call per page by default (the original system paid one call per section); per-section calls
when ``EULEREYE_TEXTRACT_MODE=section``. Textract's synchronous limits are met without ever
dropping a region: the image is re-encoded (PNG, then JPEG), downscaled while its text stays at
least 15 px high, or else cut into overlapping tiles whose words are merged (each word is kept
by exactly one tile: the one whose core holds its centre).

Every response is saved to ``raw/<page>.textract.json`` (through ``raw_store``) before any
output is written, with the input's ETag: a retry of the same input (a crash, an S3 fault while
writing outputs) reuses it instead of paying Textract again. ``replay_dir`` reads
``<replay_dir>/raw/<page>.textract.json`` instead of calling AWS (a plain saved Textract
response there counts as one whole-page call). Calls take a slot from the fleet-wide rate cap
(``ratelimit``) when one is configured; throttling answers are retried and counted.

Errors are sorted by ``errors.classify``: AccessDenied and the like are configuration faults
(the worker stops), a refused document is a bad image, throttling and 5xx are retried.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np

from eulereye.errors import (CONFIGURATION, PERMANENT, BadImageError, ConfigurationError, PageError,
                             TransientError, aws_error_code, classify, is_throttling, worth_retrying)
from eulereye.ink import downscale, otsu_ink
from eulereye.logs import get_logger
from eulereye.model import BBox, Line, Region, Word
from eulereye.ocr.textract_parse import (
    UPRIGHT, Direction, line_height, order_lines, page_blocks, text_direction, words_by_line,
)

MAX_BYTES = 5 * 1024 * 1024  # inline document bytes
MAX_SIDE = 10_000  # pixels per side
MIN_TEXT_PX = 15  # Textract needs text at least this tall
JPEG_QUALITIES = (90, 80)
MAX_ATTEMPTS = 5
RAW_FORMAT = "eulereye-textract/1"

log = get_logger(engine="textract")


class ReplayMissingError(PageError):
    """``--replay`` was given but holds no saved response for this page."""


@dataclass(frozen=True)
class Call:
    """One DetectDocumentText call: ``box`` of the page image sent at ``scale``; the call owns
    the words whose centre lies in ``core`` (tiles overlap, cores do not)."""

    box: BBox
    core: BBox
    scale: float
    region: int | None = None  # per-section calls: the region every word goes to

    def to_page(self, bbox: BBox) -> BBox:
        x0, y0 = self.box[0], self.box[1]
        s = self.scale
        return (x0 + math.floor(bbox[0] / s), y0 + math.floor(bbox[1] / s),
                x0 + math.ceil(bbox[2] / s), y0 + math.ceil(bbox[3] / s))

    def owns(self, bbox: BBox) -> bool:
        cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
        return self.core[0] <= cx < self.core[2] and self.core[1] <= cy < self.core[3]


# --- fitting a page into the limits ----------------------------------------------------------

def encode(gray: np.ndarray) -> bytes:
    """PNG if small enough (lossless), else the best JPEG that fits (or the smallest tried)."""
    ok, png = cv2.imencode(".png", gray, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    data = png.tobytes()
    for quality in JPEG_QUALITIES:
        if len(data) <= MAX_BYTES:
            break
        ok, jpeg = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, quality])
        data = jpeg.tobytes()
    return data


def fits(gray: np.ndarray, data: bytes) -> bool:
    return max(gray.shape) <= MAX_SIDE and len(data) <= MAX_BYTES


def text_height(gray: np.ndarray) -> float:
    """Median height in pixels of letter-sized dark blobs: how tall the text is."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(otsu_ink(gray), connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    letters = heights[(heights >= 4) & (heights <= 300) & (widths <= 3 * heights)]
    return float(np.median(letters)) if letters.size else float(MIN_TEXT_PX)


def plan_calls(gray: np.ndarray, region: int | None = None,
               offset: tuple[int, int] = (0, 0)) -> list[tuple[Call, bytes]]:
    """The calls (and their image bytes) that cover ``gray`` within Textract's limits."""
    h, w = gray.shape
    page = (offset[0], offset[1], offset[0] + w, offset[1] + h)
    data = encode(gray)
    if fits(gray, data):
        return [(Call(page, page, 1.0, region), data)]
    height = text_height(gray)
    scale = min(1.0, MAX_SIDE / max(h, w), math.sqrt(0.9 * MAX_BYTES / len(data)))
    while height * scale >= MIN_TEXT_PX:
        small = downscale(gray, scale)
        data = encode(small)
        if fits(small, data):
            return [(Call(page, page, scale, region), data)]
        scale *= 0.85
    # Shrinking would push the text under Textract's floor: tile at full resolution instead.
    overlap = max(400, round(16 * height))
    return _tiles(gray, (0, 0, w, h), (0, 0, w, h), overlap, region, offset)


def _tiles(gray, box: BBox, core: BBox, overlap: int, region, offset) -> list[tuple[Call, bytes]]:
    x0, y0, x1, y1 = box
    crop = gray[y0:y1, x0:x1]
    # A tile no longer than two overlaps is a few hundred pixels: it always fits in practice.
    # One longer than Textract's side limit is split without encoding it (it cannot fit).
    last = max(x1 - x0, y1 - y0) <= 2 * overlap
    data = encode(crop) if last or max(x1 - x0, y1 - y0) <= MAX_SIDE else b""
    if last or (data and fits(crop, data)):
        dx, dy = offset
        shift = lambda b: (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)  # noqa: E731
        return [(Call(shift(box), shift(core), 1.0, region), data)]
    # Split the longer side in two; each half reaches overlap/2 into the other.
    axis = 0 if x1 - x0 >= y1 - y0 else 1
    mid = (box[axis] + box[axis + 2]) // 2
    half = overlap // 2
    first_box, second_box, first_core, second_core = list(box), list(box), list(core), list(core)
    first_box[axis + 2], second_box[axis] = mid + half, mid - half
    first_core[axis + 2], second_core[axis] = mid, mid
    return (_tiles(gray, tuple(first_box), tuple(first_core), overlap, region, offset)
            + _tiles(gray, tuple(second_box), tuple(second_core), overlap, region, offset))


# --- the engine ------------------------------------------------------------------------------

class TextractEngine:
    name = "textract"

    def __init__(self, *, replay_dir: str | None = None, raw_store=None, client=None,
                 per_section: bool = False, sleep: Callable[[float], None] = time.sleep,
                 rate_limiter=None):
        self.replay_dir = Path(replay_dir) if replay_dir else None
        self.raw_store = raw_store
        self._client = client
        self.per_section = per_section
        self._sleep = sleep
        self._model_version = ""
        self.rate_limiter = rate_limiter  # None: no fleet-wide cap
        self.input_etag: str | None = None  # of the input being read: saved responses reused
        self.counts = {"calls": 0, "throttled": 0, "reused": 0}

    def set_input(self, source: dict) -> None:
        """The pipeline names the input before its frames are read (see ``_saved``)."""
        self.input_etag = source.get("etag")

    def version(self) -> str:
        return f"amazon-textract DetectDocumentText {self._model_version or 'unknown'}".strip()

    def read_regions(self, gray: np.ndarray, regions: list[Region], page_name: str) -> list[list[Line]]:
        started = time.perf_counter()
        calls = self._replay(gray, page_name) if self.replay_dir else self._call_aws(gray, regions, page_name)
        lines = assign_to_regions(calls, regions)
        log.info("textract read", page=page_name, calls=len(calls), replay=bool(self.replay_dir),
                 words=sum(len(line.words) for region in lines for line in region),
                 seconds=round(time.perf_counter() - started, 3))
        return lines

    def _call_aws(self, gray, regions, page_name) -> list[tuple[Call, dict]]:
        saved = self._saved(gray, page_name)
        if saved is not None:
            self.counts["reused"] += 1
            log.info("textract response reused", page=page_name, etag=self.input_etag)
            return saved
        if self.per_section:
            planned = [p for i, r in enumerate(regions)
                       for p in plan_calls(gray[r.bbox[1]:r.bbox[3], r.bbox[0]:r.bbox[2]], i, r.bbox[:2])]
        else:
            planned = plan_calls(gray)
        calls = [(call, self._detect(data, page_name)) for call, data in planned]
        if self.raw_store is not None:
            record = {"format": RAW_FORMAT, "page": page_name, "width": gray.shape[1], "height": gray.shape[0],
                      "etag": self.input_etag, "mode": self._mode(),
                      "calls": [{**asdict(call), "response": response} for call, response in calls]}
            self.raw_store.put(f"raw/{page_name}.textract.json", json.dumps(record).encode(), "application/json")
        return calls

    def _mode(self) -> str:
        return "section" if self.per_section else "page"

    def _saved(self, gray, page_name) -> list[tuple[Call, dict]] | None:
        """The calls saved for this very input (same ETag, mode and page size), if any."""
        if self.raw_store is None or not self.input_etag:
            return None
        raw = self.raw_store.get(f"raw/{page_name}.textract.json")
        if raw is None:
            return None
        record = json.loads(raw)
        same = (record.get("format") == RAW_FORMAT and record.get("etag") == self.input_etag
                and record.get("mode") == self._mode()
                and (record.get("height"), record.get("width")) == gray.shape)
        return _calls_of(record) if same else None

    def _replay(self, gray, page_name) -> list[tuple[Call, dict]]:
        path = self.replay_dir / "raw" / f"{page_name}.textract.json"
        try:
            record = json.loads(path.read_text())
        except FileNotFoundError:
            raise ReplayMissingError(f"{page_name}: no saved Textract response at {path}") from None
        if "calls" not in record:  # a plain saved response: one call for the whole page
            h, w = gray.shape
            return [(Call((0, 0, w, h), (0, 0, w, h), 1.0), record)]
        return _calls_of(record)

    @property
    def client(self):
        if self._client is None:
            import boto3
            from botocore.config import Config

            # Retries happen in _detect (jittered, counted); botocore's own would hide them.
            self._client = boto3.client("textract", config=Config(retries={"total_max_attempts": 1}))
        return self._client

    def _detect(self, data: bytes, page_name: str) -> dict:
        from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError

        for attempt in range(MAX_ATTEMPTS):
            try:
                if self.rate_limiter is not None:
                    self.rate_limiter.acquire()
                self.counts["calls"] += 1
                response = self.client.detect_document_text(Document={"Bytes": data})
                self._model_version = response.get("DetectDocumentTextModelVersion", self._model_version)
                return response
            except ClientError as exc:
                code = aws_error_code(exc)
                if classify(exc) == CONFIGURATION:
                    raise ConfigurationError(f"{page_name}: Textract: {code}: {exc}") from exc
                if classify(exc) == PERMANENT:
                    raise BadImageError(f"{page_name}: Textract refused the image: {code}: {exc}") from exc
                if not worth_retrying(exc):
                    raise TransientError(f"{page_name}: Textract: {code}: {exc}") from exc
                if is_throttling(exc):
                    self.counts["throttled"] += 1
                    log.warning("textract throttled", page=page_name, code=code, attempt=attempt + 1)
                reason = code
            except (ConnectionError, HTTPClientError) as exc:
                reason = type(exc).__name__
            except BotoCoreError:
                raise
            if attempt == MAX_ATTEMPTS - 1:
                raise TransientError(f"{page_name}: Textract still failing after {MAX_ATTEMPTS} tries: {reason}")
            wait = random.random() * min(20.0, 0.5 * 2 ** attempt)
            log.warning("textract retry", page=page_name, reason=reason, attempt=attempt + 1, wait_s=round(wait, 2))
            self._sleep(wait)
        raise AssertionError("unreachable")


def _calls_of(record: dict) -> list[tuple[Call, dict]]:
    return [(Call(tuple(c["box"]), tuple(c["core"]), c["scale"], c.get("region")), c["response"])
            for c in record["calls"]]


# --- words -> sections -----------------------------------------------------------------------

def assign_to_regions(calls: list[tuple[Call, dict]], regions: list[Region]) -> list[list[Line]]:
    """Every owned word goes to a region (its call's, or the one holding its centre, or the
    nearest); words keep their Textract line, split by region and re-joined across tiles."""
    per_region: list[dict[tuple, list[Word]]] = [{} for _ in regions]
    directions = []
    for index, (call, response) in enumerate(calls):
        blocks = page_blocks(response)
        width, height = _sent_size(call)
        directions.append((len(blocks), text_direction(blocks, width, height)))
        for line_no, words in enumerate(words_by_line(blocks, width, height)):
            for word in words:
                box = call.to_page(word.bbox)
                if not call.owns(box) or not regions:
                    continue
                target = call.region if call.region is not None else _region_of(box, regions)
                per_region[target].setdefault((index, line_no), []).append(Word(word.text, word.confidence, box))
    direction = max(directions, key=lambda d: d[0])[1] if directions else UPRIGHT
    lines = [_stitch(groups, direction) for groups in per_region]
    body_height = line_height([line for region in lines for line in region], direction)
    return [order_lines(region, direction, body_height) for region in lines]


def _sent_size(call: Call) -> tuple[int, int]:
    x0, y0, x1, y1 = call.box
    return max(1, round((x1 - x0) * call.scale)), max(1, round((y1 - y0) * call.scale))


def _region_of(box: BBox, regions: list[Region]) -> int:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2

    def distance(r: Region) -> float:
        x0, y0, x1, y1 = r.bbox
        return math.hypot(max(x0 - cx, 0, cx - x1), max(y0 - cy, 0, cy - y1))

    return min(range(len(regions)), key=lambda i: distance(regions[i]))


def _stitch(groups: dict[tuple, list[Word]], direction: Direction) -> list[Line]:
    """Lines from the word groups; a line cut by a tile seam (pieces from different calls that
    continue each other on the same row) is joined back into one."""
    pieces = [(key[0], Line(sorted(words, key=lambda w: direction.upright(w.bbox)[0])))
              for key, words in groups.items()]
    if len({call for call, _ in pieces}) > 1:
        pieces.sort(key=lambda p: direction.upright(p[1].bbox)[0])
        joined: list[tuple[int, Line]] = []
        for call, line in pieces:
            box = direction.upright(line.bbox)
            host = next((l for c, l in joined if c != call and _continues(direction.upright(l.bbox), box)), None)
            if host is None:
                joined.append((call, line))
            else:
                host.words.extend(line.words)
        pieces = joined
    return [line for _, line in pieces]


def _continues(a, b) -> bool:
    """``b`` starts right after ``a`` ends, on the same row."""
    height = min(a[3] - a[1], b[3] - b[1])
    same_row = min(a[3], b[3]) - max(a[1], b[1]) > 0.6 * height
    return same_row and 0 <= b[0] - a[2] < 1.5 * height
