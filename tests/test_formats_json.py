"""The JSON output written item by item is the same text as the standard library's indented encoder."""

from __future__ import annotations

import json
import random
from typing import Any

from vaultlint.cli.formats import format_json, to_dict
from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.engine.rule import Fix, Safety, Severity
from vaultlint.model.note import Position


def _reference(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([to_dict(d) for d in diagnostics], indent=2, ensure_ascii=False, default=str)


_TEXTS = [
    "",
    "plain",
    'quote " and backslash \\ and slash /',
    "new\nline\r\ttab \x00 nul \x1b[31m escape \x7f del \x85 nel",
    "line sep \u2028 para sep \u2029",
    "non-ASCII: é ß 日本語 🙂 \ufeff",
    "lone surrogate \udcff",
    "[[Note#Heading|alias]] and `code`",
]


class _Odd:
    def __str__(self) -> str:
        return "odd \u00e9"


def _data(rng: random.Random) -> dict[Any, Any] | None:
    shapes: list[dict[Any, Any] | None] = [
        None,
        {},
        {"word": rng.choice(_TEXTS)},
        {"n": 3, "ratio": 0.25, "ok": True, "none": None},
        {"list": [1, "two", [], {}], "nested": {"a": {"b": [rng.choice(_TEXTS)]}}},
        {"odd": _Odd(), 7: "int key"},
    ]
    return rng.choice(shapes)


def _diagnostic(rng: random.Random) -> Diagnostic:
    fix = None
    if rng.random() < 0.5:
        fix = Fix(rng.choice(_TEXTS), (), rng.choice(list(Safety)))
    return Diagnostic(
        rng.choice(_TEXTS) + ".md",
        Position(rng.randint(1, 10**6), rng.randint(1, 500)),
        Position(rng.randint(1, 10**6), rng.randint(1, 500)),
        rng.choice(["VL001", "VL1\u00e9"]),
        rng.choice(["broken-link", "typo"]),
        rng.choice(list(Severity)),
        rng.choice(_TEXTS) + " " + rng.choice(_TEXTS),
        fix,
        rng.choice(_TEXTS),
        _data(rng),
    )


def test_empty_list() -> None:
    assert format_json([]) == _reference([])


def test_same_text_as_the_library_encoder() -> None:
    rng = random.Random(19)
    for size in (1, 2, 5, 40, 300):
        diagnostics = [_diagnostic(rng) for _ in range(size)]
        assert format_json(diagnostics) == _reference(diagnostics)


def test_every_text_in_every_field() -> None:
    for text in _TEXTS:
        d = Diagnostic(
            text,
            Position(1, 2),
            Position(3, 4),
            text,
            text,
            Severity.WARNING,
            text,
            Fix(text, (), Safety.SAFE),
            text,
            {text: text},
        )
        assert format_json([d]) == _reference([d])
        assert json.loads(format_json([d]))[0]["message"] == text


def test_values_of_other_types_as_the_library_writes_them() -> None:
    odd: Any = _Odd()
    d = Diagnostic(
        odd,
        Position(True, 2),
        Position(3, odd),
        "VL001",
        "typo",
        Severity.INFO,
        odd,
        Fix(odd, (), Safety.UNSAFE),
    )
    assert format_json([d, d]) == _reference([d, d])
