"""Segmentation benchmark: classical, FCN and Tesseract's own block layout (the peer) on real
newspaper pages, real book pages with text and generated pages. Writes its section of
bench/RESULTS.md
and says which segmenter ``--segmenter auto`` should be (``AUTO_CHOICE`` in
eulereye/segment/base.py).

    PYTHONPATH=. python bench/segmentation.py [--synth-pages 6] [--no-ocr]

Per page: F1 at IoU 0.5, straddle rate, GT text coverage, reading-order agreement (GT with an
order), CER (GT with text; the sections read by the Tesseract engine), ms to segment.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from results_file import write_section  # bench/, the script's own folder

from eulereye.config import DEFAULT_MAX_PIXELS
from eulereye.deskew import Straightened
from eulereye.evaluation.layout_eval import mean_scores, score_page
from eulereye.imaging import load_frames
from eulereye.model import Region
from eulereye.outputs.readers import SectionRecord
from eulereye.pipeline import read_text
from eulereye.segment.base import AUTO_CHOICE, segment_straightened

REPO = Path(__file__).resolve().parents[1]
SEGMENTERS = ("classical", "fcn", "tesseract-blocks")
# Targets from issue 3, checked on the real newspaper pages.
MAX_STRADDLE, MIN_COVERAGE = 0.02, 0.90
SYNTH_SEED = 7_000_000  # generated test pages: seeds no training run uses
TIMING_PAGE = Path("loc") / "highland-recorder-1895-12-13-p1.jpg"


class TesseractBlocks:
    """Tesseract's own page layout analysis: its blocks, in its order."""

    name = "tesseract-blocks"

    def __init__(self) -> None:
        import tesserocr

        from eulereye.ocr.tesseract import tessdata_path

        self.api = tesserocr.PyTessBaseAPI(path=tessdata_path() or "", lang="eng",
                                           psm=tesserocr.PSM.AUTO)

    def segment(self, gray: np.ndarray) -> list[Region]:
        import tesserocr
        from PIL import Image

        self.api.SetImage(Image.fromarray(gray))
        blocks = self.api.GetComponentImages(tesserocr.RIL.BLOCK, True)
        return [Region((b["x"], b["y"], b["x"] + b["w"], b["y"] + b["h"]), "text") for _, b, _, _ in blocks]


def make_segmenter(name: str):
    if name == "tesseract-blocks":
        return TesseractBlocks()
    from eulereye.segment import get_segmenter

    return get_segmenter(name)


def load_gray(path: Path) -> np.ndarray:
    return next(load_frames(path.read_bytes(), path.name, max_pixels=DEFAULT_MAX_PIXELS)).gray


def segment_timed(segmenter, gray: np.ndarray) -> tuple[Straightened, list[Region], float]:
    """The straightened page, its regions (in its pixels) and the seconds both took."""
    started = time.perf_counter()
    straight, regions = segment_straightened(segmenter, gray)
    return straight, regions, time.perf_counter() - started


def real_pages(folder: Path) -> list[tuple[str, Path, Path]]:
    pages = []
    for xml in sorted(folder.glob("*.xml")):
        image = next(p for p in xml.parent.iterdir() if p.stem == xml.stem and p.suffix != ".xml")
        pages.append((xml.stem, image, xml))
    return pages


def synth_pages(count: int, folder: Path, style: str) -> list[tuple[str, Path, Path]]:
    from eulereye.synth import generate_page, write_ground_truth
    from eulereye.training.settings import TrainSettings

    # Microfilm pages at the size the FCN trains on (a 150 dpi broadsheet).
    size = {"width": TrainSettings.page_width, "height": TrainSettings.page_height} if style == "microfilm" else {}
    pages = []
    for seed in range(SYNTH_SEED, SYNTH_SEED + count):
        name = f"synth-{style}-{seed}"
        image, _, xml = write_ground_truth(generate_page(seed, style=style, **size), folder, name)
        pages.append((name, image, xml))
    return pages


def run_dataset(pages, segmenters: dict, ocr) -> dict[str, list]:
    scores: dict[str, list] = {name: [] for name in segmenters}
    for name, image, xml in pages:
        gray = load_gray(image)
        for seg_name, segmenter in segmenters.items():
            straight, regions, seconds = segment_timed(segmenter, gray)
            texts = [""] * len(regions)
            if ocr is not None:  # read as the pipeline reads: the straightened page
                texts = ["\n".join(line.text for line in lines)
                         for lines in read_text(ocr, straight.gray, regions, name)]
            sections = [SectionRecord(straight.to_original(r.bbox), r.kind, t)
                        for r, t in zip(regions, texts)]
            score = score_page(name, sections, xml, with_text=ocr is not None)
            score.seconds = seconds
            scores[seg_name].append(score)
            print(f"{name:40s} {seg_name:17s} f1={score.f1:.3f} straddle={score.straddle:.3f} "
                  f"cov={score.coverage:.3f} cer={score.cer} {seconds * 1000:.0f} ms", flush=True)
    return scores


def timing_row(segmenters: dict, data: Path) -> dict[str, float]:
    """ms to segment the 3174x4667 Highland Recorder page (best of 3)."""
    gray = load_gray(data / TIMING_PAGE)
    return {name: min(segment_timed(s, gray)[2] for _ in range(3)) * 1000
            for name, s in segmenters.items()}


def fcn_load_seconds() -> float:
    from eulereye.segment.fcn import DEFAULT_WEIGHTS, segmenter_from_checkpoint

    started = time.perf_counter()
    segmenter_from_checkpoint(DEFAULT_WEIGHTS)
    return time.perf_counter() - started


def choose_default(newspaper: dict[str, list]) -> tuple[str, str]:
    """Among classical and FCN: the one meeting the newspaper targets (straddle, coverage)
    with the higher F1; if neither meets them, the higher F1."""
    means = {name: mean_scores(newspaper[name]) for name in ("classical", "fcn")}
    meets = {name: m["straddle"] <= MAX_STRADDLE and m["coverage"] >= MIN_COVERAGE
             for name, m in means.items()}
    best = max(means, key=lambda n: (meets[n], means[n]["f1"]))
    reason = (f"newspaper pages: {best} F1 {means[best]['f1']:.3f}, straddle "
              f"{means[best]['straddle']:.3f}, coverage {means[best]['coverage']:.3f}; other: "
              + ", ".join(f"{n} F1 {m['f1']:.3f}, straddle {m['straddle']:.3f}, coverage "
                          f"{m['coverage']:.3f}" for n, m in means.items() if n != best)
              + f"; targets met: {meets}")
    return best, reason


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def report(results: dict[str, dict[str, list]], timing: dict, load_s: float, default: str,
           reason: str, args) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Segmentation",
        "",
        f"Generated by `python bench/segmentation.py` on {now}; machine: {platform.machine()}, "
        f"{platform.processor() or 'cpu'}, {__import__('os').cpu_count()} cores, "
        f"Python {platform.python_version()}. Do not edit by hand.",
        "",
        "F1 at IoU 0.5 of text sections vs GT text regions; straddle: share of sections covering "
        "most of two side-by-side GT regions; coverage: share of the GT text area inside sections; "
        "order: pairwise reading-order agreement (GT with ReadingOrder); CER: sections OCRed by "
        f"the Tesseract engine ({'off' if args.no_ocr else args.lang}) vs GT text; ms: segmentation "
        "only (deskew included), per page, this machine.",
        "",
        "| data set | segmenter | pages | F1@0.5 | precision | recall | straddle | coverage | order | CER | ms/page |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for dataset, by_segmenter in results.items():
        for seg_name, scores in by_segmenter.items():
            m = mean_scores(scores)
            lines.append(f"| {dataset} | {seg_name} | {len(scores)} | {_fmt(m['f1'])} | "
                         f"{_fmt(m['precision'])} | {_fmt(m['recall'])} | {_fmt(m['straddle'])} | "
                         f"{_fmt(m['coverage'])} | {_fmt(m['order'])} | {_fmt(m['cer'])} | "
                         f"{m['seconds'] * 1000:.0f} |")
    lines += [
        "",
        "Speed on the 3174x4667 Highland Recorder page (best of 3): "
        + ", ".join(f"{n} {ms:.0f} ms" for n, ms in timing.items())
        + f". FCN weights load in {load_s * 1000:.0f} ms.",
        "",
        f"**Default (`--segmenter auto`): {default}.** Rule: on the real newspaper pages, the "
        f"segmenter meeting the targets (straddle <= {MAX_STRADDLE}, coverage >= {MIN_COVERAGE}) "
        f"with the higher F1, else the higher F1. {reason}.",
        "",
        "Per page:",
        "",
        "| page | segmenter | GT regions | sections | F1 | straddle | coverage | order | CER | ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for by_segmenter in results.values():
        for seg_name, scores in by_segmenter.items():
            for s in scores:
                lines.append(f"| {s.page} | {seg_name} | {s.gt_regions} | {s.pred_sections} | "
                             f"{_fmt(s.f1)} | {_fmt(s.straddle)} | {_fmt(s.coverage)} | "
                             f"{_fmt(s.order)} | {_fmt(s.cer)} | {s.seconds * 1000:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synth-pages", type=int, default=6)
    parser.add_argument("--no-ocr", action="store_true", help="skip CER (no OCR at all)")
    parser.add_argument("--lang", default="Fraktur+lat", help="Tesseract models for the CER pages")
    parser.add_argument("--data", type=Path, default=REPO / ".testdata",
                        help="the test data folder, shared/data's layout (default: .testdata, filled by make testdata)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()

    segmenters = {name: make_segmenter(name) for name in SEGMENTERS}
    ocr = None
    if not args.no_ocr:
        from eulereye.ocr.tesseract import TesseractEngine

        ocr = TesseractEngine(lang=args.lang, jobs=2)
    results = {"newspaper-layout (real)": run_dataset(real_pages(args.data / "newspaper-layout"), segmenters, None),
               "book-text (real)": run_dataset(real_pages(args.data / "book-text"), segmenters, ocr)}
    with tempfile.TemporaryDirectory() as tmp:
        for style in ("print", "microfilm"):
            results[f"generated ({style})"] = run_dataset(synth_pages(args.synth_pages, Path(tmp), style),
                                                          segmenters, None)
    if ocr is not None:
        ocr.close()
    default, reason = choose_default(results["newspaper-layout (real)"])
    text = report(results, timing_row(segmenters, args.data), fcn_load_seconds(), default, reason, args)
    write_section(args.out, "segmentation", text)
    if default != AUTO_CHOICE:
        print(f"NOTE: the measured default is {default}; set AUTO_CHOICE in eulereye/segment/base.py")
    print(text)


if __name__ == "__main__":
    main()
