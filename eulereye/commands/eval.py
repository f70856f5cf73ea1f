"""``eulereye eval``: score a run's sections against PAGE-XML ground truth."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(subparsers, settings) -> None:
    parser = subparsers.add_parser(
        "eval", help="score sections against PAGE-XML ground truth",
        description="Compare <PRED>/sections/<name>.json with <GT>/<name>.xml (PAGE-XML): region "
                    "precision/recall/F1 at IoU 0.5, column-straddle rate, GT text coverage, "
                    "reading-order agreement (GT with ReadingOrder) and CER (GT with text). "
                    "Prints a table per page and the mean.")
    parser.add_argument("--pred", required=True, type=Path, help="output folder written by 'eulereye process'")
    parser.add_argument("--gt", required=True, type=Path, help="folder of PAGE-XML files")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the scores as JSON here")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from eulereye.errors import UsageError
    from eulereye.evaluation.layout_eval import as_json, as_table, evaluate_folder

    if not args.gt.is_dir():
        raise UsageError(f"--gt {args.gt}: not a folder")
    if not (args.pred / "sections").is_dir():
        raise UsageError(f"--pred {args.pred}: has no sections/ folder (run `eulereye process` first)")
    try:
        scores = evaluate_folder(args.pred, args.gt)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from exc
    print(as_table(scores))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(as_json(scores), indent=2) + "\n")
    return 0
