"""The fix engine with stand-in rules: overlap, atomic fixes, fixed point, cycles, refusals."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path

from conftest import note_from
from vaultlint.edit.apply import apply_fixes
from vaultlint.engine.config import Config
from vaultlint.engine.lint import Linter
from vaultlint.engine.rule import (
    Edit,
    Fix,
    FixAvailability,
    RuleMeta,
    RuleOptions,
    Safety,
    Violation,
)
from vaultlint.model.note import Note, Span
from vaultlint.vault.view import Vault


def make_rule(code: str, check: object, name: str | None = None) -> types.ModuleType:
    module = types.ModuleType(f"fake_{code}")
    module.META = RuleMeta(
        code=code, name=name or f"fake-{code.lower()}", summary="x", fix=FixAvailability.ALWAYS
    )  # type: ignore[attr-defined]
    module.Options = RuleOptions  # type: ignore[attr-defined]
    module.check = check  # type: ignore[attr-defined]
    module.__doc__ = "stand-in"
    return module


def fix_with(
    text: str, *rules: types.ModuleType, unsafe: bool = False
) -> tuple[str, str | None, int]:
    note = note_from(text)
    engine = Linter(Config(select=("ALL",)), rules=rules)  # type: ignore[arg-type]
    vault = Vault.build(Path("."), {note.path: note}, [note.path])
    outcome = engine.fix_note(note, vault, unsafe)
    return outcome.after.text, outcome.error, outcome.applied


def test_apply_fixes_skips_overlaps_and_keeps_fixes_atomic() -> None:
    a = Fix("a", (Edit(0, 3, "AAA"), Edit(10, 11, "!")))
    b = Fix("b", (Edit(2, 5, "BBB"),))  # overlaps a: skipped as a whole
    c = Fix("c", (Edit(6, 7, "C"),))
    text, applied = apply_fixes("0123456789xyz", [b, a, c])
    assert text == "AAA345C789!yz"
    assert [f.title for f in applied] == ["a", "c"]


def test_identical_edits_from_two_violations_apply_once() -> None:
    fix = Fix("t", (Edit.insert(0, "x"),))
    text, applied = apply_fixes("abc", [fix, Fix("t2", (Edit.insert(0, "x"),))])
    assert text == "xabc" and len(applied) == 2


def test_fixed_point_over_several_passes() -> None:
    def check(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
        if note.text.count("!") < 3:
            yield Violation(Span(0, 0), "more", Fix("bang", (Edit.insert(len(note.text), "!"),)))

    text, error, applied = fix_with("hi", make_rule("VL901", check))
    assert (text, error, applied) == ("hi!!!", None, 3)


def test_unsafe_fixes_need_the_flag() -> None:
    def check(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
        if "x" not in note.text:
            yield Violation(Span(0, 0), "m", Fix("x", (Edit.insert(0, "x"),), Safety.UNSAFE))

    assert fix_with("a", make_rule("VL901", check))[0] == "a"
    assert fix_with("a", make_rule("VL901", check), unsafe=True)[0] == "xa"


def test_cycle_is_detected_and_nothing_changes() -> None:
    def flip(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
        new = "b" if note.text == "a" else "a"
        yield Violation(Span(0, 1), "flip", Fix("flip", (Edit(0, 1, new),)))

    text, error, applied = fix_with("a", make_rule("VL901", flip))
    assert text == "a" and applied == 0
    assert error is not None and "did not converge" in error


def test_loop_limit() -> None:
    def grow(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
        yield Violation(Span(0, 0), "grow", Fix("grow", (Edit.insert(0, "x"),)))

    text, error, _ = fix_with("a", make_rule("VL901", grow))
    assert text == "a" and error is not None and "after 10 passes" in error


def test_fix_that_breaks_frontmatter_is_refused() -> None:
    def breaker(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
        yield Violation(Span(0, 0), "bad", Fix("break yaml", (Edit.insert(4, "a: [\n"),)))

    text, error, _ = fix_with("---\nb: 1\n---\nbody", make_rule("VL901", breaker))
    assert text == "---\nb: 1\n---\nbody"
    assert error == "fix 'break yaml' not applied: the result would have invalid YAML frontmatter"


def test_fix_that_removes_frontmatter_is_refused() -> None:
    def remover(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
        yield Violation(Span(0, 0), "bad", Fix("drop", (Edit(0, 3, "==="),)))

    text, error, _ = fix_with("---\nb: 1\n---\nbody", make_rule("VL901", remover))
    assert text.startswith("---") and error is not None and "lose its frontmatter" in error


def test_two_rules_fix_in_one_run() -> None:
    def first(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
        if not note.text.startswith("A"):
            yield Violation(Span(0, 0), "a", Fix("a", (Edit.insert(0, "A"),)))

    def last(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
        if not note.text.endswith("Z"):
            yield Violation(Span(0, 0), "z", Fix("z", (Edit.insert(len(note.text), "Z"),)))

    assert fix_with("mid", make_rule("VL901", first), make_rule("VL902", last))[0] == "AmidZ"
