"""Textract parser on every saved real response, and the engine's limits, tiling, retries and
replay (AWS answered by botocore's Stubber with those real responses)."""

from __future__ import annotations

import io
import json

import boto3
import numpy as np
import pytest
from botocore.stub import Stubber
from PIL import Image
from rapidfuzz import fuzz

from eulereye.errors import BadImageError, TransientError
from eulereye.model import Region
from eulereye.ocr import textract
from eulereye.ocr.textract import TextractEngine, plan_calls
from eulereye.ocr.textract_parse import page_blocks, words_by_line
from eulereye.outputs.store import LocalStore
from tools.testdata import data_path, data_paths

RESPONSES = data_paths("textract/*.json")
SIZE = (1200, 1600)  # pixels assumed for responses saved without their image


def load(name: str) -> dict:
    return json.loads(data_path(f"textract/{name}").read_text())


def image_size(path) -> tuple[int, int]:
    png = path.with_suffix(".png")
    return Image.open(png).size if png.exists() else SIZE


def parse_page(response: dict, width: int, height: int, folder) -> list:
    """The lines the engine reads from a saved response (``--replay``), the whole page one section."""
    (folder / "raw").mkdir(exist_ok=True)
    (folder / "raw" / "p.textract.json").write_text(json.dumps(response))
    gray = np.full((height, width), 255, np.uint8)
    engine = TextractEngine(replay_dir=str(folder))
    (lines,) = engine.read_regions(gray, [Region((0, 0, width, height), "text")], "p")
    return lines


@pytest.mark.parametrize("path", RESPONSES, ids=lambda p: p.stem)
def test_parser_keeps_every_word_in_pixels(path, tmp_path):
    response = json.loads(path.read_text())
    width, height = image_size(path)
    words = [b for b in response["Blocks"] if b["BlockType"] == "WORD" and b.get("Page", 1) == 1]
    parsed = [w for line in parse_page(response, width, height, tmp_path) for w in line.words]
    assert sorted(w.text for w in parsed) == sorted(b["Text"] for b in words)
    for w in parsed:
        x0, y0, x1, y1 = w.bbox
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height


def test_parser_ignores_unknown_blocks_and_fields(tmp_path):
    response = load("txr_detect_document_text_single_page_1.json")
    response["Blocks"].append({"BlockType": "QUERY_RESULT", "Text": "not a word", "Whatever": 1})
    response["Blocks"][1]["NewField"] = {"nested": True}
    response["Blocks"].append("not even a dict")
    lines = parse_page(response, 1226, 1514, tmp_path)
    assert sum(len(line.words) for line in lines) == 51


def test_multicolumn_reads_left_column_before_right(tmp_path):
    lines = [line.text for line in parse_page(load("trp_multicol_1.json"), 421, 356, tmp_path)]
    assert lines[0] == "Multi-column test document"
    assert lines.index("within one paragraph.") < lines.index("A horizontally separate right")
    assert lines.index("right.") < lines.index("equivalent vertical position but")
    assert lines[-1] == "good start."


def test_rotated_page_reads_like_the_upright_one(tmp_path):
    upright = " ".join(line.text for line in parse_page(load("trp_gib_0deg.json"), 1000, 1300, tmp_path))
    turned = parse_page(load("trp_gib_90deg.json"), 1300, 1000, tmp_path)
    assert fuzz.ratio(upright, " ".join(line.text for line in turned)) > 85
    # on its side the page's first text row is the rightmost column of pixels
    first = turned[0]
    assert first.bbox[0] > 1100


def test_multipage_async_result_splits_pages():
    response = load("txr_start_document_text_detection_multipage.json")
    counts = [sum(len(words) for words in words_by_line(page_blocks(response, page), *SIZE)) for page in (1, 2)]
    assert sum(counts) == 106 and all(counts)


# --- engine ----------------------------------------------------------------------------------

def page_image() -> np.ndarray:
    return np.asarray(Image.open(data_path("textract/txr_detect_document_text_single_page_1.png")).convert("L"))


def stubbed_engine(responses, **kwargs) -> tuple[TextractEngine, Stubber]:
    client = boto3.client("textract")
    stub = Stubber(client)
    for response in responses:
        if isinstance(response, str):
            stub.add_client_error("detect_document_text", service_error_code=response, http_status_code=400)
        else:
            stub.add_response("detect_document_text", {k: v for k, v in response.items() if k != "ResponseMetadata"})
    stub.activate()
    return TextractEngine(client=client, sleep=lambda s: None, **kwargs), stub


def test_one_call_per_page_and_words_assigned_by_geometry(tmp_path):
    gray = page_image()
    h, w = gray.shape
    regions = [Region((0, 0, w, h // 2), "text"), Region((0, h // 2, w, h), "text")]
    engine, stub = stubbed_engine([load("txr_detect_document_text_single_page_1.json")],
                                  raw_store=LocalStore(tmp_path))
    lines = engine.read_regions(gray, regions, "1890/p.001")
    stub.assert_no_pending_responses()  # exactly one call
    top, bottom = ([w.text for line in r for w in line.words] for r in lines)
    assert top[:3] == ["Textractor", "Test", "Document"]
    assert "Cell" in bottom and "Cell" not in top
    assert len(top) + len(bottom) == 51
    saved = json.loads((tmp_path / "raw/1890/p.001.textract.json").read_text())
    assert len(saved["calls"]) == 1 and saved["calls"][0]["response"]["Blocks"]
    assert "unknown" not in engine.version()

    replayed = TextractEngine(replay_dir=str(tmp_path)).read_regions(gray, regions, "1890/p.001")
    assert [[l.text for l in r] for r in replayed] == [[l.text for l in r] for r in lines]


def test_words_outside_every_region_are_not_dropped():
    gray = page_image()
    engine, _ = stubbed_engine([load("txr_detect_document_text_single_page_1.json")])
    lines = engine.read_regions(gray, [Region((0, 0, 300, 300), "text")], "p")
    assert sum(len(l.words) for l in lines[0]) == 51


def test_per_section_mode_calls_once_per_region():
    gray = page_image()
    regions = [Region((0, 0, 600, 700), "text"), Region((0, 700, 1226, 1514), "text")]
    response = load("txr_detect_document_text_single_page_1.json")
    engine, stub = stubbed_engine([response, response], per_section=True)
    lines = engine.read_regions(gray, regions, "p")
    stub.assert_no_pending_responses()
    for region, region_lines in zip(regions, lines):
        for line in region_lines:
            x0, y0, x1, y1 = line.bbox
            assert region.bbox[0] <= x0 and x1 <= region.bbox[2] + 1 and region.bbox[1] <= y0 and y1 <= region.bbox[3] + 1


def test_replay_of_a_plain_saved_response(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "p.textract.json").write_text(json.dumps(load("trp_multicol_1.json")))
    gray = np.full((356, 421), 255, np.uint8)
    lines = TextractEngine(replay_dir=str(tmp_path)).read_regions(gray, [Region((0, 0, 421, 356), "text")], "p")
    assert lines[0][0].text == "Multi-column test document" and len(lines[0]) == 22
    with pytest.raises(textract.ReplayMissingError):
        TextractEngine(replay_dir=str(tmp_path)).read_regions(gray, [], "missing")


def test_throttling_is_retried_then_transient():
    gray = page_image()
    response = load("txr_detect_document_text_single_page_1.json")
    engine, stub = stubbed_engine(["ProvisionedThroughputExceededException", "ThrottlingException", response])
    lines = engine.read_regions(gray, [Region((0, 0, 1226, 1514), "text")], "p")
    stub.assert_no_pending_responses()
    assert sum(len(l.words) for l in lines[0]) == 51
    engine, _ = stubbed_engine(["ThrottlingException"] * textract.MAX_ATTEMPTS)
    with pytest.raises(TransientError):
        engine.read_regions(gray, [], "p")
    engine, _ = stubbed_engine(["UnsupportedDocumentException"])
    with pytest.raises(BadImageError):
        engine.read_regions(gray, [], "p")


def noise_page(width: int, height: int, glyph: int) -> np.ndarray:
    """Dark letter-sized blobs on white, in rows: large and incompressible like a real scan."""
    rng = np.random.default_rng(0)
    page = np.full((height, width), 255, np.uint8)
    for y in range(glyph, height - 2 * glyph, 2 * glyph):
        for x in range(glyph, width - glyph, glyph + glyph // 2):
            page[y:y + glyph, x:x + glyph - 2] = rng.integers(0, 120, (glyph, glyph - 2), dtype=np.uint8)
    return page


def test_small_page_is_one_call_at_full_scale():
    ((call, data),) = plan_calls(noise_page(800, 600, 20))
    assert call.scale == 1.0 and call.box == (0, 0, 800, 600)
    assert Image.open(io.BytesIO(data)).size == (800, 600)


def test_oversized_page_with_large_text_is_downscaled_to_one_call():
    ((call, data),) = plan_calls(noise_page(12_000, 400, 40))
    image = Image.open(io.BytesIO(data))
    assert max(image.size) <= textract.MAX_SIDE and len(data) <= textract.MAX_BYTES
    assert 40 * call.scale >= textract.MIN_TEXT_PX


def test_oversized_page_with_small_text_is_tiled_and_every_word_kept_once():
    gray = noise_page(12_000, 300, 16)  # shrinking to 10,000 px would make 16 px text 13 px
    planned = plan_calls(gray)
    assert len(planned) > 1
    for call, data in planned:
        image = Image.open(io.BytesIO(data))
        assert max(image.size) <= textract.MAX_SIDE and len(data) <= textract.MAX_BYTES
        assert call.scale == 1.0
    # Ground-truth words of one line, some straddling the seams; each tile "reads" what it sees.
    truth = [(f"w{i}", (x, 100, x + 120, 120)) for i, x in enumerate(range(10, 11_800, 130))]
    responses = [tile_response(call, truth) for call, _ in planned]
    engine, stub = stubbed_engine(responses)
    lines = engine.read_regions(gray, [Region((0, 0, 12_000, 300), "text")], "p")
    stub.assert_no_pending_responses()
    words = [w for line in lines[0] for w in line.words]
    assert [w.text for w in words] == [t for t, _ in truth]  # each once, in order, one line
    assert len(lines[0]) == 1
    # in page pixels (within the 1 px that normalised coordinates round to)
    assert all(max(abs(a - b) for a, b in zip(w.bbox, box)) <= 1 for w, (_, box) in zip(words, truth))


def tile_response(call, truth) -> dict:
    """A DetectDocumentText answer for one tile: the truth words visible in it (cut at its
    edges), in tile-relative coordinates, all on one LINE."""
    x0, y0, x1, y1 = call.box
    width, height = x1 - x0, y1 - y0
    blocks = []
    for text, (a, b, c, d) in truth:
        a, c = max(a, x0), min(c, x1)
        if c - a < 10:
            continue
        left, top = (a - x0) / width, (b - y0) / height
        right, bottom = (c - x0) / width, (d - y0) / height
        polygon = [{"X": left, "Y": top}, {"X": right, "Y": top}, {"X": right, "Y": bottom}, {"X": left, "Y": bottom}]
        blocks.append({"BlockType": "WORD", "Id": f"{text}@{x0}", "Text": text, "Confidence": 99.0,
                       "Geometry": {"BoundingBox": {"Left": left, "Top": top, "Width": right - left,
                                                    "Height": bottom - top}, "Polygon": polygon}})
    line = {"BlockType": "LINE", "Id": f"line@{x0}", "Text": "", "Confidence": 99.0,
            "Relationships": [{"Type": "CHILD", "Ids": [b["Id"] for b in blocks]}],
            "Geometry": {"BoundingBox": {"Left": 0, "Top": 0, "Width": 1, "Height": 1}}}
    return {"DocumentMetadata": {"Pages": 1}, "Blocks": [line] + blocks,
            "DetectDocumentTextModelVersion": "1.0"}
