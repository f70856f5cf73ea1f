"""Text that XML can carry: OCR output may hold control characters (a misread speck becomes
U+0001), which XML 1.0 forbids anywhere, even escaped; one such word would make a whole ALTO
(or hOCR, PAGE-XML) file unreadable."""

from __future__ import annotations

import re

# Everything outside XML 1.0's Char production.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)
