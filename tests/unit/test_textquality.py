from eulereye.textquality import dictionary_share, mean_confidence

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
