"""``eulereye render``: draw a page's sections (and optionally words) over the page image."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eulereye.segment.base import SEGMENTERS


def register(subparsers, settings) -> None:
    parser = subparsers.add_parser(
        "render", help="draw a page's sections in reading order over the image",
        description="Write an overlay PNG: sections outlined and numbered in reading order, "
                    "kinds in colour. Sections come from --sections (a 'process' output file, "
                    "sections/<name>.json) or, without it, from running --segmenter on IMAGE. "
                    "Sections made from another page, frame or image size are refused.")
    parser.add_argument("image", type=Path, metavar="IMAGE", help="the page image (PNG, JPEG, TIFF, JPEG 2000)")
    parser.add_argument("--out", required=True, type=Path, help="overlay PNG to write")
    parser.add_argument("--frame", type=int, default=1, metavar="N",
                        help="page N of a multi-page TIFF (default: 1)")
    parser.add_argument("--segmenter", choices=SEGMENTERS, default=settings.segmenter,
                        help="segmenter to run when no --sections file is given")
    parser.add_argument("--sections", type=Path, metavar="JSON",
                        help="sections/<name>.json written by 'eulereye process' for IMAGE")
    parser.add_argument("--words", type=Path, metavar="JSON",
                        help="ocr_coords/<name>.json written by 'eulereye process': box every word")
    parser.add_argument("--max-side", type=int, default=3000, help="overlay size limit in pixels")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from eulereye.outputs.readers import read_sections, read_word_boxes
    from eulereye.render import render_overlay
    from eulereye.segment import get_segmenter
    from eulereye.segment.base import segment_straightened

    frame = _frame(args.image, args.frame)
    for given in (args.sections, args.words):
        if given:
            check_matches(given, args.image, frame)
    if args.sections:
        sections = [(s.bbox, s.kind) for s in read_sections(args.sections)]
        check_inside(args.sections, [box for box, _ in sections], args.image, frame)
    else:
        straight, regions = segment_straightened(get_segmenter(args.segmenter, args.settings.fcn_weights), frame.gray)
        sections = [(straight.to_original(r.bbox), r.kind) for r in regions]
    words = []
    if args.words:
        words = read_word_boxes(args.words)
        check_inside(args.words, words, args.image, frame)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    render_overlay(frame.gray, sections, words, max_side=args.max_side).save(args.out)
    print(f"{args.out}: {len(sections)} sections" + (f", {len(words)} words" if words else ""))
    return 0



def _frame(image: Path, number: int):
    """Frame ``number`` (1-based) of ``image``, decoded."""
    from eulereye.config import DEFAULT_MAX_PIXELS
    from eulereye.errors import PageError, UsageError
    from eulereye.imaging import load_frames

    if number < 1:
        raise UsageError("--frame counts from 1")
    try:
        for frame in load_frames(image.read_bytes(), image.name, max_pixels=DEFAULT_MAX_PIXELS):
            if frame.index == number - 1:
                return frame
    except OSError as exc:
        raise UsageError(f"{image}: {exc.strerror or exc}; check the path") from exc
    except PageError as exc:
        raise UsageError(str(exc)) from exc
    raise UsageError(f"{image} has {frame.count} page(s); --frame {number} is not one of them")


def output_name(path: Path) -> tuple[Path, str] | None:
    """(output folder, page name) of an output file: its path below sections/ or ocr_coords/
    without the suffix; None for a file outside an output tree (its name proves nothing)."""
    parts = path.parts
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] in ("sections", "ocr_coords"):
            return Path(*parts[:index]), Path(*parts[index + 1:]).with_suffix("").as_posix()
    return None


def check_matches(given: Path, image: Path, frame) -> None:
    """Refuse an output file (in an output tree) made from another page, frame, or size of
    image than ``frame``."""
    from eulereye.errors import UsageError
    from eulereye.outputs.naming import frame_name, page_name

    if not output_name(given):
        return
    root, name = output_name(given)
    base = name.rsplit("/", 1)[-1]
    stems = {page_name(image.name), image.name}
    if base not in {frame_name(stem, frame.index, frame.count) for stem in stems}:
        other = next((i for stem in stems for i in range(frame.count)
                      if base == frame_name(stem, i, frame.count)), None)
        hint = f"add --frame {other + 1}" if other is not None else "pass the file made from this image"
        raise UsageError(f"{given} is for page '{name}', not for {image} (page {frame.index + 1} "
                         f"of {frame.count}); {hint}")
    height, width = frame.gray.shape
    manifest = root / "manifest" / f"{name}.json"
    if manifest.is_file():
        made_on = json.loads(manifest.read_text()).get("image", {})
        if (made_on.get("width"), made_on.get("height")) != (width, height):
            raise UsageError(f"{given} was made from a {made_on.get('width')}x{made_on.get('height')} "
                             f"image, but {image} is {width}x{height}; pass the image it was made from")


def check_inside(given: Path, boxes, image: Path, frame) -> None:
    """Refuse boxes reaching beyond the image: they were made from a bigger one."""
    from eulereye.errors import UsageError

    height, width = frame.gray.shape
    right, bottom = max((b[2] for b in boxes), default=0), max((b[3] for b in boxes), default=0)
    if right > width or bottom > height:
        raise UsageError(f"{given} has boxes up to x={right}, y={bottom}, beyond {image} "
                         f"({width}x{height}); pass the image it was made from")
