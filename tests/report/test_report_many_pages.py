"""A report of thousands of pages opens quickly: 50 rows a screen, thumbnails loaded lazily."""

from __future__ import annotations

import re

from eulereye.cli import main as cli
from eulereye.outputs.store import LocalStore
from tests.report.test_report_browser import chromium
from tests.report.test_report_pages import write_page


def test_a_report_of_1200_pages_shows_one_screen_of_50(tmp_path):
    store = LocalStore(tmp_path)
    for i in range(1200):
        write_page(store, f"1890/p{i:04d}", [("the", 60.0 + i % 40), ("county", 90.0)])
    assert cli(["report", str(tmp_path)]) == 0
    dom = chromium("--dump-dom", (tmp_path / "report" / "index.html").as_uri()).stdout
    rows = re.findall(r'<td class="name"><a href="views/\w+\.html">([^<]+)</a>', dom)
    assert len(rows) == 50 and "screen 1 of 24 (1200 pages)" in dom
    assert rows[0] == "1890/p0000"  # the lowest confidence (60) first
    assert dom.count('loading="lazy"') == 50
    assert len(list((tmp_path / "report" / "views").glob("*.html"))) == 1200
