"""What the report reads from an output tree: figures per page and the order to look at them."""

from __future__ import annotations

import json

import numpy as np

from eulereye.model import Line, Page, Section, Word
from eulereye.outputs.store import LocalStore
from eulereye.outputs.writers import Source, format_files, to_json
from eulereye.report.pages import OutputReader, read_pages


def write_page(store: LocalStore, name: str, words: list[tuple[str, float]], sections: int = 1) -> None:
    columns = [Section(id=i + 1, order=i, kind="text", bbox=(i * 100, 0, i * 100 + 90, 100),
                       lines=[Line([Word(text, conf, (i * 100, 0, i * 100 + 40, 20)) for text, conf in words])]
                       if i == 0 else [])
               for i in range(sections)]
    page = Page(name=name, width=100 * sections, height=100, sections=columns)
    for fmt in ("txt", "coords", "sections"):
        for relpath, (data, _) in format_files(fmt, page, np.zeros((1, 1), np.uint8), Source(name, "0", "t")).items():
            store.put(relpath, data)
    manifest = {"status": "ok", "name": name, "input": {"key": f"{name}.png"}, "timings": {"ocr": 1.5, "write": 0.5},
                "image": {"width": page.width, "height": 100, "frame": 1, "frames": 1},
                "counts": {"words": len(words)}, "finished": "2026-11-30T00:00:00+00:00"}
    store.put(f"manifest/{name}.json", to_json(manifest))


def test_pages_come_failed_first_then_by_concerns_then_worst_read(tmp_path):
    store = LocalStore(tmp_path)
    good = [("the", 95.0), ("county", 92.0), ("fair", 90.0)]
    write_page(store, "a/good", good)
    write_page(store, "a/doubtful", [("the", 60.0), ("county", 55.0), ("fair", 65.0)])
    write_page(store, "a/garbled", [("tbe", 60.0), ("c0unty", 50.0), ("iair", 40.0)])
    write_page(store, "a/busy", good, sections=12)  # a layout unlike the batch's
    write_page(store, "a/good2", good)
    store.put("errors/a/broken.json", json.dumps({"error": "BadImageError", "message": "truncated PNG",
                                                  "input": {"key": "a/broken.png"}}).encode())
    pages = read_pages(OutputReader.folder(tmp_path))
    assert [p.name for p in pages] == ["a/broken", "a/garbled", "a/doubtful", "a/busy", "a/good", "a/good2"]
    by_name = {p.name: p for p in pages}
    assert by_name["a/broken"].error == "BadImageError: truncated PNG"
    assert by_name["a/garbled"].concerns == ["low confidence (50)", "few dictionary words (0%)"]
    assert by_name["a/busy"].concerns == ["unusual layout (12 sections, median 1)"]
    assert by_name["a/good"].concerns == []
    assert (by_name["a/good"].mean_confidence, by_name["a/good"].dictionary_share) == (92.33333333333333, 1.0)
    assert by_name["a/good"].seconds == 2.0 and by_name["a/good"].words == 3
