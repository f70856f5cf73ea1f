"""One configuration: the EULEREYE_* variables are read once, at the edge, into one checked
``Settings``; a wrong value stops any command with one line naming the variable and what it
accepts (exit 2, no traceback); no module below the edge reads the environment."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import fields

import pytest

from eulereye.config import Settings
from eulereye.environment import SettingError, settings_from, variable
from tests.conftest import REPO

# Modules that may read the environment, and why.
EDGE = {
    "eulereye/cli.py": "the command line: builds the settings once (eulereye.environment)",
    "lambda_src/scaler.py": "the Lambda's handler: boto3 only, it cannot import eulereye",
    "eulereye/ocr/tesseract.py": "TESSDATA_PREFIX is Tesseract's own variable (where its models "
                                 "are), and OMP_THREAD_LIMIT is set for libtesseract, not read",
}


def environment_reads(path) -> list[int]:
    """Lines of ``path`` that touch ``os.environ`` or call ``getenv``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and any(
                alias.name in ("environ", "getenv", "environb") for alias in node.names):
            lines.append(node.lineno)
    return lines


def test_nothing_below_the_edge_reads_the_environment():
    readers = {}
    for path in sorted([*(REPO / "eulereye").rglob("*.py"), *(REPO / "lambda_src").rglob("*.py")]):
        rel = path.relative_to(REPO).as_posix()
        if rel not in EDGE and (lines := environment_reads(path)):
            readers[rel] = lines
    assert readers == {}, "read the setting from the Settings passed down (eulereye/config.py)"


def test_the_check_finds_a_read(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom os import getenv\nx = os.environ.get('EULEREYE_JOBS')\n")
    assert environment_reads(module) == [2, 3]


def test_every_setting_has_its_variable_and_unset_ones_keep_their_defaults():
    assert settings_from({}) == Settings()
    given = {"EULEREYE_JOBS": "3", "EULEREYE_PAGE_TIMEOUT": "60", "EULEREYE_DPI": "300",
             "EULEREYE_ENGINE": "textract", "EULEREYE_FORMATS": "all", "EULEREYE_BUCKET": " b ",
             "EULEREYE_FCN_WEIGHTS": "/w/fcn.pt", "EULEREYE_LANG": ""}
    settings = settings_from(given)
    assert (settings.jobs, settings.page_timeout, settings.dpi, settings.engine, settings.formats,
            settings.bucket, settings.fcn_weights, settings.lang) == (
        3, 60, 300.0, "textract", "all", "b", "/w/fcn.pt", "eng")
    assert {variable(f.name) for f in fields(Settings)} >= {"EULEREYE_JOBS", "EULEREYE_QUEUE_URL"}


@pytest.mark.parametrize("name, value, accepts", [
    ("EULEREYE_JOBS", "two", "a whole number: pages processed at once"),
    ("EULEREYE_JOBS", "-1", "a whole number"),
    ("EULEREYE_PAGE_TIMEOUT", "0", "a whole number from 1"),
    ("EULEREYE_ENGINE", "tesseract4", "one of tesseract, textract"),
    ("EULEREYE_SEGMENTER", "deep", "one of classical, fcn, auto"),
    ("EULEREYE_LOG_FORMAT", "xml", "one of auto, json, console"),
    ("EULEREYE_TEXTRACT_MODE", "line", "one of page, section"),
    ("EULEREYE_FORMATS", "txt,docx", "a comma-separated list of txt,coords"),
    ("EULEREYE_ALTO_PROFILE", "mets", "one of pixel, ndnp"),
    ("EULEREYE_DPI", "nan", "a number"),
    ("EULEREYE_TEXTRACT_TPS", "1.5", "a whole number"),
])
def test_a_wrong_value_names_the_variable_and_what_it_accepts(name, value, accepts):
    with pytest.raises(SettingError) as raised:
        settings_from({name: value})
    assert str(raised.value).startswith(f"{name}={value!r} is not accepted; it takes {accepts}")


@pytest.mark.parametrize("argv", [["--version"], ["process", "samples/pages", "--out", "x"], ["worker"]])
def test_the_command_line_stops_on_a_wrong_value_with_one_line_and_exit_2(argv):
    env = {**os.environ, "PYTHONPATH": str(REPO), "EULEREYE_JOBS": "two"}
    result = subprocess.run([sys.executable, "-m", "eulereye", *argv], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "eulereye: error: EULEREYE_JOBS='two' is not accepted; it takes a whole number: pages "
        "processed at once (0: one per CPU)"]


def test_flags_start_from_the_settings():
    from eulereye.cli import build_parser

    parser = build_parser(Settings(jobs=3, segmenter="fcn", page_timeout=60, log_format="json"))
    args = parser.parse_args(["process", "p.png", "--out", "o"])
    assert (args.jobs, args.segmenter, args.page_timeout, args.log_format) == (3, "fcn", 60, "json")
    assert parser.parse_args(["process", "p.png", "--out", "o", "--jobs", "1"]).jobs == 1
