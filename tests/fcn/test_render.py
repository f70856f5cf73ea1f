"""`eulereye render`: an overlay PNG of a page's sections."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from eulereye.cli import main
from eulereye.render import KIND_COLOURS, render_overlay
from tests.unit.test_cli_help import exit_status


def test_overlay_outlines_sections_in_their_kind_colour():
    gray = np.full((400, 300), 255, np.uint8)
    overlay = render_overlay(gray, [((20, 20, 280, 80), "headline"), ((20, 100, 140, 380), "text")],
                             words=[(30, 120, 60, 130)])
    pixels = np.asarray(overlay)
    assert overlay.size == (300, 400)
    assert tuple(pixels[200, 20]) == KIND_COLOURS["text"]  # left edge of the text section
    assert tuple(pixels[50, 279]) == KIND_COLOURS["headline"]


def test_render_command_writes_a_png_from_process_output(tmp_path, capsys):
    page = tmp_path / "p.png"
    Image.fromarray(np.full((500, 400), 230, np.uint8)).save(page)
    sections = tmp_path / "p.json"
    sections.write_text(json.dumps([
        {"id": 2, "order": 1, "kind": "text", "bbox": [10, 100, 390, 490], "text": "", "lines": []},
        {"id": 1, "order": 0, "kind": "masthead", "bbox": [10, 10, 390, 90], "text": "", "lines": []},
    ]))
    words = tmp_path / "w.json"
    words.write_text(json.dumps([{"word": "a", "segment": 1, "read_order_segment_id": 0,
                                  "confidence": 90, "x_min": 20, "y_min": 20, "x_max": 60, "y_max": 40}]))
    out = tmp_path / "overlay" / "p.png"
    assert main(["render", str(page), "--out", str(out), "--sections", str(sections),
                 "--words", str(words)]) == 0
    assert "2 sections, 1 words" in capsys.readouterr().out
    assert Image.open(out).size == (400, 500)


def test_render_segments_the_page_itself_without_sections(tmp_path):
    page = tmp_path / "p.png"
    Image.fromarray(np.full((300, 200), 255, np.uint8)).save(page)
    out = tmp_path / "o.png"
    assert main(["render", str(page), "--out", str(out), "--segmenter", "classical"]) == 0
    assert out.exists()


def write_output_tree(out, name: str, size: tuple[int, int], bbox=(10, 10, 100, 60)):
    """sections/<name>.json and manifest/<name>.json as `eulereye process` writes them."""
    (out / "sections" / name).parent.mkdir(parents=True, exist_ok=True)
    (out / "manifest" / name).parent.mkdir(parents=True, exist_ok=True)
    (out / "sections" / f"{name}.json").write_text(json.dumps(
        [{"id": 1, "order": 0, "kind": "text", "bbox": list(bbox), "text": "", "lines": []}]))
    (out / "manifest" / f"{name}.json").write_text(json.dumps(
        {"name": name, "image": {"width": size[0], "height": size[1]}}))
    return out / "sections" / f"{name}.json"


@pytest.fixture()
def three_page_tiff(tmp_path):
    """scan.tif: three frames of different sizes and shades, with process-style outputs."""
    sizes = [(300, 400), (320, 420), (340, 440)]
    frames = [Image.new("L", size, 100 + 50 * i) for i, size in enumerate(sizes)]
    image = tmp_path / "scans" / "scan.tif"
    image.parent.mkdir()
    frames[0].save(image, save_all=True, append_images=frames[1:])
    for i, size in enumerate(sizes):
        write_output_tree(tmp_path / "out", f"scan_f000{i + 1}", size)
    return image, tmp_path / "out"


def test_render_frame_draws_that_frame(three_page_tiff, tmp_path):
    image, out = three_page_tiff
    overlay = tmp_path / "o.png"
    assert main(["render", str(image), "--frame", "2", "--out", str(overlay),
                 "--sections", str(out / "sections/scan_f0002.json")]) == 0
    assert Image.open(overlay).size == (320, 420)


@pytest.mark.parametrize("argv_tail, message", [
    (["--sections", "out/sections/scan_f0002.json"], "is for page 'scan_f0002', not for"),
    (["--sections", "out/sections/scan_f0002.json"], "add --frame 2"),
    (["--frame", "4"], "has 3 page(s); --frame 4 is not one of them"),
    (["--frame", "3", "--sections", "out/sections/other.json"], "pass the file made from this image"),
    (["--frame", "3", "--sections", "out/sections/scan_f0003.json", "--words", "loose.json"],
     "beyond"),
])
def test_render_refuses_sections_of_another_page_or_frame(three_page_tiff, tmp_path, capsys, argv_tail, message):
    image, out = three_page_tiff
    write_output_tree(out, "other", (300, 400))
    (tmp_path / "loose.json").write_text(json.dumps([{"word": "a", "x_min": 5, "y_min": 5,
                                                      "x_max": 900, "y_max": 30}]))
    argv_tail = [str(tmp_path / a) if a.endswith(".json") else a for a in argv_tail]
    assert exit_status(["render", str(image), "--out", str(tmp_path / "o.png"), *argv_tail]) == 2
    err = capsys.readouterr().err
    assert err.startswith("eulereye render: error: ") and message in err, err
    assert not (tmp_path / "o.png").exists()


def test_render_refuses_sections_made_from_an_image_of_another_size(tmp_path, capsys):
    page = tmp_path / "p.png"
    Image.new("L", (400, 500), 255).save(page)
    sections = write_output_tree(tmp_path / "out", "p", (800, 1000))
    assert exit_status(["render", str(page), "--out", str(tmp_path / "o.png"), "--sections", str(sections)]) == 2
    assert "was made from a 800x1000 image, but" in capsys.readouterr().err
