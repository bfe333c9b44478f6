"""A note store holding values of the wrong shape (forged, or from a bug): each counts as
missing, never trusted and never a traceback; the run answers as one without a cache."""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import run
from vaultlint.cache.shapes import matches, valid_summary

Vault = Callable[..., Path]
GARDEN = {
    "Focus.md": "---\ntitle: Focus\n---\nSee [[Soil#Compost]] and [[Seeds]] and [[Gone]].\n"
    "Le jardinn pousse.\n",
    "Soil.md": "---\ntitle: Soil\n---\n# Compost\nLe jardin aussi.\n",
    "Seeds.md": "---\ntitle: Seeds\n---\n# Seeds\nDes graines. ^bloc\n",
    "Other.md": "---\ntitle: Other\n---\nRien. Le jardin.\n",
}
SUMMARY = "UPDATE notes SET summary = ? WHERE path = 'Soil.md'"
FACTS = "UPDATE notes SET facts = ? WHERE path = 'Other.md'"
FINDINGS = "UPDATE findings SET diags = ? WHERE path = 'Other.md'"
CARRIED = "UPDATE meta SET v = json_set(v, '$.' || '{}', json('{}')) WHERE k = 'carried'"
FORGERIES: list[tuple[str, tuple[Any, ...]]] = [
    (SUMMARY, (json.dumps([{"Compost": 1}, [], True, None, [], [], []]),)),  # headings: a dict
    (SUMMARY, (json.dumps([["Compost"], [], True, None, [], [], [5]]),)),  # embed out of range
    (SUMMARY, (json.dumps([["Compost"], [], "yes", None, [], [], []]),)),
    (SUMMARY, (json.dumps([["Compost"], [], True, None, [], [["a"]], []]),)),
    (SUMMARY, ("[" * 100_000 + "]" * 100_000,)),
    (SUMMARY, (7,)),
    (FACTS, (json.dumps({"VL501": ["k", [1, 2, 3, 4]]}),)),
    (FACTS, (json.dumps({"VL501": ["k", ["fr", "a"]]}),)),  # three texts short: tally unpacks 4
    (FACTS, (json.dumps({"VL501": [3, ["fr", "", "", ""]]}),)),
    (FACTS, (json.dumps({"VL501": "x"}),)),
    ("UPDATE notes SET mtime = 'x'", ()),
    ("UPDATE notes SET ckey = 5", ()),
    ("UPDATE tally SET n = 'many'", ()),
    ("UPDATE tally SET n = -3", ()),
    ("UPDATE tally SET n = 1e300", ()),
    (CARRIED.format('"fit.titles"', '["a", "b"]'), ()),
    (CARRIED.format('"fit.titles"', "[1, 2, 3]"), ()),
    (CARRIED.format('"VL501.plan"', '[1, {"a": 2}]'), ()),
    ("UPDATE meta SET v = '[1]' WHERE k = 'carried'", ()),
    ("INSERT OR REPLACE INTO known VALUES ('fr', 'jardinn', 7)", ()),
    ("INSERT OR REPLACE INTO known VALUES ('fr', 'jardinn', 'ok')", ()),
    # a note's kept findings (``run/reuse.py``): rows of the wrong shape, another note's
    (FINDINGS, (json.dumps([[1, 2]]),)),
    (FINDINGS, ("[" * 100_000 + "]" * 100_000,)),
    (FINDINGS, (json.dumps([["Soil.md", 1, 1, 1, 2, "VL101", "x", "error", "m"] + [None] * 4]),)),
    (FINDINGS, (json.dumps([["Other.md", 0, 1, 1, 2, "VL101", "x", "error", "m"] + [None] * 4]),)),
    ("UPDATE findings SET key = 3", ()),
    ("UPDATE findings SET asks = 7", ()),
]


def report(root: Path, *args: str | Path) -> tuple[int, list[Any]]:
    result = run("check", root, "--output-format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def garden(vault: Vault) -> Path:
    root = vault(GARDEN)
    report(root)  # fills the store
    return root


@pytest.mark.parametrize(("sql", "args"), FORGERIES)
def test_a_wrong_shape_counts_as_missing(garden: Path, sql: str, args: tuple[Any, ...]) -> None:
    with contextlib.closing(sqlite3.connect(garden / ".vaultlint" / "notes.sqlite")) as db, db:
        db.execute(sql, args)
    for name in ("answers.json", "cache.json"):
        (garden / ".vaultlint" / name).unlink()
    focus = garden / "Focus.md"
    assert report(focus) == report(focus, "--no-cache")  # the store read by a partial run
    for name in ("answers.json", "cache.json"):
        (garden / ".vaultlint" / name).unlink(missing_ok=True)
    assert report(garden) == report(garden, "--no-cache")


def test_summary_shapes() -> None:
    good = [["H"], ["b"], True, "T", ["a"], [["X", ""], ["Y", "h"]], [1]]
    assert valid_summary(good)
    assert not valid_summary([*good[:6], [2]])
    assert not valid_summary([*good[:6], [True]])  # a bool is not a position
    assert not valid_summary(good[:6])


def test_fact_shapes_follow_the_annotation() -> None:
    assert matches(["a", "b"], list[str])
    assert not matches(["a", 1], list[str])
    assert matches({"a": [1, 2]}, dict[str, list[int]])
    assert not matches({"a": [1, 2.5]}, dict[str, list[int]])
    assert matches(None, int | None) and not matches(True, int)
    assert matches([1, "x"], tuple[int, str]) and not matches([1], tuple[int, str])
    assert not matches(10**400, int)


def _words(notes: int, seed: int) -> dict[str, str]:
    """Notes of common words, some with a slip the vault repeats ("gardne", "flowre")."""
    pick = random.Random(seed)
    words = [
        "the",
        "quick",
        "brown",
        "fox",
        "jumps",
        "over",
        "lazy",
        "dog",
        "garden",
        "house",
        "river",
        "window",
        "paper",
        "music",
        "forest",
        "summer",
        "morning",
        "friend",
        "family",
        "teacher",
        "market",
        "city",
        "table",
        "kitchen",
        "train",
        "ticket",
        "bread",
        "water",
        "light",
        "shadow",
        "stone",
        "flower",
    ]
    slips = ["gardne", "flowre", "recieve", "becuase", "", "", "", ""]
    return {
        f"Note {i}.md": f"# Note {i}\n\nThe {' '.join(pick.choice(words) for _ in range(12))} "
        f"{pick.choice(slips)} end.\n\nSee [[Note {pick.randint(1, notes)}]].\n"
        for i in range(1, notes + 1)
    }


def _forge(root: Path, sql: str, *args: Any) -> None:
    with contextlib.closing(sqlite3.connect(root / ".vaultlint" / "notes.sqlite")) as db, db:
        db.execute(sql, args)
    for name in ("answers.json", "cache.json"):
        (root / ".vaultlint" / name).unlink(missing_ok=True)


def test_a_damaged_facts_row_does_not_blank_the_counts_of_a_partial_run(vault: Vault) -> None:
    # the save before the checks resets the counts a damaged row went into: a partial run
    # that read them lazily found every word of the vault unknown
    notes = _words(60, 1)
    root = vault({**notes, ".vaultlint.yaml": "rules:\n  typo:\n    min-notes: 4\n"})
    report(root)
    forged = [name for name, text in notes.items() if "gardne" in text][:3]
    _forge(root, FACTS.replace("Other.md", forged[0]), json.dumps({"VL501": ["x", 5]}))
    for name in forged:
        assert report(root / name) == report(root / name, "--no-cache")
    assert report(root) == report(root, "--no-cache")


def test_a_damaged_summary_row_leaves_the_stored_counts_true(vault: Vault) -> None:
    # the note re-read for its damaged summary was counted again without its old keys taken
    # away: "gardne", a typo in k notes with min-notes k + 1, became a word of the vault
    notes = _words(60, 1)
    using = [name for name, text in notes.items() if "gardne" in text]
    config = f"rules:\n  typo:\n    min-notes: {len(using) + 1}\n"
    root = vault({**notes, ".vaultlint.yaml": config})
    report(root)
    _forge(root, SUMMARY.replace("Soil.md", using[0]), "[1]")
    assert report(root) == report(root, "--no-cache")
    _forge(root, "SELECT 1")  # the stored answers go: the next run reads the store
    assert report(root / using[1]) == report(root / using[1], "--no-cache")
