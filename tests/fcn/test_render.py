"""`eulereye render`: an overlay PNG of a page's sections."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from eulereye.cli import main
from eulereye.render import KIND_COLOURS, render_overlay


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
