"""Synthetic newspaper pages with exact ground truth, for tests, accuracy checks and training.

    from eulereye.synth import generate_page, write_ground_truth
    page = generate_page(7, columns=5, degrade=0.3)
    write_ground_truth(page, "gt", "page-7")

Modules: ``text`` (words and sentences), ``layout`` (boxes), ``render`` (ink), ``degrade``
(scan damage and skew), ``page`` (the pipeline and data classes), ``ground_truth`` (files).
"""

from eulereye.synth.ground_truth import write_ground_truth
from eulereye.synth.page import SynthLine, SynthPage, SynthRule, SynthSection, generate_page

__all__ = ["SynthLine", "SynthPage", "SynthRule", "SynthSection", "generate_page", "write_ground_truth"]
