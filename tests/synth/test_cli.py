"""``eulereye synth``: pages and ground truth named by seed, bad usage refused."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from eulereye.cli import main


def test_synth_writes_pages_and_ground_truth(tmp_path):
    code = main(["synth", str(tmp_path), "--pages", "2", "--seed", "40", "--width", "600",
                 "--height", "900", "--columns", "3", "--degrade", "0.2", "--format", "jpg"])
    assert code == 0
    for seed in (40, 41):
        with Image.open(tmp_path / "pages" / f"page-{seed}.jpg") as image:
            assert image.size == (600, 900)
        truth = json.loads((tmp_path / "ground-truth" / f"page-{seed}.gt.json").read_text())
        assert truth["seed"] == seed and truth["sections"][0]["kind"] == "masthead"
        assert (tmp_path / "ground-truth" / f"page-{seed}.xml").is_file()


@pytest.mark.parametrize("args", [["--degrade", "2"], ["--pages", "0"], ["--columns", "12"]])
def test_synth_refuses_bad_usage(tmp_path, args):
    with pytest.raises(SystemExit) as exit_info:
        main(["synth", str(tmp_path), *args])
    assert exit_info.value.code == 2


def test_synth_makes_microfilm_like_pages(tmp_path):
    assert main(["synth", str(tmp_path), "--pages", "1", "--seed", "3", "--width", "1300",
                 "--height", "1750", "--style", "microfilm"]) == 0
    truth = json.loads((tmp_path / "ground-truth" / "page-3.gt.json").read_text())
    assert len({s["bbox"][0] for s in truth["sections"] if s["kind"] == "text"}) >= 6


def test_synth_names_the_styles_when_one_is_unknown(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["synth", str(tmp_path), "--style", "tintype"])
    assert exit_info.value.code == 2
    assert "--style must be one of print, microfilm" in capsys.readouterr().err
