"""Learned page segmentation: a small fully convolutional network (FCN) labels every pixel of a
downscaled page, and the label masks become regions.

Architecture (``PageFCN``), a compact U-Net:

* input: the page in grayscale, scaled so its longer side is ``input_long_side`` px (saved in
  the checkpoint: 2048 for the shipped weights, so a gutter of a 150 dpi microfilm scan keeps
  a few pixels; 1024 for a checkpoint without a config), a whole newspaper page at once, so
  the net sees columns, rules and headlines in context; padded to a multiple of 16, ink = 1.0,
  paper = 0.0;
* encoder: four stride-2 stages (16, 32, 64, 96 channels), each two 3x3 conv + BatchNorm + ReLU;
  the deepest stage adds dilated 3x3 convs (dilation 2, 4) so one output pixel sees ~1/6 of a
  page width at 2048 px: enough to tell a gutter between columns from the space between words;
* decoder: upsample x2 twice with skip connections back to 1/2 of the input resolution;
* output: logits for ``CLASSES`` (background, body text, headline, rule, illustration) at 1/2 the
  input resolution (1024 px on the longer side at 2048), i.e. ~3-6 page pixels per mask pixel.

~0.42 M parameters (1.7 MB of weights); at 2048 px a 3174x4667 page runs in ~2 s on one CPU
core.

Masks -> regions (``masks_to_regions``): per class, connected components of the argmax mask
after a small closing, each component cut further by recursive XY-cuts at empty gutters of the
mask (so a bridge of a few pixels never merges two columns), tiny pieces dropped, boxes scaled
back to page pixels; a region inside another one's box joins it (``absorb_nested``), so no
text is read twice. Rules are not regions of their own: they separate. The regions are put in
reading order by ``eulereye.segment.order.order_regions``, which every segmenter shares.

Torch is imported lazily (only when an FCN is built or loaded) so the CLI starts fast, and it is
an extra (``pip install 'eulereye[fcn]'``): without it every other segmenter works, and choosing
this one says what to install (``require_torch``).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from eulereye.config import cpu_count
from eulereye.errors import MissingExtraError
from eulereye.model import TEXTLESS_KINDS, BBox, Region, area, nested_groups, union
from eulereye.segment.order import order_regions
from eulereye.segment.paragraphs import split_paragraphs

if TYPE_CHECKING:
    import torch

CLASSES = ("background", "text", "headline", "rule", "illustration")
# Region kind for each foreground class. Rule regions only guide the reading order
# (``order_regions`` drops them from its result).
CLASS_KINDS = {1: "text", 2: "headline", 3: "rule", 4: "illustration"}
WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"
DEFAULT_WEIGHTS = WEIGHTS_DIR / "fcn.pt"


def require_torch(needed_by: str = "--segmenter fcn"):
    """The torch module, or MissingExtraError naming the extra that installs it."""
    try:
        import torch
    except ImportError as exc:
        raise MissingExtraError(f"{needed_by} needs PyTorch, which is not installed; "
                                "install it with: pip install 'eulereye[fcn]'") from exc
    return torch


@dataclass(frozen=True)
class FcnConfig:
    """Everything needed to rebuild the network and its input scaling; saved in checkpoints."""

    input_long_side: int = 1024
    widths: tuple[int, ...] = (16, 32, 64, 96)
    num_classes: int = len(CLASSES)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FcnConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "widths" in known:
            known["widths"] = tuple(known["widths"])
        return cls(**known)


def build_model(config: FcnConfig) -> torch.nn.Module:
    """The network for ``config`` (fresh weights)."""
    import torch
    from torch import nn

    def conv_block(cin: int, cout: int, stride: int = 1, dilation: int = 1) -> nn.Sequential:
        return nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride=stride, padding=dilation, dilation=dilation, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
        )

    class PageFCN(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            w1, w2, w3, w4 = config.widths
            self.stage1 = nn.Sequential(conv_block(1, w1, 2), conv_block(w1, w1))  # 1/2
            self.stage2 = nn.Sequential(conv_block(w1, w2, 2), conv_block(w2, w2))  # 1/4
            self.stage3 = nn.Sequential(conv_block(w2, w3, 2), conv_block(w3, w3))  # 1/8
            self.stage4 = nn.Sequential(  # 1/16, wide context
                conv_block(w3, w4, 2), conv_block(w4, w4, dilation=2), conv_block(w4, w4, dilation=4)
            )
            self.up3 = conv_block(w4 + w3, w3)
            self.up2 = conv_block(w3 + w2, w2)
            self.up1 = conv_block(w2 + w1, w1)
            self.head = nn.Conv2d(w1, config.num_classes, 1)

        @staticmethod
        def _merge(deep: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
            up = nn.functional.interpolate(deep, size=skip.shape[-2:], mode="bilinear",
                                           align_corners=False)
            return torch.cat([up, skip], dim=1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            s1 = self.stage1(x)
            s2 = self.stage2(s1)
            s3 = self.stage3(s2)
            s4 = self.stage4(s3)
            d3 = self.up3(self._merge(s4, s3))
            d2 = self.up2(self._merge(d3, s2))
            d1 = self.up1(self._merge(d2, s1))
            return self.head(d1)  # N x classes x H/2 x W/2

    return PageFCN()


def scale_for(shape: tuple[int, int], long_side: int) -> float:
    """Factor that brings a page of ``shape`` (h, w) to ``long_side`` px on its longer side."""
    return long_side / max(shape)


def input_size(shape: tuple[int, int], long_side: int) -> tuple[int, int]:
    """(h, w) of the scaled page inside the network input (which pads it to a multiple of 16)."""
    factor = scale_for(shape, long_side)
    return max(16, round(shape[0] * factor)), max(16, round(shape[1] * factor))


def page_to_input(gray: np.ndarray, long_side: int) -> np.ndarray:
    """Grayscale page -> float32 network input (ink 1, paper 0), padded to a multiple of 16."""
    h, w = input_size(gray.shape, long_side)
    small = cv2.resize(gray, (w, h), interpolation=cv2.INTER_AREA)
    padded = np.zeros((-(-h // 16) * 16, -(-w // 16) * 16), np.float32)
    padded[:h, :w] = 1.0 - small.astype(np.float32) / 255.0
    return padded


# Training class of each kind of ground-truth section. Adverts are read as text blocks;
# mastheads are headlines (told apart afterwards by size and place).
KIND_CLASSES = {"text": 1, "advert": 1, "headline": 2, "masthead": 2, "illustration": 4}


def make_target(sections: list[tuple[BBox, str]], labels: np.ndarray, long_side: int) -> np.ndarray:
    """The training target for a page: the output mask of ``page_to_input`` of that page
    (1/2 input resolution, padding included and background).

    Sections are filled whole, each shrunk by one mask pixel so neighbours stay apart: the
    network learns blocks, not glyphs, and the gaps between blocks are what separates
    sections. Rules come from the per-pixel ``labels`` (class 3); a target pixel is a rule
    where rule ink covers a fair share of it, so rules a few pixels thin survive the scaling."""
    h, w = input_size(labels.shape, long_side)
    out_h, out_w = -(-h // 2), -(-w // 2)
    factor = out_w / labels.shape[1]
    target = np.zeros((-(-h // 16) * 8, -(-w // 16) * 8), np.uint8)
    # Biggest first, so a small section inside a big one (a picture in an advert) stays visible.
    for (x0, y0, x1, y1), kind in sorted(sections, key=lambda s: -area(s[0])):
        cls = KIND_CLASSES.get(kind)
        if cls is not None:
            tx0, ty0 = round(x0 * factor) + 1, round(y0 * factor) + 1
            tx1, ty1 = round(x1 * factor) - 1, round(y1 * factor) - 1
            target[ty0:max(ty0 + 1, ty1), tx0:max(tx0 + 1, tx1)] = cls
    rule_share = cv2.resize((labels == 3).astype(np.float32), (out_w, out_h), interpolation=cv2.INTER_AREA)
    target[:out_h, :out_w][rule_share > 0.15] = 3
    return target


class FcnSegmenter:
    """Segmenter protocol implementation around a trained ``PageFCN``."""

    name = "fcn"

    def __init__(self, model: torch.nn.Module, config: FcnConfig) -> None:
        self.model = model.eval()
        self.config = config

    def predict_classes(self, gray: np.ndarray) -> np.ndarray:
        """Argmax class per mask pixel; the mask has half the input's resolution."""
        import torch

        x = page_to_input(gray, self.config.input_long_side)
        with torch.inference_mode():
            logits = self.model(torch.from_numpy(x)[None, None])
        return logits[0].argmax(dim=0).numpy().astype(np.uint8)

    def segment(self, gray: np.ndarray) -> list[Region]:
        classes = self.predict_classes(gray)
        regions = absorb_nested(masks_to_regions(classes, gray.shape, self.config.input_long_side))
        regions = split_paragraphs(gray, mark_masthead(regions, gray.shape[1], gray.shape[0]))
        return order_regions(regions, gray.shape[1], gray.shape[0])


# A headline is the masthead when it is the tallest one, near the top and wide.
MASTHEAD_ZONE = 0.2  # share of the page height from the top
MASTHEAD_WIDTH = 0.5  # share of the page width


def mark_masthead(regions: list[Region], page_width: int, page_height: int) -> list[Region]:
    """The network learns mastheads as headlines; the tallest wide headline at the top is one."""
    candidates = [r for r in regions if r.kind == "headline"
                  and r.bbox[1] < MASTHEAD_ZONE * page_height
                  and r.bbox[2] - r.bbox[0] > MASTHEAD_WIDTH * page_width]
    if not candidates:
        return regions
    masthead = max(candidates, key=lambda r: r.bbox[3] - r.bbox[1])
    return [Region(r.bbox, "masthead") if r is masthead else r for r in regions]


def masks_to_regions(classes: np.ndarray, page_shape: tuple[int, int], long_side: int) -> list[Region]:
    """Argmax mask (1/2 input resolution) -> regions in page pixels, not yet ordered.
    Rules come out whole; other kinds are split at gutters of the mask."""
    to_page = 1.0 / (scale_for(page_shape, long_side) / 2)
    page_h, page_w = page_shape
    mask_h, mask_w = round(page_h / to_page), round(page_w / to_page)
    classes = classes[:mask_h, :mask_w]
    min_area = max(6, classes.size // 20000)  # ~0.005% of the page
    regions: list[Region] = []
    for cls, kind in CLASS_KINDS.items():
        mask = (classes == cls).astype(np.uint8)
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, w, h, pixels in stats[1:count]:
            if pixels < min_area:
                continue
            pieces = ([(0, 0, w, h)] if kind == "rule"
                      else split_mask_at_gutters(mask[y:y + h, x:x + w], min_gap=2, min_area=min_area))
            for box in pieces:
                x0, y0, x1, y1 = box
                page_box = (
                    max(0, int((x + x0) * to_page)), max(0, int((y + y0) * to_page)),
                    min(page_w, int(np.ceil((x + x1) * to_page))),
                    min(page_h, int(np.ceil((y + y1) * to_page))),
                )
                regions.append(Region(page_box, kind))
    return regions


def absorb_nested(regions: list[Region]) -> list[Region]:
    """A region to read that lies inside another one's box joins it (the box grows to hold
    it): OCR of the larger box reads its text already, which would otherwise come out twice.
    An L-shaped column's box, for one, holds the block standing in its bend."""
    groups = nested_groups([r.bbox for r in regions], [r.kind not in TEXTLESS_KINDS for r in regions])
    return [Region(union([regions[i].bbox for i in group]), regions[group[0]].kind) for group in groups]


# Cutting a mask is not the XY-cut of the reading order (``order._split_at_gaps``), which
# groups boxes that are already apart at the gaps no box spans. Here one connected component
# of the network's mask is cut where it is *nearly* empty: a gutter bridged by a misread
# pixel or two still parts two columns, a judgement on pixel density that boxes cannot make.
# Tried on boxes (the component with its sparse rows and columns erased, its pieces grouped
# by the shared gap split): more, smaller sections and a lower F1 on real pages (evening-star
# 1918: 67 sections, F1 0.175, against 64 and 0.180; omaha-daily-bee 1887: 54 and 0.050,
# against 49 and 0.053), so the mask keeps its own cut.

# A mask column (row) this sparsely filled across a region counts as a gap: thin bridges of a
# misread pixel or two must not join two columns.
GAP_FILL = 0.05


def split_mask_at_gutters(mask: np.ndarray, *, min_gap: int, min_area: int) -> list[BBox]:
    """Boxes of ``mask`` (binary) split recursively at (nearly) empty columns/rows ``min_gap``
    wide: vertical gutters first, since a region across two columns is the worst mistake."""
    ys, xs = np.nonzero(mask)
    if len(xs) < min_area:
        return []
    x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    tight = mask[y0:y1, x0:x1]
    for axis in (0, 1):  # axis 0: column profile (vertical gutters); 1: row profile
        profile = tight.mean(axis=axis) > GAP_FILL
        cut = _widest_gap(profile, min_gap)
        if cut is not None:
            start, end = cut
            first = tight[:, :start] if axis == 0 else tight[:start]
            second = tight[:, end:] if axis == 0 else tight[end:]
            dx2, dy2 = (end, 0) if axis == 0 else (0, end)
            return (
                [_shift(b, x0, y0) for b in split_mask_at_gutters(first, min_gap=min_gap, min_area=min_area)]
                + [_shift(b, x0 + dx2, y0 + dy2)
                   for b in split_mask_at_gutters(second, min_gap=min_gap, min_area=min_area)]
            )
    return [(int(x0), int(y0), int(x1), int(y1))]


def _widest_gap(profile: np.ndarray, min_gap: int) -> tuple[int, int] | None:
    """(start, end) of the widest run of False inside ``profile`` at least ``min_gap`` long."""
    best = None
    run_start = None
    for i, filled in enumerate(profile):
        if not filled and run_start is None:
            run_start = i
        elif filled and run_start is not None:
            if i - run_start >= min_gap and (best is None or i - run_start > best[1] - best[0]):
                best = (run_start, i)
            run_start = None
    return best


def _shift(box: BBox, dx: int, dy: int) -> BBox:
    return (int(box[0] + dx), int(box[1] + dy), int(box[2] + dx), int(box[3] + dy))


# --- checkpoints ------------------------------------------------------------------------------

def save_checkpoint(path: Path, model: torch.nn.Module, config: FcnConfig, **extra: Any) -> None:
    """Write ``{"state_dict", "config", **extra}`` atomically (a reader never sees half a file)."""
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save({"state_dict": model.state_dict(), "config": asdict(config), **extra}, tmp)
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> tuple[torch.nn.Module, FcnConfig, dict[str, Any]]:
    """Model, config and the whole checkpoint dict from ``path``.

    Accepts our checkpoints and the original system's form: a dict holding ``state_dict``
    (e.g. ``last_20.pth.tar``; keys may carry a ``module.`` prefix from DataParallel) or a bare
    state dict. Without a saved config the default architecture is assumed, and a state dict
    that does not fit it is reported as such."""
    torch = require_torch()

    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(checkpoint, dict):
        raise ValueError(f"{path}: not a checkpoint (expected a dict, got {type(checkpoint).__name__})")
    state = checkpoint.get("state_dict", checkpoint)
    state = {k.removeprefix("module."): v for k, v in state.items()}
    config = FcnConfig.from_dict(checkpoint.get("config") or {})
    model = build_model(config)
    try:
        model.load_state_dict(state)
    except RuntimeError as exc:
        raise ValueError(f"{path}: weights do not fit the FCN architecture: {exc}") from exc
    return model.eval(), config, checkpoint


def segmenter_from_checkpoint(path: Path) -> FcnSegmenter:
    torch = require_torch()

    # Inference on CPU: a few threads pay off; more fight with the OCR workers for cores.
    torch.set_num_threads(min(4, cpu_count()))
    model, config, _ = load_checkpoint(path)
    return FcnSegmenter(model, config)


def load_default_segmenter(fcn_weights: str = "") -> FcnSegmenter:
    """The FCN with ``fcn_weights`` (a user's checkpoint, ``EULEREYE_FCN_WEIGHTS``), else with
    the shipped weights."""
    weights = Path(fcn_weights or DEFAULT_WEIGHTS)
    if not weights.is_file():
        raise FileNotFoundError(f"FCN weights not found at {weights}; train them with `eulereye train`")
    return segmenter_from_checkpoint(weights)
