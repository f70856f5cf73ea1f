"""``eulereye process PATH... --out DIR``: run the whole pipeline locally."""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from eulereye.config import DEFAULT_MAX_PIXELS, Settings
from eulereye.imaging import PAGE_SUFFIXES
from eulereye.inputs import find_inputs
from eulereye.ocr.base import ENGINES
from eulereye.segment.base import SEGMENTERS


def register(subparsers) -> None:
    settings = Settings.from_env()
    parser = subparsers.add_parser(
        "process", help="OCR page images into an output folder",
        description="Segment and OCR page images (files, or folders searched recursively) and "
                    "write text, word coordinates, sections, ALTO and manifests under --out.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="output folder (created if missing; never read as input)")
    parser.add_argument("--engine", choices=ENGINES, default=settings.engine,
                        help="OCR engine: tesseract (local) or textract (AWS, billed per page)")
    parser.add_argument("--segmenter", choices=SEGMENTERS, default=settings.segmenter,
                        help="how pages are split into sections: auto (the best measured), "
                             "classical or fcn")
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
    parser.add_argument("--prune", action="store_true",
                        help="remove the outputs of pages whose input file no longer exists")
    parser.add_argument("--verbose", action="store_true",
                        help="on a terminal, log every stage of every page above the progress bar")
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


def run(args: argparse.Namespace) -> int:
    from eulereye.errors import UsageError
    from eulereye.outputs.formats import parse_formats

    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per CPU) or more")
    if args.dpi is not None and args.dpi <= 0:
        raise UsageError("--dpi must be a positive resolution, e.g. 300")
    try:
        args.formats = parse_formats(args.formats)
    except ValueError as exc:
        raise UsageError(f"--formats: {exc}") from exc
    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise UsageError(f"--out {args.out} is a file; give a folder (it is created if missing)")
    inputs = find_inputs(args.paths, exclude=Path(args.out))
    if not inputs:
        raise UsageError(f"no page images found in {' '.join(args.paths)} "
                         f"(looked for {', '.join(sorted(PAGE_SUFFIXES))})")
    return process_batch(inputs, args)


def _show_only_problems(args: argparse.Namespace) -> None:
    """On a terminal the bar shows progress: log only warnings above it, and leave out page
    failures, which the summary lists (``--verbose`` logs everything)."""
    from eulereye.logs import configure, uses_json

    log_format = args.log_format or Settings.from_env().log_format
    if not args.verbose and not uses_json(log_format):
        configure(log_format, level=logging.WARNING, leave_out=frozenset({"page failed", "page crashed"}))


def process_batch(inputs: list[tuple[Path, str]], args: argparse.Namespace) -> int:
    from eulereye.config import cpu_count
    from eulereye.console import BatchResult, PageProgress, logs_above, problem_lines, summary_lines
    from eulereye.logs import get_logger
    from eulereye.outputs.naming import unique_names
    from eulereye.outputs.store import LocalStore
    from eulereye.pipeline import Options

    _show_only_problems(args)
    log = get_logger()
    options = Options(engine=args.engine, segmenter=args.segmenter, lang=args.lang,
                      jobs=args.jobs, max_pixels=args.max_pixels, replay_dir=args.replay,
                      force=args.force, formats=args.formats, alto_profile=args.alto_profile,
                      dpi=args.dpi)
    names = unique_names([rel for _, rel in inputs])
    result = BatchResult(found=len(inputs), out=args.out, processes=options.jobs or cpu_count())
    start = time.perf_counter()
    pipeline = _start_pipeline(options, LocalStore(args.out))
    log.info("batch started", files=len(inputs), out=args.out, engine=args.engine,
             segmenter=pipeline.segmenter.name, processes=result.processes)
    progress = PageProgress(len(inputs))
    with pipeline, logs_above(progress):
        for path, rel in inputs:
            progress.start_file(rel)
            outcome = _process_one(pipeline, path, rel, names[rel], progress)
            _count(result, outcome, rel)
            progress.file_done(outcome.pages, outcome.status == "failed")
    progress.close()
    result.seconds = time.perf_counter() - start
    _review_tree(result, args, names)
    log.info("batch finished", **result.counts, pages=result.pages, words=result.words,
             seconds=round(result.seconds, 1), flagged=len(result.flagged), run=result.run_record)
    print("\n".join(problem_lines(result) + summary_lines(result)), flush=True)
    return 1 if result.counts["failed"] else 0


def _start_pipeline(options, store):
    from eulereye.errors import UsageError
    from eulereye.pipeline import Pipeline

    try:
        return Pipeline(options, store)
    except ValueError as exc:  # e.g. a language model that is not installed
        raise UsageError(str(exc)) from exc


def _process_one(pipeline, path: Path, rel: str, name: str, progress):
    from eulereye.errors import BadImageError
    from eulereye.pipeline import FileOutcome

    source = {"path": str(path.absolute())}
    try:
        data = path.read_bytes()
    except OSError as exc:
        error = BadImageError(f"{rel}: cannot read file: {exc.strerror or exc}; check that it "
                              "exists and that you may read it")
        pipeline.record_failure(name, {"key": rel, **source}, error)
        return FileOutcome(name, "failed", error=f"{type(error).__name__}: {error}")
    return _run_pipeline(pipeline, data, rel, name, source, progress)


def _run_pipeline(pipeline, data: bytes, rel: str, name: str, source: dict, progress):
    """One input through the pipeline. A configuration fault (e.g. Textract AccessDenied)
    stops the batch with exit 2; any other failure costs this input only, recorded under
    errors/ (running again retries it)."""
    from eulereye.errors import UsageError
    from eulereye.errors import CONFIGURATION, classify
    from eulereye.logs import get_logger
    from eulereye.pipeline import FileOutcome

    try:
        return pipeline.process_file(data, rel, name=name, source=source, on_page=progress.page_done)
    except Exception as exc:
        if classify(exc) == CONFIGURATION:
            raise UsageError(f"configuration fault, nothing recorded against {rel}: {exc}") from exc
        get_logger().exception("page crashed", page=name)
        pipeline.record_failure(name, {"key": rel, **source}, exc)
        return FileOutcome(name, "failed", error=f"{type(exc).__name__}: {exc}")


def _count(result, outcome, rel: str) -> None:
    result.counts[outcome.status] += 1
    result.pages += outcome.pages
    result.words += outcome.words
    if outcome.status == "skipped":
        result.skipped.append(outcome.name)
    elif outcome.status == "failed":
        result.failed.append({"file": rel, "name": outcome.name, "reason": _reason(outcome, rel)})


def _reason(outcome, rel: str) -> str:
    """The failure in one line, starting with the file it is about."""
    message = (outcome.error or "failed").splitlines()[0]
    _, _, text = message.partition(": ")  # after the class name; PageErrors name the file
    return text if text.startswith(rel) else f"{rel}: {message}"


def _review_tree(result, args: argparse.Namespace, names: dict[str, str]) -> None:
    """After the batch: flag pages far below the batch, find outputs whose input is gone
    (removed with --prune), and save the run's record under runs/."""
    from eulereye.outputs.localtree import batch_manifests, orphans, page_figures, prune, write_run
    from eulereye.textquality import flag_pages

    root = Path(args.out)
    result.flagged = flag_pages({name: page_figures(manifest)
                                 for name, manifest in batch_manifests(root, names.values())})
    result.orphans = orphans(root, set(names.values()))
    if args.prune and result.orphans:
        prune(root, result.orphans)
        result.pruned = True
    result.run_record = write_run(root, {"command": "process", "paths": args.paths,
                                         "options": _options_record(args), **result.record()})


def _options_record(args: argparse.Namespace) -> dict:
    return {"engine": args.engine, "segmenter": args.segmenter, "lang": args.lang,
            "jobs": args.jobs, "force": args.force, "prune": args.prune}
