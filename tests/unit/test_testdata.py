"""The test-data fetch (tools/testdata.py) end to end against an HTTP server on 127.0.0.1: a
mirror of shared/data, and the public-source path with its extractions (page image out of a
PDF, article zones out of a METS); wrong bytes are refused, an unreachable origin stops at once."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from tools import testdata
from tools.testdata import Entry, FetchError, fill_cache
from tools.testdata_extract import EXTRACTORS, mets_articles, pdf_image

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def http_root(tmp_path):
    """A folder served over HTTP on 127.0.0.1; yields (folder, base URL, paths requested)."""
    root = tmp_path / "served"
    root.mkdir()
    requested = []

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            requested.append(self.path)

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}", requested
    server.shutdown()
    server.server_close()


def put(root: Path, relative: str, data: bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def entry(relative: str, data: bytes, **source) -> Entry:
    return Entry(relative, hashlib.sha256(data).hexdigest(), {"repo": "owner/repo", "commit": COMMIT, **source})


def jpeg(size=(40, 30), shade=90) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, shade).save(out, "JPEG")
    return out.getvalue()


def pdf_with_images(*images: bytes, length_objects: bool = True) -> bytes:
    """A page PDF as NDNP writes them: JPEG image XObjects (length given indirectly, as in
    real files) beside a content stream. Without ``length_objects`` the lengths point at
    objects the file does not hold in plain text (as when they sit in a compressed object stream)."""
    content = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
    parts = [b"%PDF-1.4\n", b"1 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(content), content)]
    for number, image in enumerate(images):
        obj, length_obj = 10 + 2 * number, 11 + 2 * number
        parts.append(b"%d 0 obj\n<< /Type /XObject /Subtype /Image /Width 40 /Height 30 /ColorSpace "
                     b"/DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d 0 R >>\nstream\n"
                     % (obj, length_obj) + image + b"\nendstream\nendobj\n")
        if length_objects:
            parts.append(b"%d 0 obj\n%d\nendobj\n" % (length_obj, len(image)))
    return b"".join(parts) + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


METS = """<?xml version="1.0" encoding="UTF-8"?>
<mets xmlns="http://www.loc.gov/METS/" xmlns:mods="http://www.loc.gov/mods/v3">
 <dmdSec ID="artModsBib_1_1"><mdWrap><xmlData><mods:mods>
  <mods:classification>masthead</mods:classification></mods:mods></xmlData></mdWrap></dmdSec>
 <dmdSec ID="artModsBib_1_2"><mdWrap><xmlData><mods:mods><mods:titleInfo>
  <mods:title>It is Now &quot;Utah&quot;</mods:title><mods:subTitle>not kept</mods:subTitle>
  </mods:titleInfo></mods:mods></xmlData></mdWrap></dmdSec>
 <dmdSec ID="artModsBib_2_1"><mdWrap><xmlData><mods:mods><mods:titleInfo>
  <mods:title>On page two</mods:title></mods:titleInfo></mods:mods></xmlData></mdWrap></dmdSec>
 <structMap TYPE="PHYSICAL"><div TYPE="np:issue"><div TYPE="np:page" DMDID="pageModsBib1"/></div></structMap>
 <structMap TYPE="LOGICAL"><div TYPE="Issue">
  <div TYPE="Page" DMDID="pageModsBib1"><fptr FILEID="masterFile1"/>
   <div TYPE="Article" DMDID="artModsBib_1_1">
    <fptr><area BETYPE="IDREF" FILEID="ocrFile1" BEGIN="TB.1" END="TB.1"/></fptr>
    <fptr><area FILEID="serviceFile1" SHAPE="RECT" COORDS="0,0,3849,823"/></fptr></div>
   <div TYPE="Article" DMDID="artModsBib_1_2">
    <fptr><area FILEID="serviceFile1" SHAPE="RECT" COORDS="0,823,776,4123"/></fptr>
    <fptr><area FILEID="serviceFile1" SHAPE="RECT" COORDS="775,823,1386,2777"/></fptr></div></div>
  <div TYPE="Page" DMDID="pageModsBib2">
   <div TYPE="Article" DMDID="artModsBib_2_1">
    <fptr><area FILEID="serviceFile2" SHAPE="RECT" COORDS="1,2,3,4"/></fptr></div></div>
 </div></structMap>
</mets>
"""
HEADER = {"source": "vendor zones, page 1 only", "image": "page.jp2"}
ARTICLES_JSON = json.dumps({**HEADER, "articles": [
    {"article": 1, "title": None, "zones": [[0, 0, 3849, 823]]},
    {"article": 2, "title": 'It is Now "Utah"', "zones": [[0, 823, 776, 4123], [775, 823, 1386, 2777]]},
]}, indent=1).encode()


def test_mirror_fetch_stores_verified_files_and_refuses_a_wrong_hash(http_root, tmp_path):
    root, url, _ = http_root
    good, tampered = jpeg(), b'{"Blocks": []}'
    put(root, "news-scans/page.jpg", good)
    put(root, "textract/response.json", tampered)
    entries = {"news-scans/page.jpg": entry("news-scans/page.jpg", good),
               "textract/response.json": entry("textract/response.json", b'{"Blocks": [1]}')}
    cache = tmp_path / "cache"
    with pytest.raises(FetchError) as refused:
        fill_cache(entries, cache, mirror=url + "/")
    assert (cache / "news-scans/page.jpg").read_bytes() == good
    assert not (cache / "textract/response.json").exists()
    message = str(refused.value)
    assert message.startswith(f"textract/response.json from {url}/textract/response.json refused: SHA-256 "
                              f"{hashlib.sha256(tampered).hexdigest()}")
    assert entries["textract/response.json"].sha256 in message and "\n" not in message


def test_cached_files_are_not_fetched_again_and_damaged_ones_are(http_root, tmp_path):
    root, url, requested = http_root
    data = jpeg()
    put(root, "loc/page.jpg", data)
    entries = {"loc/page.jpg": entry("loc/page.jpg", data)}
    cache = tmp_path / "cache"
    assert fill_cache(entries, cache, mirror=url) == ["loc/page.jpg"]
    assert fill_cache(entries, cache, mirror=url) == []
    (cache / "loc/page.jpg").write_bytes(data[:100])
    assert fill_cache(entries, cache, mirror=url) == ["loc/page.jpg"]
    assert (cache / "loc/page.jpg").read_bytes() == data
    assert requested == ["/loc/page.jpg", "/loc/page.jpg"]


def test_public_sources_are_fetched_at_their_commit_and_extracted(http_root, tmp_path):
    root, url, requested = http_root
    page, thumbnail = jpeg((40, 30)), jpeg((8, 6), shade=200)
    put(root, f"owner/repo/{COMMIT}/batch/0007.pdf", pdf_with_images(thumbnail, page))
    put(root, f"owner/repo/{COMMIT}/batch/articles.xml", METS.encode())
    put(root, f"owner/repo/{COMMIT}/batch/0007.xml", b"<alto/>")
    entries = {
        "news-scans/p.jpg": entry("news-scans/p.jpg", page, path="batch/0007.pdf", extract="pdf-image"),
        "news-scans/p.json": entry("news-scans/p.json", ARTICLES_JSON, path="batch/articles.xml",
                                   extract="mets-articles", page=1, header=HEADER),
        "news-scans/p.xml": entry("news-scans/p.xml", b"<alto/>", path="batch/0007.xml"),
    }
    cache = tmp_path / "cache"
    assert sorted(fill_cache(entries, cache, raw_base=url)) == sorted(entries)
    assert (cache / "news-scans/p.jpg").read_bytes() == page
    assert (cache / "news-scans/p.json").read_bytes() == ARTICLES_JSON
    assert f"/owner/repo/{COMMIT}/batch/0007.pdf" in requested


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("origin", ["public sources", "mirror"])
def test_unreachable_origin_stops_at_once_with_one_line(origin, tmp_path):
    entries = {name: entry(name, name.encode(), path=name) for name in
               ["loc/a.jpg", "news-scans/b.jpg", "textract/c.json", "book-text/d.tif"]}
    dead = f"http://127.0.0.1:{free_port()}"
    kwargs = {"mirror": dead} if origin == "mirror" else {"raw_base": dead}
    with pytest.raises(FetchError) as stopped:
        fill_cache(entries, tmp_path / "cache", **kwargs)
    line = str(stopped.value)
    assert "\n" not in line
    assert line.startswith("test data missing: 4 file(s) (loc/a.jpg, news-scans/b.jpg, textract/c.json and 1 more)")
    assert "could not be reached" in line and "EULEREYE_TESTDATA_MIRROR=<base URL" in line
    assert "make testdata" in line
    if origin == "public sources":
        assert "EULEREYE_TESTDATA_MIRROR unset" in line
    assert not (tmp_path / "cache").exists()


def test_pdf_image_from_a_real_pdf_writer_decodes_to_the_page():
    out = io.BytesIO()
    Image.new("L", (120, 90), 70).save(out, "PDF", resolution=150)
    image = Image.open(io.BytesIO(pdf_image(out.getvalue(), {"path": "p.pdf"})))
    assert (image.format, image.size) == ("JPEG", (120, 90))


def test_pdf_image_without_a_readable_length_ends_at_endstream():
    page = jpeg()
    assert pdf_image(pdf_with_images(jpeg((8, 6)), page, length_objects=False), {"path": "p.pdf"}) == page


def test_pdf_without_an_image_stream_is_refused_by_name():
    with pytest.raises(ValueError, match="p.pdf: no JPEG or JPEG 2000 image stream"):
        pdf_image(b"%PDF-1.4\n1 0 obj\n<< /Length 3 >>\nstream\nabc\nendstream\nendobj\n", {"path": "p.pdf"})


def test_mets_articles_reads_one_page_in_the_vendors_order():
    assert mets_articles(METS.encode(), {"page": 1, "header": HEADER}) == ARTICLES_JSON


def test_manifest_lists_every_file_with_a_hash_and_a_pinned_public_source():
    entries = testdata.load_manifest()
    assert {"loc/highland-recorder-1895-12-13-p1.jpg",
            "news-scans/beaver-county-news_1916-05-12_seq-1.loc-articles.json"} <= set(entries)
    for item in entries.values():
        assert re.fullmatch(r"[0-9a-f]{64}", item.sha256), item.path
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", item.source["repo"]), item.path
        assert re.fullmatch(r"[0-9a-f]{40}", item.source["commit"]), item.path
        assert item.source.get("extract") in {None, *EXTRACTORS}, item.path


SHARED_FOLDER = re.compile(r"""shared_dir|\.\./shared|["']shared["']""")


def test_tests_and_benchmarks_read_real_files_only_through_the_testdata_cache():
    """A fresh clone has no ../shared: a test or benchmark that reads it fails there."""
    repo = Path(testdata.__file__).resolve().parents[1]
    readers = [path for folder in ("tests", "bench", "e2e") for path in (repo / folder).rglob("*.py")
               if SHARED_FOLDER.search(path.read_text()) and path.name != "test_testdata.py"]
    assert not readers, f"use tools.testdata.data_path instead of ../shared in {readers}"


def test_data_path_names_a_file_missing_from_the_manifest():
    assert testdata.data_path("loc/highland-recorder-1895-12-13-p1.jpg").parts[-3:] == (
        ".testdata", "loc", "highland-recorder-1895-12-13-p1.jpg")
    with pytest.raises(KeyError, match="loc/other.jpg is not listed in testdata.json"):
        testdata.data_path("loc/other.jpg")
