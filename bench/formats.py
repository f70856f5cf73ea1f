"""What the extra output formats cost: the 1895 sample page processed with ``--formats all``,
each format's seconds (render and store, from the page's manifest) against the page's own
time, the searchable PDF's size and how well its text layer agrees with ocr_plain_text.
Writes the "formats" section of bench/RESULTS.md.

    PYTHONPATH=. python bench/formats.py [--runs 2] [--page samples/pages/...jpg]

Each run is a fresh ``eulereye process ... --formats all --force`` process; the table gives
the median over runs. Target (issue 13): hOCR, PAGE-XML and PDF together at most 10% of the
page's time; the PDF under 1.5 MB with >= 99% of its words agreeing with ocr_plain_text.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from results_file import write_section  # bench/, the script's own folder

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "samples" / "pages" / "highland-recorder-1895-12-13-p1.jpg"
EXTRA = ("hocr", "page", "pdf")  # beyond the default set
MAX_EXTRA_SHARE, MAX_PDF_BYTES, MIN_PDF_AGREEMENT = 0.10, 1_500_000, 0.99


def process(page: Path, out: Path, jobs: int) -> dict:
    """Runs the pipeline once; returns the page's manifest."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "EULEREYE_LOG_FORMAT": "json"}
    subprocess.run([sys.executable, "-m", "eulereye", "process", str(page), "--out", str(out), "--formats", "all",
                    "--jobs", str(jobs), "--force"], check=True, env=env, capture_output=True)
    return json.loads((out / "manifest" / f"{page.stem}.json").read_text())


def pdf_agreement(out: Path, name: str) -> float:
    """1 - word error rate of the PDF's extracted text layer against ocr_plain_text."""
    from pypdf import PdfReader
    from rapidfuzz.distance import Levenshtein

    extracted = PdfReader(io.BytesIO((out / "pdf" / f"{name}.pdf").read_bytes())).pages[0].extract_text().split()
    reference = (out / "ocr_plain_text" / f"{name}.txt").read_text().split()
    return 1 - Levenshtein.normalized_distance(extracted, reference)


def report(page: Path, manifests: list[dict], pdf_bytes: int, agreement: float, jobs: int) -> str:
    page_seconds = statistics.median(sum(m["timings"].values()) for m in manifests)
    formats = {fmt: statistics.median(m["formats"][fmt] for m in manifests) for fmt in manifests[0]["formats"]}
    extra = sum(formats[fmt] for fmt in EXTRA)
    rows = [f"| {fmt}{' (extra)' if fmt in EXTRA else ''} | {seconds:.3f} | {seconds / page_seconds:.1%} |"
            for fmt, seconds in formats.items()]
    verdict = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    load = os.getloadavg()[0]
    return "\n".join([
        "## Output formats (`--formats all`)", "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC with `make bench-formats` (`bench/formats.py`): "
        f"`{page.relative_to(REPO)}` ({manifests[0]['image']['width']}x{manifests[0]['image']['height']}, "
        f"{manifests[0]['counts']['words']} words), `--jobs {jobs}`, median of {len(manifests)} fresh runs; "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {load:.1f} at the end. "
        "Seconds per format: rendering and storing its files (manifest `formats`); "
        "page time: the manifest's stage timings (deskew, segment, ocr, write) summed.", "",
        "| format | seconds | share of page time |", "|---|---:|---:|", *rows,
        f"| **hocr + page + pdf** | **{extra:.3f}** | **{extra / page_seconds:.1%}** |",
        f"| page (all stages) | {page_seconds:.2f} | 100% |", "",
        f"- Extra formats at most {MAX_EXTRA_SHARE:.0%} of the page's time: {extra / page_seconds:.1%}, "
        f"{verdict(extra / page_seconds <= MAX_EXTRA_SHARE)}.",
        f"- Searchable PDF: {pdf_bytes / 1e6:.2f} MB (target < {MAX_PDF_BYTES / 1e6:.1f} MB, "
        f"{verdict(pdf_bytes < MAX_PDF_BYTES)}); its extracted words (pypdf) agree with ocr_plain_text "
        f"{agreement:.2%} (1 - word error rate; target >= {MIN_PDF_AGREEMENT:.0%}, "
        f"{verdict(agreement >= MIN_PDF_AGREEMENT)}).",
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, default=PAGE)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        manifests = [process(args.page.resolve(), out, args.jobs) for _ in range(args.runs)]
        pdf_bytes = (out / "pdf" / f"{args.page.stem}.pdf").stat().st_size
        agreement = pdf_agreement(out, args.page.stem)
    text = report(args.page.resolve(), manifests, pdf_bytes, agreement, args.jobs)
    write_section(args.results, "formats", text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
