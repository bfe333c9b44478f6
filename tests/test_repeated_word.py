"""The repeated-word rule (VL503): doubled words found and dropped, deliberate repeats kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run, run_json

Vault = Callable[..., Path]


def repeats(vault: Vault, body: str) -> list[str]:
    root = vault({"Note.md": "---\ntitle: Note\n---\n" + body})
    return [d["message"] for d in run_json(root, "--select", "repeated-word")]


def test_doubled_words_are_found_and_fixed(vault: Vault) -> None:
    body = "We read the the pages pages of the book.\nLe le chat dort.\n"
    root = vault({"Note.md": "---\ntitle: Note\n---\n" + body})
    found = [
        (d["line"], d["column"], d["message"]) for d in run_json(root, "--select", "repeated-word")
    ]
    assert found == [
        (4, 9, 'repeated word "the" ("the the")'),
        (4, 17, 'repeated word "pages" ("pages pages")'),
        (5, 1, 'repeated word "Le" ("Le le")'),
    ]
    run("check", root, "--select", "repeated-word", "--fix")
    assert (
        (root / "Note.md").read_text().endswith("We read the pages of the book.\nLe chat dort.\n")
    )


@pytest.mark.parametrize(
    "body",
    [
        "Nous nous levons tôt, vous vous couchez tard.\n",
        "Tout en en parlant, il a compris.\n",
        "Un accord gagnant gagnant pour tous.\n",
        "He had had enough, and I know that that is true.\n",
        "Die Frauen, die die Welt verändern.\n",
        "Le code `the the` et [[the]] the lien.\n",
        "the\nthe\n",
        "**the** the\n",
        "a a b\n",
    ],
)
def test_deliberate_repeats_and_markup_are_left_alone(vault: Vault, body: str) -> None:
    assert repeats(vault, body) == []


@pytest.mark.parametrize(
    "body",
    [
        "move move move, every day\n",
        "Le ET et le OU.\n",
        "Est-ce que Tout tout le temps\n",
        "Chant Hare Hare Rama with the group.\n",
        "The book Dalael lil lil Abu was read.\n",
        "Run “mount -t proc proc /proc” again.\n",
        "The words הין הין are Hebrew.\n",
        "I was hoping for for a long time.\n",
    ],
)
def test_emphasis_is_left_alone(vault: Vault, body: str) -> None:
    assert repeats(vault, body) == []


def test_a_capital_at_the_start_of_a_sentence_still_counts(vault: Vault) -> None:
    assert repeats(vault, "It works. The the end.\n") == ['repeated word "The" ("The the")']


def test_a_note_language_is_told_once_however_many_repeats(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vaultlint.rules.repeated_word as rule

    told: list[str] = []
    real = rule.language_of_note

    def counting(note: object, *args: object, **kwargs: object) -> str | None:
        told.append(getattr(note, "path", ""))
        return real(note, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rule, "language_of_note", counting)
    body = "".join(f"Line {i}: we read the the book.\n" for i in range(50))
    assert len(repeats(vault, body)) == 50
    assert told == ["Note.md"]  # telling the language reads the whole note: once, not 50 times
