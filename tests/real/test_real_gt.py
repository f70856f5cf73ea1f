"""The hand-made ground truth of the real dev pages (bench/real-gt): valid PAGE-XML that fits
its page, a complete reading order, articles named, text regions that do not overlap, and each
file exactly what its region list builds."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest

from tools import testdata
from tools.testdata import data_path

REPO = Path(__file__).resolve().parents[2]
GT_DIR = REPO / "bench" / "real-gt"
NS = {"pc": "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"}
GT_FILES = sorted(GT_DIR.glob("*.xml"))
DEV_PAGES = {  # issue 10's real dev pages, below shared/data (tools/testdata.json)
    "loc/highland-recorder-1895-12-13-p1.jpg",
    "news-scans/evening-star_1862-08-25_seq-1.jpg",
    "news-scans/evening-star_1918-09-01_seq-1.jpg",
    "news-scans/omaha-daily-bee_1887-03-03_seq-1.jpg",
    "news-scans/beaver-county-news_1916-05-12_seq-1.jp2",
}
VENDOR_ZONED = "beaver-county-news_1916-05-12_seq-1"
MIN_IN_VENDOR_ZONES = 0.9  # share of a region's box inside its vendor article's zones
MAX_OVERLAP = 0.02  # share of the smaller text region's area another text region may cover


def _load_builder():
    spec = importlib.util.spec_from_file_location("real_gt_build", GT_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def _page(path: Path) -> ET.Element:
    return ET.parse(path).getroot().find("pc:Page", NS)


def _regions(page: ET.Element) -> list[ET.Element]:
    return [element for element in page if element.find("pc:Coords", NS) is not None]


def _box(region: ET.Element) -> tuple[int, int, int, int]:
    points = [tuple(map(int, p.split(","))) for p in region.find("pc:Coords", NS).get("points").split()]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def _area(box) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def test_every_dev_page_has_ground_truth():
    for relative in DEV_PAGES:
        assert data_path(relative).is_file(), relative
    assert {path.stem for path in GT_FILES} == {Path(relative).stem for relative in DEV_PAGES}


@pytest.mark.parametrize("path", GT_FILES, ids=lambda p: p.stem)
def test_valid_page_xml(path, page_schema):
    page_schema.validate(str(path))


@pytest.mark.parametrize("path", GT_FILES, ids=lambda p: p.stem)
def test_reading_order_is_complete(path):
    page = _page(path)
    refs = page.findall("pc:ReadingOrder/pc:OrderedGroup/pc:RegionRefIndexed", NS)
    indices = [int(ref.get("index")) for ref in refs]
    assert sorted(indices) == list(range(len(refs))), "indices must be 0..n-1, each once"
    ordered = [ref.get("regionRef") for ref in refs]
    ids = {region.get("id") for region in _regions(page)}
    assert set(ordered) <= ids, f"reading order names missing regions: {set(ordered) - ids}"
    readable = {r.get("id") for r in _regions(page) if not r.tag.endswith("SeparatorRegion")}
    assert readable == set(ordered), f"regions outside the reading order: {readable - set(ordered)}"


@pytest.mark.parametrize("path", GT_FILES, ids=lambda p: p.stem)
def test_every_read_region_names_its_article(path):
    for region in _regions(_page(path)):
        if not region.tag.endswith("SeparatorRegion"):
            assert re.search(r"article \{id:[^;}]+;\}", region.get("custom", "")), region.get("id")


def _article(region: ET.Element) -> str:
    return re.search(r"article \{id:([^;}]+);\}", region.get("custom", "")).group(1)


def _read_in_order(page: ET.Element) -> list[ET.Element]:
    by_id = {region.get("id"): region for region in _regions(page)}
    refs = sorted(page.findall("pc:ReadingOrder/pc:OrderedGroup/pc:RegionRefIndexed", NS),
                  key=lambda ref: int(ref.get("index")))
    return [by_id[ref.get("regionRef")] for ref in refs]


@pytest.mark.parametrize("path", GT_FILES, ids=lambda p: p.stem)
def test_each_article_is_read_in_one_go_headline_first(path):
    order = _read_in_order(_page(path))
    articles = [_article(region) for region in order]
    runs = [article for index, article in enumerate(articles) if index == 0 or articles[index - 1] != article]
    assert len(runs) == len(set(runs)), f"articles interrupted: {runs}"
    for article in set(articles):
        kinds = [region.get("type") for region in order if _article(region) == article]
        if "heading" in kinds:
            assert kinds.index("heading") == 0, (article, kinds)


def test_vendor_zoned_page_uses_the_vendors_articles():
    """On the Beaver County News page every region's article id is the vendor's article number
    and the region lies in that article's zones (the zones are loose, so nearly all of it)."""
    listing = json.loads(data_path(f"news-scans/{VENDOR_ZONED}.loc-articles.json").read_text())
    zones = {f"a{article['article']}": article["zones"] for article in listing["articles"]}
    for region in _read_in_order(_page(GT_DIR / f"{VENDOR_ZONED}.xml")):
        box = _box(region)
        inside = sum(_area((max(box[0], z[0]), max(box[1], z[1]), min(box[2], z[2]), min(box[3], z[3])))
                     for z in zones[_article(region)])
        assert inside >= MIN_IN_VENDOR_ZONES * _area(box), (region.get("id"), _article(region))


@pytest.mark.parametrize("path", GT_FILES, ids=lambda p: p.stem)
def test_regions_inside_image(path):
    page = _page(path)
    width, height = int(page.get("imageWidth")), int(page.get("imageHeight"))
    for region in _regions(page):
        x0, y0, x1, y1 = _box(region)
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, (region.get("id"), (x0, y0, x1, y1))


@pytest.mark.parametrize("path", GT_FILES, ids=lambda p: p.stem)
def test_text_regions_do_not_overlap(path):
    boxes = {r.get("id"): _box(r) for r in _regions(_page(path)) if r.tag.endswith("TextRegion")}
    for (a, box_a), (b, box_b) in combinations(boxes.items(), 2):
        common = (max(box_a[0], box_b[0]), max(box_a[1], box_b[1]), min(box_a[2], box_b[2]), min(box_a[3], box_b[3]))
        if common[0] < common[2] and common[1] < common[3]:
            share = _area(common) / min(_area(box_a), _area(box_b))
            assert share <= MAX_OVERLAP, f"{a} and {b} overlap by {share:.1%}"


@pytest.mark.parametrize("path", GT_FILES, ids=lambda p: p.stem)
def test_file_is_what_its_region_list_builds(path, monkeypatch):
    """The XML is generated: edit ``<stem>.regions.txt`` and rebuild, never the XML alone.
    Also checks imageWidth/imageHeight against the image itself."""
    monkeypatch.setenv("GT_SHARED_DATA", str(testdata.CACHE))
    builder = _load_builder()
    image_name, width, height, regions = builder.regions_for(path.with_name(path.stem + ".regions.txt"))
    page = _page(path)
    assert (page.get("imageFilename"), int(page.get("imageWidth")), int(page.get("imageHeight"))) == (
        image_name, width, height)
    assert builder.page_xml(image_name, width, height, regions) == path.read_bytes()
