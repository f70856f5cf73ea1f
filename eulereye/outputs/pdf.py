"""A searchable PDF of a recognised page: the page image with an invisible text layer.

img2pdf wraps the image without re-encoding it again (a JPEG for gray pages, CCITT Group 4 for
bilevel ones), with the page sized from the image's DPI; pikepdf's content-stream builder adds
the text layer on top: every word in reading order, drawn invisibly (text render mode 3) in
Courier, stretched to its box and followed by a space (so text extraction keeps words apart),
so it can be searched, selected and copied where it is printed.
Courier is one of the PDF standard fonts, so no font is embedded; it is fixed-width, so a
word's width is known exactly without font metrics. The text is WinAnsi (cp1252) encoded: a
character outside it is drawn as ``?``.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from eulereye.model import Page

DEFAULT_DPI = 300.0  # page size when neither the image nor the caller gives its resolution
# Newspaper scans are mostly small print, which costs JPEG bytes at any quality; at 25 the
# 1895 sample page (3174x4667) stays crisp to read and its image takes 1.27 MB (2.1 MB at 50).
JPEG_QUALITY = 25
COURIER_ADVANCE = 0.6  # every Courier glyph is 600/1000 of the font size wide
FONT = "/F1"


def _image_bytes(gray: np.ndarray) -> bytes:
    """The page image as compact bytes img2pdf can embed unchanged."""
    image = Image.fromarray(gray)
    out = io.BytesIO()
    if not np.any((gray > 0) & (gray < 255)):  # bilevel: lossless and tiny as Group 4 fax
        image.convert("1").save(out, format="TIFF", compression="group4")
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _text_layer(page: Page, scale: float) -> bytes:
    """The content stream drawing every word invisibly over its box (``scale``: pt per px)."""
    from pikepdf import Matrix, Name
    from pikepdf.canvas import ContentStreamBuilder

    text = ContentStreamBuilder()
    text.begin_text()
    text.set_text_rendering(3)  # neither fill nor stroke: invisible, still searchable
    for section in page.sections:
        for line in section.lines:
            x0, y0, x1, y1 = line.bbox
            size = max(1.0, (y1 - y0) * scale)
            text.set_text_font(Name(FONT), round(size, 2))
            baseline = (page.height - y1) * scale + 0.2 * size
            for word in line.words:
                encoded = word.text.encode("cp1252", errors="replace")
                width = (word.bbox[2] - word.bbox[0]) * scale
                text.set_text_horizontal_scaling(round(100 * width / (COURIER_ADVANCE * size * len(encoded)), 1))
                text.set_text_matrix(Matrix(1, 0, 0, 1, round(word.bbox[0] * scale, 2), round(baseline, 2)))
                text.show_text(encoded + b" ")
    text.end_text()
    return text.build()


def searchable_pdf(page: Page, gray: np.ndarray, *, dpi: float | None) -> bytes:
    """The PDF of ``page`` over its image ``gray`` (the original image, HxW uint8)."""
    import img2pdf
    import pikepdf

    dpi = dpi or DEFAULT_DPI
    image_pdf = img2pdf.convert(_image_bytes(gray), layout_fun=img2pdf.get_fixed_dpi_layout_fun((dpi, dpi)),
                                title=page.name, creator="eulereye", producer="eulereye")
    with pikepdf.open(io.BytesIO(image_pdf)) as pdf:
        pdf_page = pdf.pages[0]
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Courier,
                                                    Encoding=pikepdf.Name.WinAnsiEncoding))
        pdf_page.Resources.Font = pikepdf.Dictionary({FONT: font})
        pdf_page.contents_add(pikepdf.Stream(pdf, _text_layer(page, 72.0 / dpi)), prepend=False)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True)
    return out.getvalue()
