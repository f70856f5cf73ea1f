from eulereye.textmetrics import cer, normalise


def test_historic_characters_compare_equal_to_modern_ones():
    assert normalise("Waſſer uͤber\ue8a0 die Bruͤ⸗\ncke") == "Wasser über die Brücke"


def test_cer_is_edit_distance_over_truth_length():
    assert cer("the cat", "the cat") == 0.0
    assert cer("the bat", "the cat") == 1 / 7
    assert cer("", "") == 0.0 and cer("x", "") == 1.0


def test_reading_across_columns_costs_even_when_every_word_is_right():
    columns = "alpha beta gamma delta\n\nepsilon zeta eta theta"
    across = "alpha beta epsilon zeta\n\ngamma delta eta theta"
    assert cer(across, columns) > 0.3
