"""Recognition settings on the real dev pages (issue 10, item 4): the scale the OCR sees, the
binarisation, Tesseract's page segmentation mode per section kind and the crop margin, each
measured by dictionary words recovered (count and share) on a fixed sample of each page's
sections, segmented once by the shipped segmenter. Figures go to docs/accuracy.md by hand.

    PYTHONPATH=. python bench/ocr_settings.py [--sections 40] [--pages STEM ...]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from real import DEV_PAGES, REPO  # bench/, the script's own folder

from eulereye.config import DEFAULT_MAX_PIXELS
from eulereye.textquality import dictionary_words
from eulereye.imaging import load_frames
from eulereye.model import TEXTLESS_KINDS
from eulereye.ocr.tesseract import TesseractEngine
from eulereye.segment import get_segmenter
from eulereye.segment.base import segment_straightened

SETTINGS = {  # name -> TesseractEngine keyword arguments (the rest as shipped)
    "as shipped: 16 px letters, Otsu, PSM 4, margin 12 px": {},
    "no upscale": {"target_letter": 0},
    "22 px letters": {"target_letter": 22},
    "28 px letters": {"target_letter": 28},
    "Sauvola binarisation": {"thresholding": 2},
    "local Otsu binarisation": {"thresholding": 1},
    "PSM 6 for text": {"text_psm": 6},
    "margin 4 px": {"margin": 4},
    "margin 24 px": {"margin": 24},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO / ".testdata",
                        help="the test data folder, shared/data's layout (default: .testdata, filled by make testdata)")
    parser.add_argument("--sections", type=int, default=40, help="sections sampled per page")
    parser.add_argument("--pages", nargs="*")
    parser.add_argument("--settings", nargs="*", default=list(SETTINGS))
    args = parser.parse_args()
    segmenter = get_segmenter("auto")
    samples = []
    for page in DEV_PAGES:
        path = args.data / page.path
        if args.pages and path.stem not in args.pages:
            continue
        gray = next(load_frames(path.read_bytes(), path.name, max_pixels=DEFAULT_MAX_PIXELS)).gray
        straight, regions = segment_straightened(segmenter, gray)
        text = [r for r in regions if r.kind not in TEXTLESS_KINDS]
        samples.append((path.stem, straight.gray, random.Random(0).sample(text, min(args.sections, len(text)))))
    print("| setting | " + " | ".join(s for s, _, _ in samples) + " | total words | mean share | seconds |")
    for name in args.settings:
        engine = TesseractEngine(jobs=1, **SETTINGS[name])
        cells, total, shares, started = [], 0, [], time.perf_counter()
        for _, gray, regions in samples:
            lines = engine.read_regions(gray, regions, "sample")
            found, tokens = dictionary_words("\n".join(l.text for ls in lines for l in ls))
            cells.append(f"{found} ({100 * found / max(tokens, 1):.1f}%)")
            total += found
            shares.append(found / max(tokens, 1))
        seconds = time.perf_counter() - started
        print(f"| {name} | " + " | ".join(cells) + f" | {total} | {100 * sum(shares) / len(shares):.1f}% | {seconds:.0f} |",
              flush=True)


if __name__ == "__main__":
    main()
