"""``eulereye process PATH... --out DIR``: run the whole pipeline locally."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from eulereye.config import DEFAULT_MAX_PIXELS, Settings
from eulereye.imaging import PAGE_SUFFIXES
from eulereye.ocr.base import ENGINES
from eulereye.segment.base import SEGMENTERS


def register(subparsers) -> None:
    settings = Settings.from_env()
    parser = subparsers.add_parser(
        "process", help="OCR page images into an output folder",
        description="Segment and OCR page images (files, or folders searched recursively) and "
                    "write text, word coordinates, sections, ALTO and manifests under --out.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--engine", choices=ENGINES, default=settings.engine)
    parser.add_argument("--segmenter", choices=SEGMENTERS, default=settings.segmenter)
    parser.add_argument("--lang", default=settings.lang,
                        help="Tesseract language model(s), e.g. eng, deu, Fraktur, deu+eng")
    parser.add_argument("--jobs", type=int, default=settings.jobs, metavar="N",
                        help="parallel OCR processes (default: one per CPU)")
    parser.add_argument("--replay", metavar="DIR",
                        help="reuse raw Textract responses saved under DIR/raw/ instead of calling AWS")
    parser.add_argument("--max-pixels", type=int, default=settings.max_pixels or DEFAULT_MAX_PIXELS,
                        help="refuse images with more pixels (decompression-bomb guard)")
    parser.add_argument("--force", action="store_true",
                        help="re-process pages whose outputs are already up to date")
    add_format_arguments(parser, settings)
    parser.set_defaults(func=run)


def add_format_arguments(parser: argparse.ArgumentParser, settings: Settings) -> None:
    from eulereye.outputs.formats import ALTO_PROFILES, DEFAULT_FORMATS, FORMATS

    parser.add_argument("--formats", default=settings.formats or ",".join(DEFAULT_FORMATS), metavar="LIST",
                        help=f"outputs to write, comma-separated: {','.join(FORMATS)}, or all "
                             "(default %(default)s; EULEREYE_FORMATS)")
    parser.add_argument("--alto-profile", choices=ALTO_PROFILES, default=settings.alto_profile,
                        help="pixel: ALTO in image pixels; ndnp: in 1/1200 inch with the image's "
                             "file name, as the National Digital Newspaper Program loads it")
    parser.add_argument("--dpi", type=float, default=settings.dpi or None, metavar="N",
                        help="resolution of images whose file states none (NDNP ALTO needs one; "
                             "the PDF's page size uses it)")


def find_inputs(paths: list[str]) -> list[tuple[Path, str]]:
    """(file, relative name) for each input: a file given directly is named by its file name,
    a file found in a folder by its path below that folder."""
    from eulereye.cli import UsageError

    found: list[tuple[Path, str]] = []
    for arg in paths:
        root = Path(arg)
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root)
                if any(part.startswith(".") for part in rel.parts) or path.is_dir():
                    continue
                if path.suffix.lower() in PAGE_SUFFIXES:
                    found.append((path, rel.as_posix()))
        elif root.exists() or root.is_symlink():
            found.append((root, root.name))
        else:
            raise UsageError(f"no such file or folder: {arg}")
    seen: dict[str, Path] = {}
    for path, rel in found:
        if rel in seen:
            raise UsageError(f"{seen[rel]} and {path} would write the same outputs ({rel}); "
                             "process them into separate --out folders")
        seen[rel] = path
    return found


def run(args: argparse.Namespace) -> int:
    from eulereye.cli import UsageError
    from eulereye.outputs.formats import parse_formats

    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per CPU) or more")
    if args.dpi is not None and args.dpi <= 0:
        raise UsageError("--dpi must be a positive resolution, e.g. 300")
    try:
        args.formats = parse_formats(args.formats)
    except ValueError as exc:
        raise UsageError(f"--formats: {exc}") from exc
    inputs = find_inputs(args.paths)
    if not inputs:
        raise UsageError(f"no page images found in {' '.join(args.paths)}")
    return process_batch(inputs, args)


def process_batch(inputs: list[tuple[Path, str]], args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from eulereye.errors import BadImageError
    from eulereye.logs import get_logger
    from eulereye.outputs.naming import unique_names
    from eulereye.outputs.store import LocalStore
    from eulereye.pipeline import Options, Pipeline

    log = get_logger()
    options = Options(engine=args.engine, segmenter=args.segmenter, lang=args.lang,
                      jobs=args.jobs, max_pixels=args.max_pixels, replay_dir=args.replay,
                      force=args.force, formats=args.formats, alto_profile=args.alto_profile,
                      dpi=args.dpi)
    names = unique_names([rel for _, rel in inputs])
    counts = {"ok": 0, "skipped": 0, "failed": 0}
    pages = words = 0
    start = time.perf_counter()
    try:
        pipeline = Pipeline(options, LocalStore(args.out))
    except ValueError as exc:  # e.g. a language model that is not installed
        from eulereye.cli import UsageError

        raise UsageError(str(exc)) from exc
    log.info("batch started", files=len(inputs), out=args.out, engine=args.engine,
             segmenter=pipeline.segmenter.name, jobs=options.jobs)
    with pipeline, tqdm(inputs, unit="file", desc="pages", disable=None) as progress:
        for path, rel in progress:
            try:
                data = path.read_bytes()
            except OSError as exc:
                data, error = None, BadImageError(f"{rel}: cannot read file: {exc.strerror or exc}")
            if data is None:
                pipeline.record_failure(names[rel], {"key": rel}, error)
                counts["failed"] += 1
                continue
            outcome = process_one(pipeline, data, rel, names[rel])
            counts[outcome.status] += 1
            pages += outcome.pages
            words += outcome.words
    seconds = time.perf_counter() - start
    log.info("batch finished", **counts, pages=pages, words=words, seconds=round(seconds, 1),
             pages_per_min=round(pages / seconds * 60, 1) if seconds else 0.0)
    print(f"{counts['ok']} ok, {counts['skipped']} skipped, {counts['failed']} failed: "
          f"{pages} pages, {words} words in {seconds:.1f} s -> {args.out}")
    return 1 if counts["failed"] else 0


def process_one(pipeline, data: bytes, rel: str, name: str):
    """One input through the pipeline. A configuration fault (e.g. Textract AccessDenied)
    stops the batch with exit 2; any other failure costs this input only, recorded under
    errors/ (running again retries it)."""
    from eulereye.cli import UsageError
    from eulereye.errors import CONFIGURATION, classify
    from eulereye.logs import get_logger
    from eulereye.pipeline import FileOutcome

    try:
        return pipeline.process_file(data, rel, name=name)
    except Exception as exc:
        if classify(exc) == CONFIGURATION:
            raise UsageError(f"configuration fault, nothing recorded against {rel}: {exc}") from exc
        get_logger().exception("page crashed", page=name)
        pipeline.record_failure(name, {"key": rel}, exc)
        return FileOutcome(name, "failed", error=f"{type(exc).__name__}: {exc}")
