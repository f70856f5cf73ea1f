"""The second look at words Tesseract's lexicon does not know (eulereye.ocr.lexicon): which
reading of a word is kept, and the lexicon unpacked from the installed language model."""

import shutil
import subprocess
from pathlib import Path

import pytest

from eulereye.model import Line, Word
from eulereye.ocr import lexicon
from eulereye.ocr.tesseract import tessdata_path

KNOWN = frozenset({"School", "school", "the", "local", "were", "seen", "Senator", "will", "take"})


def words(*texts_and_boxes):
    return [Word(text, 90.0, box) for text, box in texts_and_boxes]


def read(first, second):
    return [word.text for line in lexicon.prefer_known([Line(first)], second, KNOWN) for word in line.words]


@pytest.mark.parametrize("text, unknown", [
    ("Sehool", True), ("school", False), ("SCHOOL", False), ("the,", False), ("“local”", False),
    ("of", False),  # too short to judge
    ("1,254,950", False), ("Jead-und", True), ("school-Sehool", True),
])
def test_a_word_is_unknown_when_one_of_its_letter_runs_is_not_in_the_lexicon(text, unknown):
    assert lexicon.is_unknown(text, KNOWN) == unknown


def test_an_unknown_word_takes_the_known_second_reading_of_its_place():
    first = words(("the", (0, 0, 30, 20)), ("Sehool", (40, 0, 110, 20)))
    second = words(("tbe", (0, 0, 30, 20)), ("School", (41, 1, 111, 21)))
    assert read(first, second) == ["the", "School"]  # a known first reading is never replaced


def test_a_word_run_together_is_parted_where_the_second_reading_parts_it():
    first = words(("wereseen", (0, 0, 100, 20)))
    second = words(("were", (0, 0, 48, 20)), ("seen", (55, 0, 100, 20)))
    assert read(first, second) == ["were", "seen"]


@pytest.mark.parametrize("second, why", [
    (words(("Sehoel", (40, 0, 110, 20))), "the second reading is no word either"),
    (words(("Senator", (40, 0, 110, 20))), "too different: garbage is not turned into a word"),
    (words(("School", (40, 0, 75, 20))), "it covers only half of the word's place"),
    (words(("School", (200, 0, 270, 20))), "it is somewhere else"),
    ([], "nothing read there"),
])
def test_the_first_reading_stays_unless_the_second_is_a_close_known_word_in_its_place(second, why):
    assert read(words(("Sehool", (40, 0, 110, 20))), second) == ["Sehool"], why


def test_a_split_reading_is_taken_only_when_every_part_is_known():
    first = words(("wiiltake", (0, 0, 100, 20)))
    assert read(first, words(("will", (0, 0, 45, 20)), ("take", (52, 0, 100, 20)))) == ["will", "take"]
    assert read(first, words(("wiil", (0, 0, 45, 20)), ("take", (52, 0, 100, 20)))) == ["wiiltake"]


def test_the_lexicon_is_unpacked_from_the_installed_model():
    english = lexicon.for_language("eng", tessdata_path())
    assert {"school", "because", "valuable"} <= english
    assert not {"Sehool", "beeause", "vaiuable"} & english


def test_a_model_without_a_word_list_gives_no_lexicon(tmp_path):
    # Script models and hand-trained ones may carry no word list: no second look, no failure.
    parts = tmp_path / "parts"
    parts.mkdir()
    subprocess.run(["combine_tessdata", "-u", str(Path(tessdata_path()) / "eng.traineddata"), f"{parts}/bare."],
                   check=True, capture_output=True)
    for dawg in parts.glob("*dawg"):
        dawg.unlink()
    subprocess.run(["combine_tessdata", f"{parts}/bare."], check=True, capture_output=True)
    (parts / "bare.traineddata").rename(tmp_path / "bare.traineddata")
    shutil.copy(Path(tessdata_path()) / "eng.traineddata", tmp_path)
    assert lexicon.for_language("bare", str(tmp_path)) is None
    assert lexicon.for_language("eng+bare", str(tmp_path)) is None


def test_without_the_unpacking_tools_there_is_no_lexicon(monkeypatch):
    monkeypatch.setattr(lexicon.shutil, "which", lambda tool: None)
    assert lexicon.for_language.__wrapped__("eng", tessdata_path()) is None


def test_only_the_rows_holding_unknown_words_are_read_again():
    lines = [Line(words(("the", (0, 10, 30, 30)))),
             Line(words(("Sehool", (0, 40, 60, 60)))),
             Line(words(("local", (0, 70, 50, 90)))),
             Line(words(("loeal", (0, 100, 50, 120)))),
             Line(words(("tbe", (0, 118, 30, 136)))),  # overlaps the row above: one row with it
             Line(words(("were", (0, 150, 40, 170))))]
    assert lexicon.rows_to_read_again(lines, 200, KNOWN) == [(35, 65), (95, 143)]
    assert lexicon.rows_to_read_again(lines[:1], 200, KNOWN) == []
    assert lexicon.rows_to_read_again(lines[1:3], 200, KNOWN) == [(0, 65)]  # from the top edge
