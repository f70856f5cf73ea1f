"""OCR engines behind one narrow interface (see ``base.OcrEngine``)."""

from eulereye.ocr.base import OcrEngine, get_engine

__all__ = ["OcrEngine", "get_engine"]
