"""The docs say what the code does: defaults quoted in the docs are Terraform's defaults, the
cost page's figures come from the current benchmark, the operations page's saved query is the
dashboard's."""

from __future__ import annotations

import re

import pytest

from tests.terraform.helpers import REPO, ROOT_MODULE
from tools import cost_page
from tools.module_readme import blocks

DOCS = sorted((REPO / "docs").glob("*.md")) + [REPO / "README.md"]
MENTION = re.compile(r"`([a-z_]+)` \(default ([^)]+)\)")


def root_defaults() -> dict[str, str]:
    return {name: attributes["default"].strip('"') for name, attributes in blocks(ROOT_MODULE / "variables.tf")
            if "default" in attributes}


def mentions() -> list[tuple[str, str, str]]:
    defaults = root_defaults()
    return [(doc.name, name, value) for doc in DOCS for name, value in MENTION.findall(doc.read_text())
            if name in defaults]


def test_the_docs_quote_root_variables_with_their_defaults():
    found = mentions()
    assert len({name for _, name, _ in found}) >= 8  # the cost and cloud pages quote many
    defaults = root_defaults()
    wrong = [(doc, name, value, defaults[name]) for doc, name, value in found if value != defaults[name]]
    assert wrong == []


def test_the_cost_page_uses_the_current_benchmark():
    assert cost_page.main(["--check"]) == 0


def test_the_cost_figures_follow_the_measured_seconds():
    results = "## Per page\n\n| real.png | eulereye --jobs 1 | 36.0 | 1 |\n| gen.png | eulereye --jobs 1 | 1.0 | 1 |\n"
    speed = cost_page.measured_speed(results, generated={"gen"})
    assert speed.seconds_per_page == 36.0 and speed.pages == ["real.png"]
    # 1,000 pages x 36 s = 10 vCPU-hours on demand, plus the PUTs of their outputs.
    expected = 10 * (cost_page.FARGATE_VCPU_HOUR + 2 * cost_page.FARGATE_GB_HOUR) + 7 * cost_page.S3_PUT_PER_1000
    assert cost_page.tesseract_per_1000(speed, spot=False) == pytest.approx(expected)
    assert "| 1,000 | 10 | 5 |" in cost_page.figures(speed)  # 100 pages per vCPU-hour


def test_the_documented_failure_query_is_the_dashboards():
    terraform = (REPO / "modules" / "monitoring" / "operations.tf").read_text()
    parts = re.findall(r'^\s+"(.*)",$', terraform.split("failure_classes_query = join", 1)[1].split(")", 1)[0], re.M)
    documented = (REPO / "docs" / "operations.md").read_text()
    query = "\n| ".join(part.replace('\\"', '"') for part in parts)
    assert query in documented
