"""The vault's accepted words: ``.vaultlint-words.txt`` at its root, kept sorted and unique."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from vaultlint.disk.writer import replace_text
from vaultlint.spelling.speller import WORD_LIST

HEADER = "# Words the typo rules accept in this vault (one a line; `vaultlint words add WORD`).\n"


class NotAWord(ValueError):
    """A word to accept that no note could hold as one word (spaces, a line break, a ``#``)."""


def add_words(root: Path, words: Iterable[str]) -> list[str]:
    """Add ``words`` to the vault's word list; return those that were new. The file's comment
    lines stay at the top; the words follow, sorted (case aside) and deduplicated.
    ``NotAWord`` (nothing written) for a word holding whitespace or starting with ``#``."""
    words = [w.strip() for w in words]
    for word in words:
        if not word or word.startswith("#") or any(c.isspace() for c in word):
            raise NotAWord(f"not a single word: {word!r}")
    path = root / WORD_LIST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = HEADER
    lines = text.splitlines()
    comments = [line for line in lines if line.startswith("#")]
    present = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    wanted = {w.strip() for w in words if w.strip() and not w.strip().startswith("#")}
    new = sorted(wanted - present, key=_order)
    if new or text != _render(comments, present):
        replace_text(path, _render(comments, present | wanted))
    return new


def _order(word: str) -> tuple[str, str]:
    return (word.casefold(), word)


def _render(comments: list[str], words: set[str]) -> str:
    return "".join(f"{line}\n" for line in [*comments, *sorted(words, key=_order)])
