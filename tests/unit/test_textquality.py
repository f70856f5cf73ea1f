"""Quality figures of a page and the flags that pick out pages far below their batch."""

from __future__ import annotations

from pathlib import Path

from eulereye.model import Line, Page, Section, Word
from eulereye.outputs.localtree import prune
from eulereye.textquality import dictionary_share, flag_pages, mean_confidence, page_quality, word_list


def page(kinds_words: dict[str, list[tuple[str, float]]]) -> Page:
    sections = [Section(id=i, order=i, kind=kind, bbox=(0, 0, 10, 10),
                        lines=[Line([Word(text, conf, (0, 0, 5, 5)) for text, conf in words])])
                for i, (kind, words) in enumerate(kinds_words.items())]
    return Page(name="p", width=100, height=100, sections=sections)


SMALL = frozenset({"the", "fire", "spread", "county"})


def test_share_counts_letter_runs_ignoring_case_punctuation_and_numbers():
    assert dictionary_share(["The", "fire,", "County's", "spreed", "1895.", "--"], SMALL) == 3 / 4


def test_share_is_none_without_words():
    assert dictionary_share(["1895", "..."], SMALL) is None


def test_the_system_word_list_is_installed_and_knows_english():
    # scripts/install-system-deps.sh installs Debian's wamerican
    assert dictionary_share("The President's message was read in Congress today .".split()) == 1.0
    assert dictionary_share("Tbc cquntv faix qpcned".split()) < 0.5


def test_mean_confidence():
    assert mean_confidence([90.0, 70.0]) == 80.0
    assert mean_confidence([]) is None


def test_page_quality_figures(tmp_path):
    figures = page_quality(page({"headline": [("Harvest", 90.0)], "text": [("corn", 80.0), ("xqzv", 40.0)]}), "eng")
    assert figures["mean_confidence"] == 70.0
    assert figures["words_per_kind"] == {"headline": 1, "text": 2}
    assert ("dictionary_share" in figures) == (word_list("eng") is not None)


def test_word_list_for_each_language_of_a_plus_list(tmp_path):
    (tmp_path / "american-english").write_text("harvest\nCorn\n")
    (tmp_path / "ngerman").write_text("Ernte\n")
    assert word_list("deu+eng", tmp_path) == {"harvest", "corn", "ernte"}
    assert word_list("lat", tmp_path) is None


def test_flags_pages_far_below_the_median_and_nearly_empty_ones():
    batch = {f"p{i}": {"words": 400, "mean_confidence": 88.0, "dictionary_share": 0.9} for i in range(5)}
    batch["wrong-lang"] = {"words": 380, "mean_confidence": 60.0, "dictionary_share": 0.3}
    batch["lost-text"] = {"words": 90, "mean_confidence": 87.0, "dictionary_share": 0.9}
    batch["blank"] = {"words": 2, "mean_confidence": 30.0}
    flags = flag_pages(batch)
    assert set(flags) == {"wrong-lang", "lost-text", "blank"}
    assert "mean confidence 60, batch median 88" in flags["wrong-lang"]
    assert "30% dictionary words, batch median 90%" in flags["wrong-lang"]
    assert flags["lost-text"] == "90 words, batch median 400"
    assert flags["blank"].startswith("almost no words (2)")


def test_two_pages_are_not_compared_with_a_median():
    assert flag_pages({"a": {"words": 400, "mean_confidence": 90.0}, "b": {"words": 40, "mean_confidence": 40.0}}) == {}


def test_prune_removes_only_the_named_pages_files(tmp_path: Path):
    for relpath in ("ocr_plain_text/scan.txt", "ocr_coords/scan.txt", "ocr_coords/scan.json",
                    "manifest/scan.json", "ocr_plain_text/scan.png.txt", "manifest/scan.png.json",
                    "raw/scan.textract.json", "runs/scan.json"):
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text("x")
    assert prune(tmp_path, ["scan"]) == 5
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == ["manifest/scan.png.json", "ocr_plain_text/scan.png.txt", "runs/scan.json"]
