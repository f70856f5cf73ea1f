"""``eulereye render``: draw a page's sections (and optionally words) over the page image."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eulereye.segment.base import SEGMENTERS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "render", help="draw a page's sections in reading order over the image",
        description="Write an overlay PNG: sections outlined and numbered in reading order, "
                    "kinds in colour. Sections come from --sections (a `process` output file, "
                    "sections/<name>.json) or, without it, from running --segmenter on IMAGE.")
    parser.add_argument("image", type=Path, metavar="IMAGE")
    parser.add_argument("--out", required=True, type=Path, help="overlay PNG to write")
    parser.add_argument("--segmenter", choices=SEGMENTERS, default="auto")
    parser.add_argument("--sections", type=Path, metavar="JSON",
                        help="sections/<name>.json written by `eulereye process` for IMAGE")
    parser.add_argument("--words", type=Path, metavar="JSON",
                        help="ocr_coords/<name>.json written by `eulereye process`: box every word")
    parser.add_argument("--max-side", type=int, default=3000, help="overlay size limit in pixels")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from eulereye.cli import UsageError
    from eulereye.config import DEFAULT_MAX_PIXELS
    from eulereye.errors import PageError
    from eulereye.evaluation.layout_eval import read_sections
    from eulereye.imaging import load_frames
    from eulereye.render import render_overlay
    from eulereye.segment import get_segmenter
    from eulereye.segment.base import segment_straightened

    try:
        frame = next(load_frames(args.image.read_bytes(), args.image.name, max_pixels=DEFAULT_MAX_PIXELS))
    except (OSError, PageError) as exc:
        raise UsageError(f"{args.image}: {exc}") from exc
    if args.sections:
        sections = [(s.bbox, s.kind) for s in read_sections(args.sections)]
    else:
        straight, regions = segment_straightened(get_segmenter(args.segmenter), frame.gray)
        sections = [(straight.to_original(r.bbox), r.kind) for r in regions]
    words = []
    if args.words:
        words = [(w["x_min"], w["y_min"], w["x_max"], w["y_max"]) for w in json.loads(args.words.read_text())]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    render_overlay(frame.gray, sections, words, max_side=args.max_side).save(args.out)
    print(f"{args.out}: {len(sections)} sections" + (f", {len(words)} words" if words else ""))
    return 0

