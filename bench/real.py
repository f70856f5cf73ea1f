"""Real-scan benchmark (issue 10): eulereye beside plain single-threaded `tesseract` and the
library's own OCR (its ALTO) on the real NDNP dev pages. Writes the "real scans" section of
bench/RESULTS.md.

    PYTHONPATH=. python bench/real.py [--pages STEM ...] [--reuse-peer] [--no-write]

Per page and system: line straddle (share of text characters in lines that cross a printed
vertical column rule), reading-order agreement with the hand-made ground truth in
bench/real-gt/, column-by-column agreement (pages without spanning headlines), article
contiguity (where article zones exist), dictionary words (count and share of 3+ letter tokens
in /usr/share/dict/words) and seconds per page. Measures: ``eulereye.evaluation.realscan``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from PIL import Image
from results_file import write_section  # bench/, the script's own folder
from run import machine

from eulereye.config import DEFAULT_MAX_PIXELS
from eulereye.evaluation import realscan
from eulereye.evaluation.pagexml import read_page_xml
from eulereye.imaging import load_frames
from eulereye.model import TEXTLESS_KINDS
from eulereye.outputs.naming import page_name
from eulereye.segment import get_segmenter
from eulereye.segment.base import segment_straightened
from eulereye.textquality import dictionary_words

REPO = Path(__file__).resolve().parents[1]
GT_DIR = REPO / "bench" / "real-gt"
CACHE = REPO / "build" / "bench-real"
SEGMENTERS = ("classical", "fcn")
SECTION_MARGIN = 8  # pixels (a letter's width at 150 dpi)


@dataclass(frozen=True)
class DevPage:
    path: str  # below shared/data
    dpi: int  # for the library's ALTO (1/1200 inch)
    column_order: bool  # no spanning headlines: column-by-column order applies
    alto: str | None = None  # the library's ALTO, below shared/data
    articles: str | None = None  # vendor article zones, below shared/data


DEV_PAGES = (
    DevPage("loc/highland-recorder-1895-12-13-p1.jpg", 150, True),
    DevPage("news-scans/evening-star_1862-08-25_seq-1.jpg", 150, True,
            "news-scans/evening-star_1862-08-25_seq-1.loc-alto.xml"),
    DevPage("news-scans/omaha-daily-bee_1887-03-03_seq-1.jpg", 150, True,
            "news-scans/omaha-daily-bee_1887-03-03_seq-1.loc-alto.xml"),
    DevPage("news-scans/beaver-county-news_1916-05-12_seq-1.jp2", 300, False,
            "news-scans/beaver-county-news_1916-05-12_seq-1.loc-alto.xml",
            "news-scans/beaver-county-news_1916-05-12_seq-1.loc-articles.json"),
    DevPage("news-scans/evening-star_1918-09-01_seq-1.jpg", 150, False,
            "news-scans/evening-star_1918-09-01_seq-1.loc-alto.xml"),
)


@dataclass
class Scores:
    straddle: float
    order: float | None
    columns: float | None
    articles: float | None
    gt_articles: float | None
    dict_words: int
    dict_share: float
    seconds: float | None
    cpu: float | None  # CPU seconds of the system's processes


@dataclass
class PageTruth:
    """What a page is measured against."""

    rules: list
    bounds: tuple
    regions: list = field(default_factory=list)  # hand-made regions in reading order
    region_articles: list = field(default_factory=list)  # hand-made article of each region
    zones: list = field(default_factory=list)  # vendor article zones


def truth(page: DevPage, gray: np.ndarray, data: Path) -> PageTruth:
    rules = realscan.vertical_rules(gray)
    height, width = gray.shape
    bounds = realscan.column_bounds(rules, width, height) if page.column_order else None
    result = PageTruth(rules, bounds)
    gt = GT_DIR / (Path(page.path).stem + ".xml")
    if gt.exists():
        layout = read_page_xml(gt)
        result.regions = [layout.text[r] for r in layout.reading_order if r in layout.text]
        articles: dict[str, list] = {}
        for region_id in layout.reading_order:
            article = layout.articles.get(region_id)
            if article and region_id in layout.text:
                articles.setdefault(article, []).append(layout.text[region_id])
        result.region_articles = list(articles.values())
    if page.articles:
        zones = json.loads((data / page.articles).read_text())["articles"]
        result.zones = [[tuple(z) for z in a["zones"]] for a in zones]
    return result


def score(lines: list[realscan.TextLine], t: PageTruth, seconds: float | None, cpu: float | None) -> Scores:
    found, tokens = dictionary_words("\n".join(line.text for line in lines))
    return Scores(
        straddle=realscan.straddle(lines, t.rules),
        order=realscan.order_agreement(lines, t.regions) if t.regions else None,
        columns=realscan.column_agreement(lines, *t.bounds) if t.bounds and t.bounds[0] else None,
        articles=realscan.article_contiguity(lines, t.zones) if t.zones else None,
        gt_articles=realscan.article_contiguity(lines, t.region_articles) if len(t.region_articles) > 1 else None,
        dict_words=found, dict_share=found / tokens if tokens else 0.0, seconds=seconds, cpu=cpu,
    )


# -- the systems ------------------------------------------------------------------------------

def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_eulereye(image: Path, work: Path, segmenter: str = "auto") -> tuple[list[realscan.TextLine], float, float]:
    out = work / f"eulereye-{segmenter}"
    cpu = children_cpu()
    started = time.perf_counter()
    subprocess.run([str(REPO / ".venv" / "bin" / "eulereye"), "process", str(image), "--out", str(out),
                    "--jobs", "2", "--force", "--segmenter", segmenter],
                   check=True, env={**os.environ, "EULEREYE_LOG_FORMAT": "json"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    return realscan.lines_from_sections(out / "sections" / f"{page_name(image.name)}.json"), seconds, children_cpu() - cpu


def run_tesseract(gray: np.ndarray, image: Path, work: Path, reuse: bool) -> tuple[list[realscan.TextLine], float, float]:
    """Plain `tesseract` on one thread, on the page as a PNG (JPEG 2000 is not read by every
    Tesseract build; the conversion is not timed)."""
    cached = CACHE / f"{image.stem}.tesseract.json"
    if reuse and cached.exists():
        saved = json.loads(cached.read_text())
        return realscan.lines_from_tsv(saved["tsv"]), saved["seconds"], saved["cpu"]
    png = work / f"{image.stem}.png"
    Image.fromarray(gray).save(png)
    cpu = children_cpu()
    started = time.perf_counter()
    tsv = subprocess.run(["tesseract", str(png), "-", "tsv"], check=True, capture_output=True, text=True,
                         env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
    seconds, cpu = time.perf_counter() - started, children_cpu() - cpu
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps({"tsv": tsv, "seconds": seconds, "cpu": cpu}))
    return realscan.lines_from_tsv(tsv), seconds, cpu


@dataclass
class LayoutScores:
    """A segmenter's sections on a page, before OCR."""

    sections: int
    crossing: int  # text sections a printed rule runs through (8 px inside on both sides)
    order: float | None
    columns: float | None
    seconds: float


def measure_segmenter(name: str, gray: np.ndarray, t: PageTruth) -> LayoutScores:
    started = time.perf_counter()
    straight, regions = segment_straightened(get_segmenter(name), gray)
    seconds = time.perf_counter() - started
    boxes = [realscan.TextLine(straight.to_original(r.bbox), "") for r in regions if r.kind not in TEXTLESS_KINDS]
    return LayoutScores(
        sections=len(boxes),
        crossing=sum(realscan.crosses_rule(b.bbox, t.rules, margin=SECTION_MARGIN) for b in boxes),
        order=realscan.order_agreement(boxes, t.regions) if t.regions else None,
        columns=realscan.column_agreement(boxes, *t.bounds) if t.bounds and t.bounds[0] else None,
        seconds=seconds,
    )


def measure_page(page: DevPage, data: Path, reuse_peer: bool) -> dict[str, Scores]:
    image = data / page.path
    gray = next(load_frames(image.read_bytes(), image.name, max_pixels=DEFAULT_MAX_PIXELS)).gray
    t = truth(page, gray, data)
    results: dict = {f"layout: {name}": measure_segmenter(name, gray, t) for name in SEGMENTERS}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lines, seconds, cpu = run_eulereye(image, work)
        results["eulereye"] = score(lines, t, seconds, cpu)
        lines, seconds, cpu = run_eulereye(image, work, "fcn")
        results["eulereye --segmenter fcn"] = score(lines, t, seconds, cpu)
        lines, seconds, cpu = run_tesseract(gray, image, work, reuse_peer)
        results["tesseract"] = score(lines, t, seconds, cpu)
    if page.alto:
        results["library OCR"] = score(realscan.lines_from_alto(data / page.alto, page.dpi), t, None, None)
    return results


# -- report -------------------------------------------------------------------------------------

def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.2f}%"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def layout_rows(results: dict) -> list[str]:
    rows = ["| page | segmenter | text sections | crossing a rule | order vs GT | column order | seconds |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for stem, systems in results.items():
        for system, s in systems.items():
            if isinstance(s, LayoutScores):
                rows.append(f"| {stem} | {system.split(': ')[1]} | {s.sections} | {s.crossing} | {_num(s.order)} "
                            f"| {_num(s.columns)} | {s.seconds:.1f} |")
    return rows


def report(results: dict, peer_ran: str | None = None) -> str:
    layouts = layout_rows(results)
    results = {stem: {k: v for k, v in systems.items() if isinstance(v, Scores)} for stem, systems in results.items()}
    rows = ["| page | system | straddle | order vs GT | column order | article contiguity (zones / GT) "
            "| dictionary words | dictionary share | seconds | CPU seconds |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for stem, systems in results.items():
        for system, s in systems.items():
            rows.append(f"| {stem} | {system} | {_pct(s.straddle)} | {_num(s.order)} | {_num(s.columns)} "
                        f"| {_num(s.articles)} / {_num(s.gt_articles)} | {s.dict_words:,} "
                        f"| {_pct(s.dict_share)} | {_num(s.seconds)} | {_num(s.cpu)} |")
    summary = ["| system | straddle (mean / max) | order vs GT | dictionary words | dictionary share "
               "| seconds/page | x tesseract speed | CPU s/page | x tesseract CPU |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    systems = {system for page in results.values() for system in page}
    tess_seconds = np.mean([p["tesseract"].seconds for p in results.values()])
    tess_cpu = np.mean([p["tesseract"].cpu for p in results.values()])
    for system in sorted(systems):
        scores = [p[system] for p in results.values() if system in p]
        orders = [s.order for s in scores if s.order is not None]
        seconds = [s.seconds for s in scores if s.seconds is not None]
        speed = f"{tess_seconds / np.mean(seconds):.2f}" if seconds else "n/a"
        cpus = [s.cpu for s in scores if s.cpu is not None]
        cpu_ratio = f"{tess_cpu / np.mean(cpus):.2f}" if cpus else "n/a"
        summary.append(
            f"| {system} | {_pct(np.mean([s.straddle for s in scores]))} / {_pct(max(s.straddle for s in scores))} "
            f"| {_num(np.mean(orders) if orders else None)} | {sum(s.dict_words for s in scores):,} "
            f"| {_pct(np.mean([s.dict_share for s in scores]))} "
            f"| {_num(np.mean(seconds) if seconds else None)} | {speed} "
            f"| {_num(np.mean(cpus) if cpus else None)} | {cpu_ratio} |")
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([
        "# Real scans: eulereye vs plain Tesseract vs the library's OCR",
        "",
        f"Run {when} with `make bench-real` (`bench/real.py`). Machine: {machine()}.",
        f"Load average (1 min) at the end of the run: {os.getloadavg()[0]:.1f}.",
        *([f"Plain tesseract's figures (its text, seconds and CPU seconds) are those of its run of "
           f"{peer_ran} on this machine (`--reuse-peer`): its output does not depend on eulereye."]
          if peer_ran else []),
        "",
        "Dev pages of issue 10 (NDNP microfilm scans and the 1895 Highland Recorder). eulereye: "
        "`eulereye process --jobs 2` (start-up included); tesseract: `tesseract IMAGE - tsv` with "
        "`OMP_THREAD_LIMIT=1`; library OCR: the LoC ALTO beside each page (no timing). "
        "*straddle*: share of text characters in lines that cross a printed vertical column rule "
        "(found by `realscan.vertical_rules`). *order vs GT*: pairwise agreement of the line order "
        "with the hand-made reading order in bench/real-gt/. *column order*: pairwise agreement with "
        "column-by-column order, on pages without spanning headlines. *article contiguity*: "
        "(articles - 1) / article changes along the reading order, by the vendor's zones (Beaver) "
        "and by the hand-made articles. *dictionary*: 3+ letter tokens found in "
        "/usr/share/dict/words.",
        "",
        "## Per page", "", *rows, "", "## Summary", "", *summary, "",
        "## Segmenters on the same pages (sections before OCR)", "",
        "Each segmenter as the pipeline runs it (straightened page). *crossing a rule*: text "
        "sections a printed column rule runs through with 8 px of the section on both sides; "
        "order and column order as above, with each section counted once.", "",
        *layouts,
    ])


def peer_run_dates(pages: list[DevPage]) -> str:
    """When the cached plain-tesseract results of ``pages`` were made (UTC days and times)."""
    stamps = sorted(datetime.fromtimestamp((CACHE / f"{Path(p.path).stem}.tesseract.json").stat().st_mtime,
                                           timezone.utc) for p in pages)
    return f"{stamps[0]:%Y-%m-%d %H:%M}-{stamps[-1]:%H:%M} UTC"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO / ".testdata",
                        help="the test data folder, shared/data's layout (default: .testdata, filled by make testdata)")
    parser.add_argument("--pages", nargs="*", help="page stems to run (default: all dev pages)")
    parser.add_argument("--reuse-peer", action="store_true",
                        help="reuse the last plain-tesseract result of each page (the table says when it ran)")
    parser.add_argument("--no-write", action="store_true", help="print, don't update bench/RESULTS.md")
    args = parser.parse_args()
    pages = [p for p in DEV_PAGES if not args.pages or Path(p.path).stem in args.pages]
    results = {}
    for page in pages:
        results[Path(page.path).stem] = measure_page(page, args.data, args.reuse_peer)
        print(f"{Path(page.path).stem}: " + "; ".join(
            f"{k}: straddle {_pct(v.straddle)}, order {_num(v.order)}, columns {_num(v.columns)}, "
            f"articles {_num(v.articles)}/{_num(v.gt_articles)}, dict {v.dict_words} ({_pct(v.dict_share)}), "
            f"{_num(v.seconds)} s" for k, v in results[Path(page.path).stem].items() if isinstance(v, Scores)),
              flush=True)
    text = report(results, peer_run_dates(pages) if args.reuse_peer else None)
    if args.no_write:
        print(text)
    else:
        write_section(REPO / "bench" / "RESULTS.md", "real scans", text)
    sys.exit(0)


if __name__ == "__main__":
    main()
