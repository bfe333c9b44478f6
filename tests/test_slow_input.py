"""Hostile notes cost linear time and bounded memory: one long line of a repeated pattern,
at 20 KB and 100 KB, is read well inside a bound far above the linear cost (a fraction of a
second) and far below what the quadratic versions took (seconds to minutes, or out of memory).
Each case runs in a child process, so a regression fails the test instead of hanging it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import note_from
from vaultlint.edit import yamledit
from vaultlint.engine.registry import find_rule
from vaultlint.parse.frontmatter import same_data
from vaultlint.parse.prose import candidate

Vault = Callable[..., Path]
BOUND = 10.0  # seconds for both sizes of one pattern; the linear cost is well under one
MEMORY = 2 << 30  # bytes of address space for the child: the old typo rule wanted 13 GB

# note body made of one line of each pattern, as the hostile test wrote them
PATTERNS = {
    "markdown link opened": "'[a](' * n",
    "destination opened": "'](' * n",
    "angle destination opened": "'a](<' * n",
    "url link opened": "'[a](a:' * n",
    "liquid opened": "'{{' * n",
    "liquid tag opened": "'{%' * n",
    "templater opened": "'<%' * n",
    "html comment opened": "'<!--' * n",
    "footnote opened": "'[^' * n",
    "heading with blanks": "'# a' + ' ' * (4 * n) + 'b'",
    "e-mail local part": "'a.' * (2 * n) + '@'",
}


def _child(script: str, bound: float = BOUND) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=bound,
        preexec_fn=limit,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_scanner_and_prose_are_linear(pattern: str) -> None:
    script = f"""
        from vaultlint.parse.note import parse_note
        from vaultlint.parse.prose import prose, words
        from vaultlint.parse.decode import from_text
        for size in (20_000, 100_000):
            n = size // 4
            note = parse_note("n.md", from_text("---\\ntitle: x\\n---\\n" + {PATTERNS[pattern]} + "\\n"))
            prose(note)
            words(note)
        print("done")
    """
    result = _child(script)
    assert result.stdout == "done\n", result.stderr[-500:]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("'b' + 'a' * size", 0),  # one long word
        ("''.join('acgt'[(i * i + i // 7) % 4] for i in range(size))", 0),  # a DNA sequence
        ("'[' + 'a' * size + ']('", 0),
        ('"a\'" * (size // 2)', 0),
        # a typo with an English reading, on one long French line: each occurrence looked
        # for quotes and the previous word from the start of the line
        ("'Il faut une connection. ' * (size // 24)", 1),
    ],
)
def test_typo_rule_bounds_long_words(body: str, code: int, tmp_path: Path) -> None:
    script = f"""
        import pathlib, subprocess, sys
        for size in (20_000, 100_000):
            root = pathlib.Path({str(tmp_path)!r}) / str(size)
            root.mkdir()
            (root / "n.md").write_text("---\\ntitle: x\\nlang: fr\\n---\\n" + {body} + "\\n")
            from vaultlint.cli.main import main
            try:
                main(["check", "--no-cache", "-q", "--select", "typo", str(root)])
            except SystemExit as stop:
                print("exit", stop.code)
    """
    result = _child(script, 3 * BOUND)  # two whole runs of the command
    exits = [line for line in result.stdout.splitlines() if line.startswith("exit ")]
    assert exits == [f"exit {code}"] * 2, result.stderr[-500:]


def test_no_word_longer_than_any_dictionary_word_is_judged() -> None:
    assert candidate("anticonstitutionnellement")
    assert not candidate("b" + "a" * 60)


def _count_verifications(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = yamledit.verified

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    import vaultlint.rules.frontmatter_tags_format as module

    monkeypatch.setattr(module, "verified", counting)
    return calls


@pytest.mark.parametrize("item", ["  - #a\n", "  - a b\n"])
def test_tag_items_are_fixed_with_one_verification(
    item: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_verifications(monkeypatch)
    rule = find_rule("frontmatter-tags-format")
    assert rule is not None
    note = note_from("---\ntitle: x\ntags:\n" + item * 2000 + "---\n")
    found = list(rule.check(note, None, rule.Options()))  # type: ignore[arg-type]
    assert len(found) == 2000
    assert len(calls) == 1  # the frontmatter is parsed again once, not once per item
    assert all(v.fix is not None and v.fix == found[0].fix for v in found)
    assert len(found[0].fix.edits) == 2000  # type: ignore[union-attr]


def test_alias_bomb_is_compared_without_expanding() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    note = note_from("---\n" + "\n".join(lines) + "\n---\nbody\n")
    rule = find_rule("missing-title")
    assert rule is not None
    found = list(rule.check(note, None, rule.Options()))  # type: ignore[arg-type]
    assert found and found[0].fix is not None  # 9**12 paths: == would never return
    same = note.data
    assert same_data(same, note_from(note.text).data)
    assert not same_data(same, {**same, "a0": ["lol"]})
    assert not same_data([1, [2]], [1, (2,)])
    assert same_data({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]})
