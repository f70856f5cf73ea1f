"""Keeps the figures of docs/cost.md in step with the measured speed in bench/RESULTS.md.

    python tools/cost_page.py [--check]

Reads the seconds per page of `eulereye --jobs 1` (one process, one vCPU) on the real pages of
the benchmark (every page without generated ground truth under samples/ground-truth/), and
rewrites the part of docs/cost.md between the GENERATED markers: cost per 1,000 and per 100,000
pages for Tesseract on on-demand Fargate, on Fargate Spot and for Textract, and the vCPUs to
request for a given throughput. --check only reports a stale page (exit 1), as the tests do.
Prices are AWS list prices for eu-central-1 (the default region) as of PRICES_AS_OF.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "RESULTS.md"
COST_PAGE = REPO / "docs" / "cost.md"
GROUND_TRUTH = REPO / "samples" / "ground-truth"
BEGIN, END = "<!-- BEGIN GENERATED: cost per page -->", "<!-- END GENERATED -->"
BENCH_SYSTEM = "eulereye --jobs 1"

PRICES_AS_OF = "2026-11"
FARGATE_VCPU_HOUR = 0.04656  # USD, Linux/x86, on-demand, eu-central-1
FARGATE_GB_HOUR = 0.00511
SPOT_DISCOUNT = 0.70  # Fargate Spot is typically about 70% below on-demand (varies by hour and zone)
TEXTRACT_PER_1000 = 1.50  # DetectDocumentText, first million pages a month
S3_PUT_PER_1000 = 0.0054
PUTS_PER_PAGE = 7  # txt, coords csv+json, sections, alto, manifest (+ raw Textract response)
GB_PER_VCPU = 2  # the default task: 2 vCPU, 4 GiB


@dataclass(frozen=True)
class Speed:
    seconds_per_page: float  # on one vCPU
    pages: list[str]


def generated_pages() -> set[str]:
    return {path.name.removesuffix(".gt.json") for path in GROUND_TRUTH.rglob("*.gt.json")}


def measured_speed(results: str, generated: set[str]) -> Speed:
    per_page = results.split("## Per page", 1)[-1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\S+) \| " + re.escape(BENCH_SYSTEM) + r" \| ([\d.]+) \|", per_page, re.M)
    real = [(page, float(seconds)) for page, seconds in rows if page.rsplit(".", 1)[0] not in generated]
    if not real:
        raise ValueError(f"bench/RESULTS.md has no '{BENCH_SYSTEM}' row for a real page")
    return Speed(sum(s for _, s in real) / len(real), [page for page, _ in real])


def money(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.1 else f"${value:,.3f}"


def tesseract_per_1000(speed: Speed, spot: bool) -> float:
    hours = 1000 * speed.seconds_per_page / 3600  # vCPU-hours
    compute = hours * (FARGATE_VCPU_HOUR + GB_PER_VCPU * FARGATE_GB_HOUR)
    return compute * ((1 - SPOT_DISCOUNT) if spot else 1) + PUTS_PER_PAGE * S3_PUT_PER_1000


def figures(speed: Speed) -> str:
    on_demand, spot = tesseract_per_1000(speed, False), tesseract_per_1000(speed, True)
    textract = TEXTRACT_PER_1000 + PUTS_PER_PAGE * S3_PUT_PER_1000
    per_vcpu_hour = 3600 / speed.seconds_per_page
    lines = [
        f"Measured: {speed.seconds_per_page:.1f} s per real page on one vCPU "
        f"(`{BENCH_SYSTEM}`, mean of {', '.join(speed.pages)} in bench/RESULTS.md), "
        f"so one vCPU does about {per_vcpu_hour:.0f} pages an hour. Prices: eu-central-1, {PRICES_AS_OF}.",
        "",
        "| engine and capacity | per 1,000 pages | per 100,000 pages |",
        "|---|---:|---:|",
        f"| Tesseract, Fargate on-demand | {money(on_demand)} | {money(100 * on_demand)} |",
        f"| Tesseract, Fargate Spot (about {SPOT_DISCOUNT:.0%} less) | {money(spot)} | {money(100 * spot)} |",
        f"| Textract (DetectDocumentText) | {money(textract)} | {money(100 * textract)} |",
        "",
        "| pages per hour wanted | vCPUs (quota to request) | max_tasks with task_cpu = 2048 |",
        "|---:|---:|---:|",
    ]
    for rate in (1000, 5000, 20000):
        vcpus = math.ceil(rate / per_vcpu_hour)
        lines.append(f"| {rate:,} | {vcpus} | {math.ceil(vcpus / 2)} |")
    return "\n".join([BEGIN, *lines, END])


def updated(page: str, speed: Speed) -> str:
    head, rest = page.split(BEGIN, 1)
    return head + figures(speed) + rest.split(END, 1)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report a stale docs/cost.md (exit 1)")
    args = parser.parse_args(argv)
    current = COST_PAGE.read_text()
    fresh = updated(current, measured_speed(RESULTS.read_text(), generated_pages()))
    if fresh == current:
        return 0
    if args.check:
        print("docs/cost.md is out of date: run `python tools/cost_page.py`", file=sys.stderr)
        return 1
    COST_PAGE.write_text(fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
