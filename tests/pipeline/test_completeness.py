"""Completeness per input: a multi-page file is done only when every frame is, and a retry of
an interrupted one writes exactly the missing frames. Keys that cannot name outputs are
refused with an errors/ record; XML-invalid characters never reach ALTO."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from eulereye.errors import TransientError
from eulereye.model import Line, Word
from eulereye.outputs.store import LocalStore
from eulereye.pipeline import Options, Pipeline
from tests.conftest import text_page

LINES = ["The Highland Recorder reports a fine harvest"]


def three_frame_tiff() -> bytes:
    frames = [Image.fromarray(text_page([f"{line} page {i}" for line in LINES], size=(900, 200)))
              for i in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


class FailingStore(LocalStore):
    """Answers one PUT with an S3 503, as the worker's store would raise it."""

    def __init__(self, root, fail_on: str):
        super().__init__(root)
        self.fail_on = fail_on
        self.puts: list[str] = []

    def put(self, relpath, data, content_type="application/octet-stream"):
        if relpath == self.fail_on:
            self.fail_on = ""
            raise TransientError(f"put {relpath}: 503 SlowDown (injected)")
        self.puts.append(relpath)
        super().put(relpath, data, content_type)


def pipeline(store) -> Pipeline:
    return Pipeline(Options(segmenter="classical"), store)


def test_interrupted_multi_page_file_is_not_done_and_the_retry_writes_only_the_missing_frames(tmp_path):
    data = three_frame_tiff()
    store = FailingStore(tmp_path, fail_on="alto/scan_f0002.xml")
    with pipeline(store) as run:
        with pytest.raises(TransientError):
            run.process_file(data, "scan.tif")
        assert (tmp_path / "manifest/scan_f0001.json").is_file()
        assert not run.is_done("scan", json.loads((tmp_path / "manifest/scan_f0001.json").read_text())
                               ["input"]["etag"])
        store.puts.clear()
        outcome = run.process_file(data, "scan.tif")
    assert (outcome.status, outcome.pages, outcome.frames_kept) == ("ok", 2, 1)
    manifests = [p for p in store.puts if p.startswith("manifest/")]
    assert manifests == ["manifest/scan_f0002.json", "manifest/scan_f0003.json"]
    with pipeline(store) as again:
        assert again.process_file(data, "scan.tif").status == "skipped"


def test_a_missing_later_frame_makes_the_file_not_done(tmp_path):
    data = three_frame_tiff()
    with pipeline(LocalStore(tmp_path)) as run:
        assert run.process_file(data, "scan.tif").pages == 3
        etag = json.loads((tmp_path / "manifest/scan_f0001.json").read_text())["input"]["etag"]
        assert run.is_done("scan", etag)
        (tmp_path / "manifest/scan_f0003.json").unlink()
        assert not run.is_done("scan", etag)


@pytest.mark.parametrize("relpath", ["a/../b.png", "/abs.png", "bell\x07.png", "a//b.png"])
def test_keys_that_cannot_name_outputs_are_refused_with_an_errors_record(tmp_path, relpath):
    with pipeline(LocalStore(tmp_path)) as run:
        outcome = run.process_file(b"\x89PNG whatever", relpath)
    assert outcome.status == "failed" and "BadKeyError" in outcome.error
    (record,) = (tmp_path / "errors").rglob("*.json")
    assert ".." not in record.relative_to(tmp_path).parts and "\x07" not in str(record)
    assert json.loads(record.read_text())["error"] == "BadKeyError"
    assert not (tmp_path / "manifest").exists()


def test_control_characters_in_ocr_text_never_reach_alto(tmp_path, alto_schema):
    from eulereye.model import Region

    class Speckled:  # an engine whose reading holds a control character, as OCR output can
        name = "tesseract"

        def read_regions(self, gray, regions, page_name):
            return [[Line([Word("fine\x01", 90.0, (10, 10, 60, 30)), Word("\x0b", 50.0, (70, 10, 80, 30))])]
                    for _ in regions]

        def version(self):
            return "test"

    page = io.BytesIO()
    Image.fromarray(text_page(LINES, size=(900, 200))).save(page, format="PNG")
    with pipeline(LocalStore(tmp_path)) as run:
        run.engine = Speckled()
        run.segmenter.segment = lambda gray: [Region((0, 0, gray.shape[1], gray.shape[0]), "text")]
        assert run.process_file(page.getvalue(), "p.png").status == "ok"
    alto_schema.validate(str(tmp_path / "alto/p.xml"))
    words = [e.get("CONTENT") for e in ET.parse(tmp_path / "alto/p.xml").getroot().findall(".//{*}String")]
    assert words == ["fine"]
