"""What ``eulereye process`` shows a person: a bar counting pages (every frame of a multi-page
TIFF) with the file being read, log lines above the bar and never inside it, and at the end one
line per problem and a three-line summary."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass, field

from tqdm import tqdm
from tqdm.contrib import DummyTqdmFile

MAX_LISTED = 20  # failed files and flagged pages named on the screen; the rest are in the run record
_NAME_WIDTH = 40


def _short(name: str) -> str:
    return name if len(name) <= _NAME_WIDTH else "…" + name[-(_NAME_WIDTH - 1):]


class PageProgress:
    """A bar over the pages of a batch. It starts at one page per file and grows as files turn
    out to hold several frames. Shown only on a terminal."""

    def __init__(self, files: int, stream=None):
        self.bar = tqdm(total=files, unit="page", desc="pages", disable=None, dynamic_ncols=True,
                        file=stream or sys.stderr)
        self.failed = 0

    def start_file(self, relpath: str) -> None:
        self.relpath = relpath
        self._postfix(_short(relpath))

    def page_done(self, index: int, count: int) -> None:
        if index == 0 and count > 1:
            self.bar.total += count - 1
        self.bar.update(1)
        if count > 1:
            self._postfix(f"{_short(self.relpath)} (frame {index + 1}/{count})")

    def pages_done(self, pages: int) -> None:
        """A file's ``pages`` frames, written by another process, counted at once."""
        if pages > 1:
            self.bar.total += pages - 1
        self.bar.update(pages)

    def file_done(self, pages_written: int, failed: bool) -> None:
        """After a file: one step for a file that wrote no page (skipped or failed)."""
        self.failed += failed
        if not pages_written:
            self.bar.update(1)

    def _postfix(self, text: str) -> None:
        self.bar.set_postfix_str(text + (f", {self.failed} failed" if self.failed else ""))

    def close(self) -> None:
        self.bar.close()


@contextmanager
def logs_above(progress: PageProgress):
    """While the bar is up, everything written to stderr (log lines, warnings) is printed
    above it as whole lines (tqdm.write), never onto the bar's row."""
    original = sys.stderr
    if progress.bar.disable:
        yield
        return
    sys.stderr = DummyTqdmFile(original)
    try:
        yield
    finally:
        sys.stderr = original


@dataclass
class BatchResult:
    """What a batch did, for the summary and the run record."""

    found: int
    out: str
    processes: int
    counts: dict[str, int] = field(default_factory=lambda: {"ok": 0, "skipped": 0, "failed": 0})
    pages: int = 0
    words: int = 0
    seconds: float = 0.0
    failed: list[dict] = field(default_factory=list)  # {"file", "name", "reason"}
    skipped: list[str] = field(default_factory=list)
    flagged: dict[str, str] = field(default_factory=dict)  # page name -> why
    orphans: list[str] = field(default_factory=list)
    pruned: bool = False
    run_record: str = ""

    def record(self) -> dict:
        return {"files": {"found": self.found, **self.counts}, "pages": self.pages,
                "words": self.words, "processes": self.processes, "seconds": round(self.seconds, 1),
                "failed": self.failed, "skipped": self.skipped, "flagged": self.flagged,
                "outputs_without_input": self.orphans, "pruned": self.pruned}


def problem_lines(result: BatchResult) -> list[str]:
    """One line per failed file and flagged page (the first ``MAX_LISTED`` of each), one for
    outputs whose input is gone."""
    lines = [f"failed:  {f['reason']}" for f in result.failed[:MAX_LISTED]]
    if len(result.failed) > MAX_LISTED:
        lines.append(f"failed:  … and {len(result.failed) - MAX_LISTED} more files, all listed in "
                     f"{result.out}/{result.run_record}")
    flagged = list(result.flagged.items())
    lines += [f"flagged: {name}: {why}" for name, why in flagged[:MAX_LISTED]]
    if len(flagged) > MAX_LISTED:
        lines.append(f"flagged: … and {len(flagged) - MAX_LISTED} more pages, all listed in "
                     f"{result.out}/{result.run_record}")
    if result.orphans:
        action = "removed (--prune)" if result.pruned else "kept; --prune removes them"
        pages = f"{len(result.orphans)} page{'s' if len(result.orphans) > 1 else ''}"
        lines.append(f"no input: {pages} in {result.out} whose input file is gone "
                     f"(first: {result.orphans[0]}), {action}; all listed in {result.out}/{result.run_record}")
    return lines


def summary_lines(result: BatchResult) -> list[str]:
    """Three lines: files, pages, and what to do next."""
    counts = result.counts
    rate = f", {result.pages / result.seconds * 60:.1f} pages/min" if result.seconds and result.pages else ""
    files = (f"files: {result.found} found, {counts['ok']} done, {counts['skipped']} unchanged "
             f"(skipped), {counts['failed']} failed")
    pages = (f"pages: {result.pages} written ({result.words} words), {len(result.flagged)} flagged "
             f"for a look; {result.processes} OCR process{'es' if result.processes > 1 else ''}, "
             f"{result.seconds:.1f} s{rate}")
    return [files, pages, _next_step(result)]


def _next_step(result: BatchResult) -> str:
    if result.failed:
        return (f"next: fix or replace the {len(result.failed)} failed file(s) (one record each in "
                f"{result.out}/errors/) and run the same command again; finished pages are skipped")
    if result.flagged:
        return f"next: look at the flagged pages; results in {result.out}"
    return f"done: results in {result.out} (text in {result.out}/ocr_plain_text/)"
