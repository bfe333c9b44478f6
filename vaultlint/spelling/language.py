"""Which language a note or a passage is written in, from its function words.

Each language has a short list of its commonest function words; a token counts for every
language that lists it, shared between them (``de`` is French, Spanish, Portuguese and Dutch).
Function words make up about half of running prose, so a few dozen words tell a language
reliably; below ``MIN_SCORE`` points, or when two languages score close, nothing is said
(``None``) and the caller falls back on what it knows (the vault's main language).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaultlint.model.note import Note


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "fr": _words(
        "de le la les des en un à est une dans pour pas qui que avec sur mais nous vous sont cette aux du "
        "au et il elle ce ces son sa ses ne plus tout être fait comme ou je on lui leur très "
        "aussi même bien peut sans entre été avoir où donc quand c'est qu'il d'un d'une "
        "l'on n'est j'ai"
    ),
    "en": _words(
        "the and of to is in that it for with was on are this be as not you have from by or "
        "but an they which we can will your at has had were their there what all would been "
        "if more when who so it's don't i'm"
    ),
    "de": _words(
        "der die das und ist nicht ein eine zu den von in mit sich des auf für im dem auch es als "
        "an werden wird sind bei oder aus wie wenn nur noch nach kann über ich wir sie hat "
        "einer einen durch dass zum zur man diese dieser"
    ),
    "es": _words(
        "de el los las del que y en un una es por con para no se lo como más pero sus le al está "
        "son también fue ha este esta entre cuando muy sin sobre ser tiene hay todo puede "
        "estos pueden"
    ),
    "it": _words(
        "il lo la gli le di che è e a in un una per non con del della dei delle sono si da nel "
        "nella al alla ma come più anche questo questa ha essere tra quando molto perché "
        "anche può degli"
    ),
    "pt": _words(
        "de a o os as do da dos das que e é um uma para com não em no na se por mais como mas ao "
        "foi são também ele ela seu sua entre isso está pelo pela muito quando já"
    ),
    "nl": _words(
        "de het een en van is dat in op te met voor niet zijn aan er die ook als maar bij om "
        "dan wordt nog wel dit naar uit kan worden of heeft over door geen zo"
    ),
}
LANGUAGES: tuple[str, ...] = ("fr", "en", "de", "es", "it", "pt", "nl")
MIN_SCORE = 3.0  # points (a token unique to one language is worth 1)
MARGIN = 1.5  # the winner must score this many times the runner-up
# Function words are a quarter to a half of running prose; a language scattered at a few per
# cent of the tokens is chance overlap with an unlisted language ("en", "de" in Swedish).
MIN_SHARE = 0.1
_TOTAL = ""  # the key under which ``scores`` counts the tokens

_WEIGHTS: dict[str, list[tuple[str, float]]] = {}
for _lang, _listed in STOPWORDS.items():
    for _word in _listed:
        _WEIGHTS.setdefault(_word, []).append((_lang, 0.0))
for _word, _entries in _WEIGHTS.items():
    _WEIGHTS[_word] = [(lang, 1.0 / len(_entries)) for lang, _ in _entries]


def scores(tokens: Iterable[str], candidates: Sequence[str] = LANGUAGES) -> dict[str, float]:
    """Each candidate language's points over ``tokens`` (any case); key ``""``: the tokens."""
    # one casefold of all the tokens joined, not one per token
    return folded_scores(" ".join(tokens).casefold().replace("’", "'").split(), candidates)


def folded_scores(lowered: list[str], candidates: Sequence[str] = LANGUAGES) -> dict[str, float]:
    """``scores`` of tokens already case-folded, with ``'`` for ``’``."""
    # the function words among them picked and counted in C, then weighed
    found: dict[str, float] = {_TOTAL: float(len(lowered))}
    wanted = set(candidates)
    for token, n in Counter(filter(_WEIGHTS.__contains__, lowered)).items():
        for lang, weight in _WEIGHTS[token]:
            if lang in wanted:
                found[lang] = found.get(lang, 0.0) + n * weight
    return found


class _NonLetters(dict[int, int]):
    """A ``str.translate`` table turning every character but a letter (what ``[^\\W\\d_]``
    matches: alphanumeric, not a decimal digit) into a space, filled as characters are met."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        value = code if char.isalnum() and not char.isdecimal() else 32
        self[code] = value
        return value


_NON_LETTERS = _NonLetters()


def folded_letter_runs(text: str) -> list[str]:
    """The runs of letters of ``text``, as ``re.findall(r"[^\\W\\d_]+", text)`` finds them,
    case-folded: one translation and one fold of the whole text, not a regex and a fold of
    the words joined again (case-folding adds no blank, so each run stays one token)."""
    return text.translate(_NON_LETTERS).casefold().split()


def language_of(
    tokens: Iterable[str],
    candidates: Sequence[str] = LANGUAGES,
    min_score: float = MIN_SCORE,
    margin: float = MARGIN,
) -> str | None:
    """The language of a note or passage given as its words (``None``: too little to tell).

    Only the ``candidates`` compete; a language outside them is never answered. A short
    quotation may be told with a lower ``min_score``; a ``margin`` of 1 names the main
    language of a text written in two."""
    return decide(scores(tokens, candidates), min_score, margin)


def decide(
    points: dict[str, float], min_score: float = MIN_SCORE, margin: float = MARGIN
) -> str | None:
    """``language_of`` from the ``scores`` already counted."""
    points = dict(points)
    total = points.pop(_TOTAL)
    ranked = sorted(points.items(), key=lambda item: -item[1])[:2]
    if not ranked or ranked[0][1] < max(min_score, MIN_SHARE * total):
        return None
    if len(ranked) == 2 and (ranked[0][1] < margin * ranked[1][1] or ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


# A language code (``fr``, ``en-GB``, ``pt_BR``): a note's ``lang:`` names a dictionary file,
# so anything else (``../../tmp/x``) is not a language.
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?")


def declared_language(note: Note) -> str:
    """The note's ``lang:`` (or ``language:``) property as a bare code (``fr-CA`` -> ``fr``);
    ``""`` when it has none, or one that is not a language code (never a path)."""
    for key in ("lang", "language"):
        value = note.data.get(key)
        if isinstance(value, str) and LANGUAGE_CODE.fullmatch(value.strip().lower()):
            return value.strip().lower().replace("-", "_").split("_")[0]
    return ""


def language_of_note(
    note: Note, candidates: Sequence[str] = LANGUAGES, text: str | None = None
) -> str | None:
    """The language of a note: its ``lang:`` property, else the one its prose tells
    (``None``: too little prose to tell). ``text``: the note's ``prose_text``, when the
    caller has it already."""
    from vaultlint.parse.prose import (  # prose needs the scanner; detection from words does not
        opening_of,
        prose,
    )

    declared = declared_language(note)
    if declared:
        return declared
    opening = prose(note).opening if text is None else opening_of(text)
    return language_of(opening, candidates)
