"""Classical (OpenCV) segmentation of a newspaper page into sections.

Steps, all on a copy downscaled to about ``segmenter.WORK_WIDTH`` pixels wide (boxes are
mapped back), one module a concern:

1. ink mask (Otsu), blank pages stop here (``masks``);
2. body text size: the median height of letter-sized ink components; every kernel below is
   a multiple of it, so the method does not depend on the scan resolution (``masks``);
3. rules: long thin straight ink runs (column rules, horizontal rules, frames) (``masks``);
4. gutters: background strips at least a letter wide and many lines tall (pieces of a faded
   column rule inside them count as background) with text close beside them over some lines
   (a word gap in a first or last line has tall paper above or below it, but text beside it
   on one line only) (``gutters``);
5. line fragments: ink smeared along lines, cut at rules and gutters, so no fragment crosses
   a column boundary (``fragments``);
6. blocks: fragments stacked line over line with the same text size and horizontal extent are
   joined; a fragment does not join one above it that spans several fragments side by side
   (a headline over two columns stays apart from each column), nor a short line above it when
   it is indented (a new paragraph: sections are paragraphs, as in PAGE-XML ground truth and
   ALTO text blocks) (``blocks``); slivers at the left or right edge of the scan narrower than
   a column (the facing page's cut-off lines) are dropped (``segmenter``);
7. kinds: masthead (very large type near the top), headline (larger than body text),
   illustration (large ink shapes that are not rows of letters), text (``kinds``);
8. column grid: where the page has evenly spaced gutters (found over much of its height), a
   text block wider than ``columns.WIDE_BLOCK`` columns is split at the ink valleys on the grid
   lines (a safety net for gutters that are too narrow or too faint to cut every line)
   (``columns``);
9. back on the full-resolution page, a picture whose ink is mostly letters is text (bold lines
   set tight around a cut touch at the working resolution) (``kinds``);
10. reading order: ``eulereye.segment.order.order_regions`` with the rules found
    (``segmenter``, which wires the steps together).
"""

from eulereye.segment.classical.masks import body_size, page_rules
from eulereye.segment.classical.segmenter import ClassicalSegmenter, Layout, analyse

__all__ = ["ClassicalSegmenter", "Layout", "analyse", "body_size", "page_rules"]
