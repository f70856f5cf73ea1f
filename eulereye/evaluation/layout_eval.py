"""Score predicted sections of pages against PAGE-XML ground truth (``eulereye eval``).

Per page: region precision/recall/F1 at IoU 0.5 (predicted sections that carry text against
GT ``TextRegion``s), the straddle rate and the coverage of the GT text area
(``eulereye.evaluation.metrics``), reading-order agreement where the GT has a ``ReadingOrder``, and
the character error rate where the GT has text. Means over pages skip pages where a measure
does not apply (no reading order, no text).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from eulereye.evaluation.metrics import coverage, order_agreement, straddle_rate
from eulereye.evaluation.pagexml import PageLayout, read_page_xml
from eulereye.evaluation.scores import detection_scores
from eulereye.model import TEXTLESS_KINDS
from eulereye.outputs.readers import SectionRecord, read_sections
from eulereye.textmetrics import cer

COLUMNS = ("f1", "precision", "recall", "straddle", "coverage", "order", "cer")


@dataclass
class PageScore:
    page: str
    gt_regions: int
    pred_sections: int
    precision: float
    recall: float
    f1: float
    straddle: float
    coverage: float
    order: float | None
    cer: float | None
    seconds: float | None = None


def gt_text(layout: PageLayout) -> str:
    """The GT page text in reading order (document order for regions the order leaves out).
    Empty when the GT has no text."""
    texts = layout.text_contents
    order = [r for r in layout.reading_order if r in texts]
    order += [r for r in texts if r not in order]
    return "\n".join(texts[r] for r in order if texts[r])


def score_page(name: str, sections: list[SectionRecord], gt_path: Path, *,
               with_text: bool = True) -> PageScore:
    """Scores of ``sections`` (in predicted reading order) against the PAGE-XML at ``gt_path``;
    ``with_text=False``: the sections were not read, so no CER."""
    layout = read_page_xml(gt_path)
    gt_boxes = list(layout.text.values())
    pred_boxes = [s.bbox for s in sections if s.kind not in TEXTLESS_KINDS]
    detection = detection_scores(pred_boxes, gt_boxes)
    ordered_gt = [layout.text[r] for r in layout.reading_order if r in layout.text]
    truth = gt_text(layout) if with_text else ""
    return PageScore(
        page=name,
        gt_regions=len(gt_boxes),
        pred_sections=len(pred_boxes),
        precision=detection.precision,
        recall=detection.recall,
        f1=detection.f1,
        straddle=straddle_rate(pred_boxes, gt_boxes),
        coverage=coverage(pred_boxes, gt_boxes, (layout.height, layout.width)),
        order=order_agreement(pred_boxes, ordered_gt) if len(ordered_gt) > 1 else None,
        cer=cer("\n".join(s.text for s in sections), truth) if truth else None,
    )


def evaluate_folder(pred_out: Path, gt_dir: Path) -> list[PageScore]:
    """Score every ``<gt_dir>/<name>.xml`` against ``<pred_out>/sections/<name>.json``;
    a page without prediction scores as an empty prediction."""
    gt_files = sorted(gt_dir.glob("*.xml"))
    if not gt_files:
        raise FileNotFoundError(f"no PAGE-XML files (*.xml) in {gt_dir}")
    scores = []
    for gt_path in gt_files:
        pred_path = pred_out / "sections" / f"{gt_path.stem}.json"
        sections = read_sections(pred_path) if pred_path.exists() else []
        scores.append(score_page(gt_path.stem, sections, gt_path))
    return scores


def mean_scores(scores: list[PageScore]) -> dict[str, float | None]:
    """Mean of each measure over the pages where it applies."""
    means: dict[str, float | None] = {}
    for column in (*COLUMNS, "seconds"):
        values = [getattr(s, column) for s in scores if getattr(s, column) is not None]
        means[column] = sum(values) / len(values) if values else None
    return means


def as_table(scores: list[PageScore]) -> str:
    """A Markdown table: one row per page, then the mean."""
    header = ["page", "GT regions", "sections", *COLUMNS]
    rows = [[s.page, str(s.gt_regions), str(s.pred_sections), *(_fmt(getattr(s, c)) for c in COLUMNS)]
            for s in scores]
    means = mean_scores(scores)
    rows.append(["**mean**", "", "", *(_fmt(means[c]) for c in COLUMNS)])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def as_json(scores: list[PageScore]) -> dict:
    return {"pages": [asdict(s) for s in scores], "mean": mean_scores(scores)}


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
