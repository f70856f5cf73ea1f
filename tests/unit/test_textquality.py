from pathlib import Path

from eulereye.textquality import DICTIONARY, dictionary_share, dictionary_words, mean_confidence

SMALL = frozenset({"the", "fire", "spread", "county"})


def test_share_counts_words_with_letters_ignoring_case_punctuation_and_possessives():
    assert dictionary_share(["The", "fire,", "County's", "spreed", "1895.", "--"], SMALL) == 3 / 4


def test_share_is_none_without_words_or_dictionary():
    assert dictionary_share(["1895", "..."], SMALL) is None
    assert dictionary_share(["the"], frozenset()) is None


def test_the_system_dictionary_is_installed_and_knows_english():
    # scripts/install-system-deps.sh installs Debian's wamerican
    assert "newspaper" in dictionary_words(DICTIONARY)
    assert dictionary_share("The President's message was read in Congress today .".split()) == 1.0
    assert dictionary_words(Path("/nonexistent/words")) == frozenset()


def test_mean_confidence():
    assert mean_confidence([90.0, 70.0]) == 80.0
    assert mean_confidence([]) is None
