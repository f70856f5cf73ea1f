"""The report's files under ``OUT/report/``: static HTML that opens from disk, no server.

``index.html`` lists every page, those that most need a look first, 50 to a screen (the rows
come from ``pages.js``; thumbnails load lazily as they scroll into view), so a run of many
thousands of pages stays quick to open. Each page has a view (``views/<id>.html``): its
image with the sections outlined and numbered in reading order (as ``eulereye render`` draws
them) beside its text, section by section. Images are made once per page version and reused
when the report is written again.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from eulereye.config import DEFAULT_MAX_PIXELS
from eulereye.logs import get_logger
from eulereye.report.pages import PageSummary

log = get_logger()
THUMB_SIDE = 320  # shown at half size: sharp on high-density screens, ~25 kB a page
VIEW_SIDE = 1600  # the page view's image: small print stays legible
ROWS_PER_SCREEN = 50
ASSETS = Path(__file__).resolve().parent / "assets"

ImageLoader = Callable[[str], "bytes | None"]  # input key -> the image's bytes, None when absent


def page_id(page: PageSummary) -> str:
    """A file-name-safe id that changes when the page is processed again."""
    return hashlib.sha1(f"{page.name}\0{page.finished}".encode()).hexdigest()[:16]


def _page_gray(page: PageSummary, load_image: ImageLoader) -> np.ndarray | None:
    """The page's own image, else a white sheet of its size (the sections still show)."""
    from eulereye.errors import PageError
    from eulereye.imaging import load_frames

    data = load_image(page.input_key) if page.input_key else None
    if data:
        try:
            for frame in load_frames(data, page.input_key, max_pixels=DEFAULT_MAX_PIXELS):
                if frame.index == page.frame - 1:
                    return frame.gray
        except PageError as exc:
            log.info("report.image_unreadable", page=page.name, error=str(exc))
    if page.width and page.height:
        return np.full((page.height, page.width), 255, np.uint8)
    return None


def _render_images(page: PageSummary, folder: Path, load_image: ImageLoader) -> bool:
    """Writes thumbs/<id>.jpg and views/<id>.jpg; False when there is nothing to show."""
    from eulereye.render import render_overlay

    ident = page_id(page)
    thumb, view = folder / "thumbs" / f"{ident}.jpg", folder / "views" / f"{ident}.jpg"
    if thumb.exists() and view.exists():
        return True
    gray = _page_gray(page, load_image)
    if gray is None:
        return False
    sections = [(tuple(s["bbox"]), s["kind"]) for s in page.sections]
    overlay = render_overlay(gray, sections, max_side=VIEW_SIDE)
    overlay.save(view, quality=75)
    overlay.thumbnail((THUMB_SIDE, THUMB_SIDE))  # shrunk with its labels, which stay in scale
    overlay.save(thumb, quality=70)
    return True


def _figure(value: float | None, fmt: str) -> str:
    return "–" if value is None else format(value, fmt)


def _row(page: PageSummary, has_image: bool) -> dict:
    ident = page_id(page)
    return {"name": page.name, "status": page.status, "words": page.words,
            "confidence": None if page.mean_confidence is None else round(page.mean_confidence, 1),
            "dictionary": None if page.dictionary_share is None else round(page.dictionary_share, 3),
            "sections": len(page.sections), "seconds": page.seconds, "concerns": page.concerns,
            "error": page.error, "view": f"views/{ident}.html",
            "thumb": f"thumbs/{ident}.jpg" if has_image else None}


def _view_html(page: PageSummary, has_image: bool, previous: str | None, following: str | None) -> str:
    esc = html.escape
    ident = page_id(page)
    texts = "\n".join(
        f'<li value="{s["order"] + 1}"><span class="kind k-{esc(s["kind"])}">{esc(s["kind"])}</span>'
        f'<p>{esc(s.get("text", "")).replace(chr(10), "<br>")}</p></li>'
        for s in page.sections if s.get("text"))
    nav = " ".join(link for link in (
        f'<a href="{previous}">&larr; previous</a>' if previous else "",
        '<a href="../index.html">all pages</a>',
        f'<a href="{following}">next &rarr;</a>' if following else "") if link)
    figures = (f"{page.words} words · confidence {_figure(page.mean_confidence, '.1f')} · "
               f"dictionary words {_figure(page.dictionary_share, '.0%')} · {len(page.sections)} sections · "
               f"{_figure(page.seconds, '.1f')} s")
    image = (f'<img src="{ident}.jpg" alt="{esc(page.name)} with its sections numbered in reading order">'
             if has_image else '<p class="noimage">no image</p>')
    concerns = "".join(f'<span class="concern">{esc(c)}</span>' for c in page.concerns)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(page.name)} · eulereye report</title>
<link rel="stylesheet" href="../report.css"></head>
<body class="view"><header><nav>{nav}</nav><h1>{esc(page.name)}</h1>
<p class="status-{page.status}">{page.status} · {figures} {concerns}</p>
{f'<p class="error">{esc(page.error)}</p>' if page.error else ''}</header>
<main class="pageview"><figure>{image}</figure>
<section class="text"><h2>Text in reading order</h2><ol>{texts}</ol></section></main>
</body></html>
"""


def _summary(pages: list[PageSummary]) -> str:
    done = [p for p in pages if p.status == "ok"]
    failed = len(pages) - len(done)
    words = sum(p.words for p in done)
    confidences = [p.mean_confidence for p in done if p.mean_confidence is not None]
    look = sum(1 for p in pages if p.concerns)
    mean = f"{sum(confidences) / len(confidences):.1f}" if confidences else "–"
    return (f"{len(pages)} pages: {len(done)} done, {failed} failed · {words} words · "
            f"mean confidence {mean} · {look} need a look")


def write_report(pages: list[PageSummary], out: Path, load_image: ImageLoader, threads: int = 4) -> Path:
    """Writes ``out/report/``; returns the path of its index.html."""
    folder = out / "report"
    for sub in ("thumbs", "views"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max(1, threads)) as pool:
        has_image = list(pool.map(lambda p: _render_images(p, folder, load_image), pages))
    rows = [_row(p, shown) for p, shown in zip(pages, has_image)]
    for i, (page, shown) in enumerate(zip(pages, has_image)):
        previous = f"{page_id(pages[i - 1])}.html" if i else None
        following = f"{page_id(pages[i + 1])}.html" if i + 1 < len(pages) else None
        (folder / "views" / f"{page_id(page)}.html").write_text(_view_html(page, shown, previous, following))
    data = json.dumps(rows, ensure_ascii=True).replace("</", "<\\/")
    (folder / "pages.js").write_text(f"window.EULEREYE_PAGES = {data};\n")
    (folder / "report.css").write_text((ASSETS / "report.css").read_text())
    index = (ASSETS / "index.html").read_text()
    index = index.replace("{{summary}}", html.escape(_summary(pages))).replace("{{rows}}", str(ROWS_PER_SCREEN))
    (folder / "index.html").write_text(index)
    log.info("report written", pages=len(pages), path=str(folder / "index.html"))
    return folder / "index.html"


def bucket_report(s3, bucket: str, output_prefix: str, out: Path, threads: int = 8) -> Path:
    """The report of a bucket's outputs, written to ``out/report/``; page images are read from
    the bucket (the manifests name their input keys)."""
    from eulereye.outputs.s3store import S3Store
    from eulereye.report.pages import OutputReader, read_pages

    inputs = S3Store(s3, bucket)
    return write_report(read_pages(OutputReader.bucket(s3, bucket, output_prefix)), out, inputs.get, threads)

