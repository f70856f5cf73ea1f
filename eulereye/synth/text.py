"""Newspaper-like English with known content: sentences, paragraphs, headlines, adverts.

Every function takes a numpy ``Generator`` so a page's text follows from its seed alone.
"""

from __future__ import annotations

import numpy as np

from eulereye.synth import vocabulary as v


def _pick(rng: np.random.Generator, words: list[str]) -> str:
    return words[int(rng.integers(len(words)))]


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    return noun + "s"


def person(rng: np.random.Generator) -> str:
    if rng.random() < 0.5:
        return f"{_pick(rng, v.TITLES)} {_pick(rng, v.SURNAMES)}"
    return f"{_pick(rng, v.FIRST_NAMES)} {_pick(rng, v.SURNAMES)}"


def place(rng: np.random.Generator) -> str:
    return _pick(rng, v.PLACE_STARTS) + _pick(rng, v.PLACE_ENDS)


def date(rng: np.random.Generator) -> str:
    return f"{_pick(rng, v.MONTHS)} {int(rng.integers(1, 29))}, {int(rng.integers(1860, 1915))}"


def _noun_phrase(rng: np.random.Generator) -> str:
    roll = rng.random()
    if roll < 0.15:
        return person(rng)
    if roll < 0.25:
        return f"{int(rng.integers(2, 400))} {_plural(_pick(rng, v.COUNT_NOUNS))}"
    article = "the" if rng.random() < 0.7 else "a"
    if rng.random() < 0.5:
        phrase = f"{article} {_pick(rng, v.ADJECTIVES)} {_pick(rng, v.NOUNS)}"
    else:
        phrase = f"{article} {_pick(rng, v.NOUNS)}"
    if article == "a" and phrase[2] in "aeiou":
        phrase = "an" + phrase[1:]
    return phrase


def _clause(rng: np.random.Generator) -> str:
    parts = [_noun_phrase(rng), _pick(rng, v.PAST_VERBS), _noun_phrase(rng)]
    if rng.random() < 0.6:
        parts += [_pick(rng, v.PREPOSITIONS), _noun_phrase(rng)]
    if rng.random() < 0.2:
        parts.insert(1, _pick(rng, v.ADVERBS))
    if rng.random() < 0.25:
        parts += ["at", place(rng)]
    if rng.random() < 0.1:
        parts += ["on", date(rng)]
    return " ".join(parts)


def sentence(rng: np.random.Generator) -> str:
    text = _clause(rng)
    roll = rng.random()
    if roll < 0.3:
        text += f", {_pick(rng, v.CONJUNCTIONS)} {_clause(rng)}"
    elif roll < 0.38:
        text += f"; {_clause(rng)}"
    if rng.random() < 0.1:
        text = f"{_pick(rng, ['Last week', 'On Monday', 'At last', 'It is said that', 'As expected'])}, {text}"
    return text[0].upper() + text[1:] + "."


def paragraph(rng: np.random.Generator) -> list[str]:
    """A paragraph as a list of words (punctuation attached)."""
    sentences = [sentence(rng) for _ in range(int(rng.integers(2, 6)))]
    return " ".join(sentences).split()


def headline(rng: np.random.Generator) -> str:
    roll = rng.random()
    if roll < 0.35:
        text = f"{_pick(rng, v.ADJECTIVES)} {_pick(rng, v.NOUNS)} {_pick(rng, v.PAST_VERBS)} at {place(rng)}"
    elif roll < 0.6:
        text = f"the {_pick(rng, v.NOUNS)} {_pick(rng, v.PAST_VERBS)} {_pick(rng, v.PREPOSITIONS)} the {_pick(rng, v.NOUNS)}"
    elif roll < 0.8:
        text = f"{person(rng)} {_pick(rng, v.PAST_VERBS)} {_noun_phrase(rng)}"
    else:
        text = f"news from {place(rng)}"
    return text.upper()


def masthead_title(rng: np.random.Generator) -> str:
    return f"THE {place(rng).upper()} {_pick(rng, v.PAPER_NAMES).upper()}"


def dateline(rng: np.random.Generator) -> tuple[str, str, str]:
    """The strip under a masthead: volume (left), day (centre), number (right)."""
    volume = f"VOL. {int(rng.integers(1, 40))}."
    day = f"{_pick(rng, v.WEEKDAYS).upper()}, {date(rng).upper()}."
    return volume, day, f"NO. {int(rng.integers(1, 52))}."


def advert(rng: np.random.Generator) -> list[str]:
    """An advert's lines: a call, goods on offer, the seller and an address."""
    goods = rng.choice(v.ADVERT_GOODS, size=3, replace=False)
    return [
        _pick(rng, v.ADVERT_CALLS),
        f"{goods[0].capitalize()}, {goods[1]} and {goods[2]}",
        f"{_pick(rng, v.SURNAMES)} and {_pick(rng, v.SURNAMES)}",
        f"{int(rng.integers(2, 300))} Main Street, {place(rng)}",
    ]
