"""The text output, written at once when nothing in it needs escaping, is the same as line by line."""

from __future__ import annotations

import random

from test_formats_json import _diagnostic

from vaultlint.cli.formats import format_text, printable
from vaultlint.engine.diagnostic import Diagnostic


def _line_by_line(diagnostics: list[Diagnostic], prefix: str) -> str:
    return "\n".join(
        f"{printable(f'{prefix}{d.path}:{d.start.line}:{d.start.column}:')} {d.code} [{d.rule}] "
        f"{printable(d.message)}{' [*]' if d.fixable else ''}"
        for d in diagnostics
    )


def test_same_text_with_and_without_control_characters() -> None:
    rng = random.Random(19)
    for size in (0, 1, 3, 50, 400):
        diagnostics = [_diagnostic(rng) for _ in range(size)]
        for prefix in ("", "vault/"):
            assert format_text(diagnostics, False, prefix) == _line_by_line(diagnostics, prefix)
        for d in diagnostics:  # nothing to escape: the text written at once
            d.path, d.message = "a/b é.md", 'broken "link" 日本'
        assert format_text(diagnostics, False) == _line_by_line(diagnostics, "")


def test_a_control_character_is_escaped() -> None:
    rng = random.Random(3)
    d = _diagnostic(rng)
    d.path, d.message = "a\x1b[31m.md", "line\nbreak"
    text = format_text([d], False)
    assert "\x1b" not in text and "\n" not in text
    assert "a\\x1b[31m.md:" in text and "line\\nbreak" in text


def test_a_newline_alone_is_escaped() -> None:
    rng = random.Random(4)
    diagnostics = [_diagnostic(rng) for _ in range(3)]
    for d in diagnostics:
        d.path, d.message = "a.md", "plain"
    diagnostics[1].message = "two\nlines"
    text = format_text(diagnostics, False)
    assert text == _line_by_line(diagnostics, "")
    assert text.count("\n") == 2 and "two\\nlines" in text
