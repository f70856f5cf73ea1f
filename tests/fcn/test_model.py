"""The FCN itself: output shape, mask -> region conversion, checkpoint formats."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from eulereye.segment.fcn import (
    CLASSES, FcnConfig, FcnSegmenter, build_model, make_target, load_checkpoint,
    mark_masthead, masks_to_regions, page_to_input, save_checkpoint,
)
from eulereye.model import Region


def test_forward_gives_class_logits_at_half_input_resolution():
    model = build_model(FcnConfig()).eval()
    x = torch.from_numpy(page_to_input(np.full((700, 500), 255, np.uint8), 256))[None, None]
    assert x.shape == (1, 1, 256, 192)  # 183 px wide, padded to a multiple of 16
    with torch.inference_mode():
        assert model(x).shape == (1, len(CLASSES), 128, 96)


def test_training_target_fills_sections_apart_and_keeps_thin_rules():
    labels = np.zeros((700, 500), np.uint8)
    labels[100:600, 240:243] = 3  # a 3 px column rule, thinner than one target pixel
    sections = [((40, 100, 238, 600), "text"), ((245, 100, 460, 600), "advert"),
                ((40, 20, 460, 90), "masthead"), ((0, 0, 5, 5), "unknown kind")]
    target = make_target(sections, labels, 256)
    assert target.shape == (128, 96)  # the output grid of a 256 x 183 input padded to 256 x 192
    assert (target == 3).any(axis=0).sum() >= 1
    row = target[64]
    assert [k for k, _ in itertools.groupby(row.tolist())] == [0, 1, 0, 3, 0, 1, 0]  # blocks apart, rule between
    assert (target[:30] == 2).sum() > 0


def test_masks_become_one_region_per_column_even_when_bridged():
    classes = np.zeros((100, 80), np.uint8)
    classes[10:90, 5:35] = 1
    classes[10:90, 45:75] = 1
    classes[50, 35:45] = 1  # a one-pixel bridge across the gutter
    classes[5:8, 5:75] = 3  # a horizontal rule
    regions = masks_to_regions(classes, (200, 160), long_side=200)  # page px = 2 x mask px
    text = sorted(r.bbox for r in regions if r.kind == "text")
    assert len(text) == 2
    assert text[0][2] <= 72 and text[1][0] >= 88  # split at the gutter, not across it
    assert [r.kind for r in regions].count("rule") == 1


def test_the_tallest_wide_headline_at_the_top_is_the_masthead():
    regions = [Region((0, 300, 800, 340), "headline"), Region((50, 20, 750, 120), "headline"),
               Region((50, 130, 750, 160), "headline"), Region((0, 170, 300, 900), "text")]
    kinds = [r.kind for r in mark_masthead(regions, 800, 1000)]
    assert kinds == ["headline", "masthead", "headline", "text"]


def test_segmenter_turns_the_mask_into_regions_in_reading_order(monkeypatch):
    # Page 400 x 320 at long side 200: mask pixel = 4 page pixels. A headline over two
    # columns, a rule under it; expected: headline, left column, right column, no rule.
    classes = np.zeros((50, 40), np.uint8)
    classes[24:48, 2:18] = 1
    classes[24:48, 22:38] = 1
    classes[15:20, 2:38] = 2
    classes[21, 2:38] = 3
    segmenter = FcnSegmenter(build_model(FcnConfig()), FcnConfig(input_long_side=200))
    monkeypatch.setattr(segmenter, "predict_classes", lambda gray: classes)
    regions = segmenter.segment(np.full((400, 320), 255, np.uint8))
    assert [r.kind for r in regions] == ["headline", "text", "text"]
    assert regions[1].bbox[0] < regions[2].bbox[0]


def test_a_block_inside_another_regions_box_is_not_read_twice(monkeypatch):
    # An L-shaped text column (a full-width foot under a left leg) and a headline in its bend:
    # the column's box holds the headline, whose text its OCR reads already.
    classes = np.zeros((50, 40), np.uint8)
    classes[2:48, 2:18] = 1
    classes[36:48, 2:38] = 1
    classes[10:14, 22:36] = 2
    segmenter = FcnSegmenter(build_model(FcnConfig()), FcnConfig(input_long_side=200))
    monkeypatch.setattr(segmenter, "predict_classes", lambda gray: classes)
    regions = segmenter.segment(np.full((400, 320), 255, np.uint8))
    assert [r.kind for r in regions] == ["text"]
    assert regions[0].bbox == (8, 8, 152, 192)  # mask pixel = 4 page pixels


def _reference_model():
    torch.manual_seed(0)
    model = build_model(FcnConfig()).eval()
    with torch.no_grad():  # non-trivial BatchNorm statistics, so a round trip must carry them
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.1, 0.1)
                module.running_var.uniform_(0.5, 1.5)
    return model


def _same_output(a, b) -> bool:
    x = torch.rand(1, 1, 64, 64)
    with torch.inference_mode():
        return torch.allclose(a(x), b(x))


def test_checkpoint_round_trip(tmp_path):
    model = _reference_model()
    config = FcnConfig(input_long_side=768)
    save_checkpoint(tmp_path / "fcn.pt", model, config, metrics={"region_f1": 0.5})
    loaded, loaded_config, checkpoint = load_checkpoint(tmp_path / "fcn.pt")
    assert loaded_config == config and checkpoint["metrics"] == {"region_f1": 0.5}
    assert _same_output(model, loaded)


@pytest.mark.parametrize("form", ["original", "bare"])
def test_loads_checkpoints_in_the_original_systems_form(tmp_path, form):
    model = _reference_model()
    if form == "original":  # as last_20.pth.tar: a dict with state_dict (DataParallel prefixes)
        data = {"epoch": 20, "state_dict": {f"module.{k}": v for k, v in model.state_dict().items()}}
    else:
        data = model.state_dict()
    torch.save(data, tmp_path / "last_20.pth.tar")
    loaded, config, _ = load_checkpoint(tmp_path / "last_20.pth.tar")
    assert config == FcnConfig()
    assert _same_output(model, loaded)


def test_a_checkpoint_of_another_architecture_is_refused_clearly(tmp_path):
    torch.save({"state_dict": {"conv.weight": torch.zeros(3, 3)}}, tmp_path / "other.pth.tar")
    with pytest.raises(ValueError, match="do not fit"):
        load_checkpoint(tmp_path / "other.pth.tar")
