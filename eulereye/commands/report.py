"""``eulereye report OUT``: a static HTML report of every page in an output folder."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers, settings) -> None:
    parser = subparsers.add_parser(
        "report", help="write an HTML report of an output folder (OUT/report/index.html)",
        description="Write OUT/report/: every page with a thumbnail of its sections in reading order, "
                    "words, mean confidence, dictionary-word share, time and status, the pages that "
                    "most need a look first, and a view of each page with its text beside the image. "
                    "Open OUT/report/index.html in a browser; no server needed.")
    parser.add_argument("out", type=Path, metavar="OUT", help="an output folder of 'eulereye process'")
    parser.add_argument("--images", type=Path, metavar="DIR",
                        help="the folder the pages were processed from (thumbnails show the scans; "
                             "without it, sections are drawn on a blank page)")
    parser.add_argument("--threads", type=int, default=4, help="pages drawn at once")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from eulereye.errors import UsageError
    from eulereye.report.pages import OutputReader, read_pages
    from eulereye.report.site import write_report

    if not (args.out / "manifest").is_dir() and not (args.out / "errors").is_dir():
        raise UsageError(f"{args.out}: not an output folder of 'eulereye process' (no manifest/ or "
                         "errors/); give the folder passed as --out")
    if args.images is not None and not args.images.is_dir():
        raise UsageError(f"--images {args.images}: no such folder")

    def load_image(key: str) -> bytes | None:
        path = args.images / key if args.images else None
        return path.read_bytes() if path and path.is_file() else None

    pages = read_pages(OutputReader.folder(args.out))
    index = write_report(pages, args.out, load_image, threads=args.threads)
    print(f"{len(pages)} pages -> {index}")
    return 0
