"""`eulereye train`: the whole loop end to end on a few small generated pages."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from eulereye.cli import main
from eulereye.segment.fcn import load_checkpoint
from eulereye.training.fcn import TrainSettings, scaled_window, train

pytestmark = pytest.mark.xdist_group("fcn-train")  # keep the two CPU-heavy runs apart


def test_train_smoke_runs_exports_and_resumes(tmp_path, capsys):
    run_dir, weights = tmp_path / "run", tmp_path / "weights" / "fcn.pt"
    assert main(["train", "--smoke", "--out", str(run_dir), "--export", str(weights)]) == 0
    best = json.loads(capsys.readouterr().out)
    assert 0.0 <= best["region_f1"] <= 1.0 and best["step"] in (3, 6)

    log = [json.loads(line) for line in (run_dir / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log] == [3, 6]
    assert all(r["loss"] > 0 and "iou_rule" in r for r in log)
    record = json.loads(weights.with_suffix(".json").read_text())
    assert record["command"].startswith("eulereye train") and record["data"]["train_pages"] == 3
    assert record["validation"] == best
    assert record["run"]["last_step"] == 6 and record["run"]["seconds"] == log[-1]["seconds"]
    load_checkpoint(weights)  # the exported weights load on their own

    # A finished run resumed does no more steps; one given more steps continues from its state.
    settings = TrainSettings.smoke(str(run_dir))
    train(settings, resume=True)
    assert len((run_dir / "log.jsonl").read_text().splitlines()) == 2
    longer = TrainSettings(**{**settings.__dict__, "steps": 9})
    train(longer, resume=True)
    steps = [json.loads(line)["step"] for line in (run_dir / "log.jsonl").read_text().splitlines()]
    assert steps == [3, 6, 9]


def test_export_only_exports_a_run_as_it_stands(tmp_path, capsys):
    run_dir = tmp_path / "run"
    assert main(["train", "--smoke", "--out", str(run_dir)]) == 0
    capsys.readouterr()
    weights = tmp_path / "early.pt"
    assert main(["train", "--out", str(run_dir), "--export-only", "--export", str(weights)]) == 0
    record = json.loads(weights.with_suffix(".json").read_text())
    assert record["validation"]["stopped_at_step"] == 6 and record["validation"]["planned_steps"] == 6
    assert "--steps=6" in record["command"]


def test_train_refuses_an_unknown_page_style_before_generating_pages(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--out", str(tmp_path / "run"), "--style", "tintype"])
    assert exit_info.value.code == 2
    assert "--style must be one of print, microfilm" in capsys.readouterr().err
    assert not (tmp_path / "run" / "data").exists()


def test_the_exported_weights_keep_the_input_size_they_were_trained_at(tmp_path, capsys):
    weights = tmp_path / "fcn.pt"
    assert main(["train", "--smoke", "--out", str(tmp_path / "run"), "--export", str(weights)]) == 0
    _, config, _ = load_checkpoint(weights)
    assert config.input_long_side == TrainSettings.smoke("").input_long_side == 512


@pytest.mark.parametrize("scale", [0.45, 0.8, 1.0, 1.4])
@pytest.mark.parametrize("corner", [(0, 0), (210, 333), (10_000, 10_000)])
def test_a_training_crop_is_the_window_of_the_whole_page_scaled(scale, corner):
    rng = np.random.default_rng(0)
    page = cv2.GaussianBlur((rng.random((900, 700)) * 255).astype(np.uint8), (0, 0), 3)
    whole = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    top, left = min(corner[0], whole.shape[0] - 50), min(corner[1], whole.shape[1] - 40)
    expected = whole[top:top + 320, left:left + 320]
    window = scaled_window(page, scale, (top, left), 320, cv2.INTER_AREA)
    assert window.shape == expected.shape
    assert np.abs(window.astype(int) - expected).mean() < 2  # within a sub-pixel shift
