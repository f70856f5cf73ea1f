"""Benchmark eulereye against plain Tesseract on the same pages, in the same run.

For every page: seconds, peak memory and (where ground truth exists) the order-aware character
error rate of

* ``eulereye process PAGE --jobs 1`` and ``--jobs 2`` (the whole pipeline, outputs included),
* ``tesseract PAGE out`` (its default: OpenMP threads on every core),
* ``OMP_THREAD_LIMIT=1 tesseract PAGE out`` (one thread).

Each page is a fresh process for every system, so start-up (model loading) counts for all of
them alike. Memory is the peak over the run of the summed PSS of the whole process tree
(sampled every 50 ms; PSS shares copy-on-write pages of forked workers fairly), next to the
largest single process's max RSS. Writes its section of ``bench/RESULTS.md``.

Pages: the bundled samples (``samples/pages``, ground truth in ``samples/ground-truth``), the
real 1895 front page and a 7100x10590 GBN scan from the test data (``make testdata``; no
ground truth). ``BENCH_QUICK=1`` runs one page.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from results_file import write_section  # noqa: E402  (bench/, the script's own folder)

from eulereye import __version__  # noqa: E402
from eulereye.textmetrics import cer  # noqa: E402
from tools.testdata import CACHE, data_path  # noqa: E402

REAL_PAGES = [
    data_path("loc/highland-recorder-1895-12-13-p1.jpg"),
    data_path("newspaper-layout/gbn_DerPionier_18880121-p05.png"),
]
SAMPLE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".jp2"}
SYSTEMS = ["eulereye --jobs 1", "eulereye --jobs 2", "tesseract", "tesseract OMP_THREAD_LIMIT=1"]
BASELINE = "tesseract"
SAMPLE_SECONDS = 0.05


@dataclass
class Page:
    path: Path
    truth: str | None  # ground-truth text in reading order, where there is one


@dataclass
class Run:
    seconds: float
    tree_mb: float  # peak summed PSS of the process tree
    process_mb: float  # max RSS of the largest single process
    cer: float | None
    stage_share: float | None = None  # eulereye: (segment + write) / all stages
    stages: dict[str, float] = field(default_factory=dict)


def pages(quick: bool) -> list[Page]:
    found = [Page(path, _truth(path)) for path in _sample_pages()]
    bundled = {page.path.name for page in found}  # the 1895 page is a sample too
    found += [Page(path, None) for path in REAL_PAGES
              if path.is_file() and path.name not in bundled]
    if not found:
        sys.exit(f"no pages to benchmark: neither {REPO / 'samples/pages'} nor {CACHE} exists (make testdata)")
    return found[:1] if quick else found


def _sample_pages() -> list[Path]:
    folder = REPO / "samples" / "pages"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SAMPLE_SUFFIXES)


def _truth(page: Path) -> str | None:
    relative = page.relative_to(REPO / "samples" / "pages").with_suffix(".gt.json")
    gt = REPO / "samples" / "ground-truth" / relative
    return json.loads(gt.read_text())["text"] if gt.is_file() else None


# -- running one system on one page ---------------------------------------------------------------
def run_system(system: str, page: Page, work: Path) -> Run:
    out = work / system.replace(" ", "_").replace("=", "")
    out.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "EULEREYE_LOG_FORMAT": "json"}
    if system.startswith("eulereye"):
        jobs = system.rsplit(" ", 1)[1]
        command = [sys.executable, "-m", "eulereye", "process", str(page.path), "--out", str(out),
                   "--jobs", jobs, "--force"]
    else:
        command = ["tesseract", str(page.path), str(out / "page")]
        if "OMP_THREAD_LIMIT" in system:
            env["OMP_THREAD_LIMIT"] = "1"
    seconds, tree_mb, process_mb = measure(command, env)
    if system.startswith("eulereye"):
        return _eulereye_run(out, page, seconds, tree_mb, process_mb)
    text = (out / "page.txt").read_text()
    return Run(seconds, tree_mb, process_mb, cer(text, page.truth) if page.truth else None)


def _eulereye_run(out: Path, page: Page, seconds: float, tree_mb: float,
                  process_mb: float) -> Run:
    name = page.path.stem
    manifest = json.loads((out / "manifest" / f"{name}.json").read_text())
    if manifest.get("status") != "ok":
        raise RuntimeError(f"eulereye failed on {page.path}: {manifest}")
    stages = manifest["timings"]
    share = (stages.get("segment", 0.0) + stages.get("write", 0.0)) / sum(stages.values())
    text = (out / "ocr_plain_text" / f"{name}.txt").read_text()
    return Run(seconds, tree_mb, process_mb, cer(text, page.truth) if page.truth else None,
               share, stages)


def measure(command: list[str], env: dict) -> tuple[float, float, float]:
    """Run ``command``; its wall seconds, peak tree PSS (MB) and largest max RSS (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample_tree, args=(process.pid, peak, done), daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # eulereye exits 1 when a page failed: checked later
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {stderr[-2000:]}")
    return seconds, peak[0] / 1024, usage.ru_maxrss / 1024


def _sample_tree(root: int, peak: list[int], done: threading.Event) -> None:
    while not done.wait(SAMPLE_SECONDS):
        peak[0] = max(peak[0], sum(_pss_kb(pid) for pid in _tree(root)))


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass  # the process has just ended
    return 0


# -- report ---------------------------------------------------------------------------------------
def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    mem_kb = next((int(line.split()[1]) for line in _lines("/proc/meminfo")
                   if line.startswith("MemTotal")), 0)
    cores = len(os.sched_getaffinity(0))
    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    version = (tesseract.stdout or tesseract.stderr).splitlines()[0]
    return (f"{cpu}, {cores} cores, {mem_kb / 1024 ** 2:.1f} GiB RAM; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}; {version}; "
            f"eulereye {__version__}")


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def report(results: dict[str, dict[str, Run]], quick: bool,
           load: tuple[float, float], progress: str) -> str:
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rows = ["| page | system | seconds | x tesseract | peak tree MB | largest process MB "
            "| CER | segment+write share |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for page, runs in results.items():
        base = runs[BASELINE]
        for system, run in runs.items():
            rows.append(
                f"| {page} | {system} | {run.seconds:.1f} | {run.seconds / base.seconds:.2f} "
                f"| {run.tree_mb:.0f} | {run.process_mb:.0f} | {_pct(run.cer)} "
                f"| {_pct(run.stage_share)} |")
    return "\n".join([
        "# Benchmark: eulereye vs plain Tesseract",
        "",
        f"Run {date}{' (quick mode: one page)' if quick else ''}{progress} with `make bench` "
        "(`bench/run.py`).",
        f"Machine: {machine()}.",
        f"Load average (1 min) at the start and end of the run: {load[0]:.1f}, {load[1]:.1f}: "
        "other work sharing the machine slows every system, and not always alike, so read "
        "the ratios with that in mind.",
        "",
        "Every page is run by every system as a fresh process (start-up included for all).",
        "*peak tree MB*: peak of the summed PSS of the process and all its children, sampled "
        "every 50 ms; *largest process MB*: max RSS of the largest single process. *CER*: "
        "order-aware character error rate (edit distance of the whole page text in reading "
        "order / ground-truth length, whitespace normalised; `eulereye.textmetrics.cer`), "
        "only for pages with ground truth. *segment+write share*: for eulereye, the part of "
        "the page's stage time (deskew, segment, ocr, write in its manifest) spent in "
        "segmentation and output writing.",
        "",
        "## Per page",
        "",
        *rows,
        "",
        "## Summary (means over pages)",
        "",
        *summary(results),
        "",
        "## eulereye stage timings (seconds, from manifest/<name>.json)",
        "",
        *stage_table(results),
        "",
    ])


def summary(results: dict[str, dict[str, Run]]) -> list[str]:
    rows = ["| system | seconds/page | x tesseract | peak tree MB (max) | mean CER (pages with GT) |",
            "|---|---:|---:|---:|---:|"]
    for system in SYSTEMS:
        runs = [page_runs[system] for page_runs in results.values()]
        ratio = statistics.mean(r[system].seconds / r[BASELINE].seconds for r in results.values())
        cers = [run.cer for run in runs if run.cer is not None]
        rows.append(f"| {system} | {statistics.mean(run.seconds for run in runs):.1f} "
                    f"| {ratio:.2f} | {max(run.tree_mb for run in runs):.0f} "
                    f"| {_pct(statistics.mean(cers)) if cers else 'n/a'} |")
    return rows


def stage_table(results: dict[str, dict[str, Run]]) -> list[str]:
    stages = ["deskew", "segment", "ocr", "write"]
    rows = ["| page | system | " + " | ".join(stages) + " |", "|---|---|" + "---:|" * len(stages)]
    for page, runs in results.items():
        for system, run in runs.items():
            if run.stages:
                cells = " | ".join(f"{run.stages.get(stage, 0.0):.2f}" for stage in stages)
                rows.append(f"| {page} | {system} | {cells} |")
    return rows


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def main() -> None:
    quick = os.environ.get("BENCH_QUICK") == "1"
    todo = pages(quick)
    results: dict[str, dict[str, Run]] = {}
    load_at_start = os.getloadavg()[0]
    target = REPO / "bench" / "RESULTS.md"
    with tempfile.TemporaryDirectory(prefix="eulereye-bench-") as work:
        for number, page in enumerate(todo):
            runs = {}
            for system in SYSTEMS:
                runs[system] = run = run_system(system, page, Path(work) / str(number))
                print(f"{page.path.name:45} {system:30} {run.seconds:7.1f} s {run.tree_mb:7.0f} MB "
                      f"CER {_pct(run.cer)}", flush=True)
            results[page.path.name] = runs
            # Rewritten after every page: a long run stopped early still leaves its results.
            left = len(todo) - number - 1
            progress = f" (partial: {number + 1} of {len(todo)} pages)" if left else ""
            write_section(target, "pipeline", report(results, quick, (load_at_start, os.getloadavg()[0]), progress))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
