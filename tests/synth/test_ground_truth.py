"""Ground-truth files: JSON and PAGE-XML describe the same page, and the image reads back."""

from __future__ import annotations

import json

import numpy as np
from lxml import etree
from PIL import Image

from eulereye.synth import generate_page, write_ground_truth

NS = {"pc": "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"}


def test_ground_truth_files_agree_with_the_page(tmp_path):
    page = generate_page(9, width=900, height=1300, degrade=0.5, binarise=False)
    image_path, json_path, xml_path = write_ground_truth(page, tmp_path / "gt", "1895/p.009",
                                                         image_suffix=".tif", image_directory=tmp_path / "pages")
    assert image_path == tmp_path / "pages" / "1895" / "p.009.tif"
    assert np.array_equal(np.asarray(Image.open(image_path)), page.image)

    truth = json.loads(json_path.read_text(encoding="utf-8"))
    assert truth["text"] == page.text and truth["skew"] == page.skew and truth["seed"] == 9
    assert [s["kind"] for s in truth["sections"]] == [s.kind for s in page.sections]
    assert len(truth["rules"]) == len(page.rules)

    xml = etree.parse(str(xml_path))
    xml_page = xml.find("pc:Page", NS)
    assert xml_page.get("imageFilename") == "p.009.tif"
    assert (int(xml_page.get("imageWidth")), int(xml_page.get("imageHeight"))) == (900, 1300)
    regions = xml_page.xpath("pc:TextRegion | pc:GraphicRegion", namespaces=NS)
    assert len(regions) == len(page.sections)
    assert len(xml_page.findall("pc:SeparatorRegion", NS)) == len(page.rules)
    order = [ref.get("regionRef") for ref in xml.iterfind(".//pc:ReadingOrder/pc:OrderedGroup/pc:RegionRefIndexed", NS)]
    by_id = {region.get("id"): region for region in regions}
    assert sorted(order) == sorted(by_id)
    texts = [by_id[ref].findtext("pc:TextEquiv/pc:Unicode", default="", namespaces=NS) for ref in order]
    assert "\n\n".join(t for t in texts if t) == page.text
    kinds = {by_id[ref].get("type") for ref in order if by_id[ref].tag.endswith("TextRegion")}
    assert {"heading", "paragraph"} <= kinds


def test_bilevel_page_writes_a_bilevel_tiff(tmp_path):
    page = generate_page(2, width=600, height=900, binarise=True)
    image_path, _, _ = write_ground_truth(page, tmp_path, "bw", image_suffix=".tiff")
    with Image.open(image_path) as image:
        assert image.mode == "1" and image.info.get("compression") == "group4"
        assert np.array_equal(np.asarray(image.convert("L")), page.image)
