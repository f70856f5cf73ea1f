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


def register(subparsers, settings: Settings) -> None:
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
                        help="pages processed at once, each in a process of its own; a single "
                             "file given alone has its sections read by N processes instead "
                             "(default: EULEREYE_JOBS, else one per CPU)")
    parser.add_argument("--page-timeout", type=float, default=settings.page_timeout, metavar="SECONDS",
                        help="stop a file that takes longer and record it as failed "
                             "(default %(default)g; EULEREYE_PAGE_TIMEOUT)")
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
    if args.page_timeout <= 0:
        raise UsageError("--page-timeout must be a positive number of seconds")
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

    if not args.verbose and not uses_json(args.log_format):
        configure(args.log_format, level=logging.WARNING, leave_out=frozenset({"page failed", "page crashed"}))


def process_batch(inputs: list[tuple[Path, str]], args: argparse.Namespace) -> int:
    """Many files: pages in parallel, one OCR process each (``localbatch``); one file: read
    here, its sections spread over the OCR processes."""
    from eulereye.config import cpu_count
    from eulereye.console import BatchResult, PageProgress, logs_above, problem_lines, summary_lines
    from eulereye.localbatch import Input
    from eulereye.logs import get_logger
    from eulereye.outputs.naming import unique_names
    from eulereye.outputs.store import LocalStore

    _show_only_problems(args)
    log = get_logger()
    slots = args.jobs or cpu_count()
    single = len(inputs) == 1
    names = unique_names([rel for _, rel in inputs])
    items = [Input(path, rel, names[rel]) for path, rel in inputs]
    result = BatchResult(found=len(inputs), out=args.out, processes=slots)
    start = time.perf_counter()
    pipeline = _start_pipeline(_options(args, ocr_processes=slots if single else 1), LocalStore(args.out))
    log.info("batch started", files=len(inputs), out=args.out, engine=args.engine,
             segmenter=pipeline.segmenter.name, processes=slots, pages_at_once=1 if single else slots)
    progress = PageProgress(len(inputs))
    with pipeline, logs_above(progress):
        _run_files(items, pipeline, args, slots, progress, result)
    progress.close()
    result.seconds = time.perf_counter() - start
    _in_input_order(result, [item.name for item in items])
    _review_tree(result, args, names)
    log.info("batch finished", **result.counts, pages=result.pages, words=result.words,
             seconds=round(result.seconds, 1), flagged=len(result.flagged), run=result.run_record)
    print("\n".join(problem_lines(result) + summary_lines(result)), flush=True)
    return 1 if result.counts["failed"] else 0


def _run_files(items, pipeline, args: argparse.Namespace, slots: int, progress, result) -> None:
    """Each input through the pipeline, counted as it ends: a single one here, many ``slots``
    at a time in pool processes."""
    from eulereye.localbatch import ParallelInputs, run_input

    def started(item) -> None:
        progress.start_file(item.rel)

    def finished(item, outcome) -> None:
        _count(result, outcome, item.rel)
        progress.file_done(outcome.pages, outcome.status == "failed")

    def finished_elsewhere(item, outcome) -> None:  # its frames were not counted as written
        progress.pages_done(outcome.pages)
        finished(item, outcome)

    if len(items) == 1:
        started(items[0])
        finished(items[0], _configured(run_input, pipeline, items[0], progress.page_done))
    else:
        runner = ParallelInputs(pipeline, args.out, slots, args.page_timeout, started, finished_elsewhere)
        _configured(runner.run, items)


def _options(args: argparse.Namespace, ocr_processes: int):
    from eulereye.pipeline import Options

    return Options.from_settings(
        args.settings, engine=args.engine, segmenter=args.segmenter, lang=args.lang,
        ocr_processes=ocr_processes, max_pixels=args.max_pixels, replay_dir=args.replay,
        force=args.force, formats=args.formats, alto_profile=args.alto_profile, dpi=args.dpi)


def _configured(run, *arguments):
    """``run(*arguments)``; a configuration fault (e.g. Textract AccessDenied) stops the batch
    with exit 2, nothing recorded against the input it met."""
    from eulereye.errors import UsageError
    from eulereye.errors import ConfigurationError

    try:
        return run(*arguments)
    except ConfigurationError as exc:
        raise UsageError(f"configuration fault, {exc}") from exc


def _start_pipeline(options, store):
    from eulereye.errors import UsageError
    from eulereye.pipeline import Pipeline

    try:
        return Pipeline(options, store)
    except ValueError as exc:  # e.g. a language model that is not installed
        raise UsageError(str(exc)) from exc


def _in_input_order(result, names: list[str]) -> None:
    """Failed and skipped files in the order they were found (they finish in any order)."""
    rank = {name: index for index, name in enumerate(names)}
    result.failed.sort(key=lambda failure: rank.get(failure["name"], len(rank)))
    result.skipped.sort(key=lambda name: rank.get(name, len(rank)))


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
            "jobs": args.jobs, "page_timeout": args.page_timeout, "force": args.force, "prune": args.prune}
