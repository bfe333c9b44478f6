"""A note store holding values of the wrong shape (forged, or from a bug): each counts as
missing, never trusted and never a traceback; the run answers as one without a cache."""

from __future__ import annotations

import contextlib
import json
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
