"""`eulereye train`: the whole loop end to end on a few small generated pages."""

from __future__ import annotations

import json

import pytest

from eulereye.cli import main
from eulereye.segment.fcn import load_checkpoint
from eulereye.training.fcn import TrainSettings, train

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
