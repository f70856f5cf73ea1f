"""One local platform (moto server, terraform apply, runner) for the whole e2e session; every
scenario adds a row to the results table, printed at the end and written to
e2e/work/RESULTS.md (`make e2e` copies it to e2e/RESULTS.md)."""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # the e2e harness is a folder beside the package, not installed

from e2e.accounting import Row, write_results  # noqa: E402
from e2e.localcloud import LocalCloud  # noqa: E402

WORK = REPO / "e2e" / "work"
NOTES = ("Figures: a = generated newspaper pages; b = burst of small pages with faults injected "
         "(RunTask throttling, worker processes killed mid-page, S3 503 SlowDown on PUTs); "
         "c = bad inputs mixed in; d = re-upload of an unchanged and of a changed page; "
         "e-j = issue 11's failure modes (a multi-page TIFF with an S3 fault on frame 2, a "
         "poison page, a misconfigured worker, a bulk upload of 10,000 objects as its 10,000 "
         "upload events into the scaler's nudge queue (the objects themselves not stored), "
         "lost events repaired by `eulereye reconcile`, "
         "Textract denied then throttled on the platform deployed with engine = textract; "
         "docs/local-cloud.md). lost = neither complete outputs nor an errors/ record; "
         "duplicates = manifests written more than once for a page. Wall time from the start of "
         "the upload until every page is settled and the queue is empty. See docs/local-cloud.md.\n")


@pytest.fixture(scope="session")
def local_cloud():
    workdir = WORK / time.strftime("%Y%m%d-%H%M%S")
    with LocalCloud(workdir) as cloud:
        yield cloud


@pytest.fixture(scope="session")
def textract_cloud():
    """The platform deployed with engine = textract (its own moto server and apply: the rate
    table, the task role's Textract permission and the workers' settings come from Terraform)."""
    workdir = WORK / time.strftime("%Y%m%d-%H%M%S-textract")
    with LocalCloud(workdir, variables={"engine": "textract", "textract_tps": 5}) as cloud:
        yield cloud


SESSION_START = time.time()


@pytest.fixture(scope="session")
def record():
    """Adds a scenario's row; the table file is rewritten each time. Scenarios may run in
    several xdist workers (one per platform), while the summary below is printed by the
    controlling process: each row is appended to a file of this run, and the table is made
    from all of them, in figure order."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"{os.getpid()}"
    rows_file = WORK / f"rows-{run}.jsonl"

    def add(row) -> None:
        WORK.mkdir(parents=True, exist_ok=True)
        with open(rows_file, "a") as rows:
            rows.write(json.dumps(asdict(row)) + "\n")
        rows = sorted((Row(**json.loads(line)) for line in rows_file.read_text().splitlines()),
                      key=lambda r: r.figure.split(":")[0])
        write_results(rows, WORK / "RESULTS.md", NOTES)
    return add


def pytest_terminal_summary(terminalreporter):
    results = WORK / "RESULTS.md"
    if results.exists() and results.stat().st_mtime >= SESSION_START:
        terminalreporter.write_sep("=", "local end-to-end results")
        terminalreporter.write(results.read_text())
