"""``eulereye synth OUT``: write synthetic newspaper pages with their ground truth."""

from __future__ import annotations

import argparse
import time

SUFFIXES = (".png", ".jpg", ".tif")


def _strength(value: str) -> float:
    strength = float(value)
    if not 0 <= strength <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return strength


def register(subparsers, settings) -> None:
    parser = subparsers.add_parser(
        "synth", help="generate synthetic newspaper pages with exact ground truth",
        description="Write page images to OUT/pages and their ground truth (.gt.json, PAGE-XML) "
                    "to OUT/ground-truth, named page-<seed>. The same seed always gives the same page.")
    parser.add_argument("out", metavar="OUT", help="output folder")
    parser.add_argument("--pages", type=int, default=10, metavar="N", help="how many pages (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first page; the others follow")
    parser.add_argument("--columns", type=int, choices=range(1, 9), metavar="{1..8}",
                        help="columns per page (default: chosen by the seed, 3..6 for print, 6..8 for microfilm)")
    parser.add_argument("--style", default="print",
                        help="print (default), or microfilm: a 150 dpi microfilm scan's look, 6-8 narrow "
                             "columns of small type, hairline rules, grey with JPEG artefacts "
                             "(use e.g. --width 2600 --height 3500)")
    parser.add_argument("--width", type=int, default=1700, help="page width in pixels (default 1700)")
    parser.add_argument("--height", type=int, default=2400, help="page height in pixels (default 2400)")
    parser.add_argument("--degrade", type=_strength, default=1.0, metavar="0..1",
                        help="scan damage: 0 clean, 0.3 mild, 1 rough (default)")
    parser.add_argument("--binarise", action=argparse.BooleanOptionalAction, default=None,
                        help="force bilevel (or grey) images; by default the seed decides")
    parser.add_argument("--format", choices=[s[1:] for s in SUFFIXES], default="png",
                        help="image file format of the pages (default png)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from eulereye.errors import UsageError
    from eulereye.logs import get_logger
    from eulereye.synth import generate_page, write_ground_truth
    from eulereye.synth.page import style_named

    if args.pages < 1 or args.seed < 0 or min(args.width, args.height) < 300:
        raise UsageError("--pages must be >= 1, --seed >= 0, --width and --height >= 300")
    try:
        style_named(args.style)
    except ValueError as exc:
        raise UsageError(f"--{exc}") from None
    log = get_logger()
    for seed in range(args.seed, args.seed + args.pages):
        started = time.perf_counter()
        page = generate_page(seed, width=args.width, height=args.height, columns=args.columns,
                             degrade=args.degrade, binarise=args.binarise, style=args.style)
        write_ground_truth(page, f"{args.out}/ground-truth", f"page-{seed}", image_suffix=f".{args.format}",
                           image_directory=f"{args.out}/pages")
        log.info("synthesised", page=f"page-{seed}", seconds=round(time.perf_counter() - started, 3),
                 sections=len(page.sections), skew=page.skew)
    return 0
