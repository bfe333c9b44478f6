"""The proof that run modes cannot disagree: the same vault, linted in one process, by forked
workers, by a team of workers and as a partial run from the store, gives the same findings."""

from __future__ import annotations

import os
import types
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import LINK_FORMS, NOW, write_vault
from runmodes import MODES, Found, lint, run_engine
from vaultlint.engine.registry import builtin_rules
from vaultlint.engine.rule import RuleMeta, RuleOptions, Severity, Violation
from vaultlint.model.note import Note, Span
from vaultlint.vault.view import Vault, link_name

T = "---\ntitle: t\n---\n"
LINKS: dict[str, str | bytes] = {
    **LINK_FORMS,
    "other.md": "[[src#Local]] [[src#Gone]] [[Target#Sub]] [[Nope too]]\n",
    "untitled.md": "# Heading\n[[Target]]\n",
    "stale.md": "---\ntitle: s\nupdated: 2020-01-02\n---\n#Afairepousser [[Nope]]\n",
    "old.md": "---\ntitle: o\n---\n#Afairepousser\n",
}
LINK_RULES = [
    "broken-wikilink",
    "broken-embed",
    "broken-heading-link",
    "broken-block-link",
    "ambiguous-wikilink",
    "broken-markdown-link",
]


def _age(root: Path) -> None:
    old = (NOW - timedelta(days=400)).timestamp()
    os.utime(root / "old.md", (old, old))


def _every_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, select: list[str], **kw: Any
) -> list[Found]:
    found = {
        mode: lint(LINKS, select, mode, tmp=tmp_path, monkeypatch=monkeypatch, **kw)
        for mode in MODES
    }
    for mode in MODES:
        assert found[mode] == found["one"], mode
    return found["one"]


def test_link_rules_agree_in_every_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _every_mode(tmp_path, monkeypatch, LINK_RULES)
    assert {(p, line, col, rule) for p, line, col, rule, _ in found} == {
        ("src.md", 4, 12, "broken-wikilink"),
        ("src.md", 5, 14, "broken-embed"),
        ("src.md", 6, 35, "broken-heading-link"),
        ("src.md", 7, 19, "broken-block-link"),
        ("src.md", 8, 1, "ambiguous-wikilink"),
        ("src.md", 9, 35, "broken-markdown-link"),
        ("other.md", 1, 15, "broken-heading-link"),
        ("other.md", 1, 43, "broken-wikilink"),
        ("stale.md", 5, 16, "broken-wikilink"),
    }


def test_title_and_tag_rules_agree_in_every_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _every_mode(tmp_path, monkeypatch, ["missing-title", "stale-tag"], prepare=_age)
    assert {(p, rule) for p, _, _, rule, _ in found} == {
        ("other.md", "missing-title"),
        ("untitled.md", "missing-title"),
        ("stale.md", "stale-tag"),
        ("old.md", "stale-tag"),
    }


def test_orphan_note_agrees_in_every_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _every_mode(tmp_path, monkeypatch, ["orphan-note"])
    # [[Tie]] resolves to aa/Tie.md, as in Obsidian: bb/Tie.md is an orphan
    assert [p for p, *_ in found] == ["bb/Tie.md", "old.md", "other.md", "stale.md", "untitled.md"]


# -- the example: a rule written against the legacy view, the natural way ----------


def _naive_check(note: Note, vault: Vault, options: Any) -> Iterator[Violation]:
    """Who links here, from every note's summary: what the legacy view seems to offer."""
    name = link_name(note.name)
    for path, summary in vault.summaries.items():
        if path != note.path and any(link_name(t) == name for t, _ in summary.links):
            return
    yield Violation(Span(0, 0), "naive orphan")


NAIVE = types.SimpleNamespace(
    META=RuleMeta("VL999", "naive-orphan", "test", Severity.INFO, default_on=False),
    Options=RuleOptions,
    check=_naive_check,
    __doc__="test",
)


def test_a_rule_reading_summaries_disagrees_between_modes_and_backlinks_do_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = (*builtin_rules(), NAIVE)
    found = {
        mode: lint(
            LINKS,
            ["naive-orphan", "orphan-note"],
            mode,
            tmp=tmp_path,
            monkeypatch=monkeypatch,
            rules=rules,
        )
        for mode in MODES
    }
    naive = {
        mode: sorted(p for p, *_, rule, _ in found[mode] if rule == "naive-orphan")
        for mode in MODES
    }
    api = {
        mode: sorted(p for p, *_, rule, _ in found[mode] if rule == "orphan-note") for mode in MODES
    }
    assert naive["one"] == naive["map"] == naive["partial"]
    assert naive["one"] == ["old.md", "other.md", "stale.md", "untitled.md"]
    # a team's workers know the other notes without their link lists: every note looks orphan
    assert len(naive["team"]) == len([p for p in LINKS if p.endswith(".md")])
    assert all(api[mode] == api["one"] for mode in MODES)
    assert api["one"] == ["bb/Tie.md", "old.md", "other.md", "stale.md", "untitled.md"]


# -- a whole-vault rule's collect and prepare see every note in every mode --------------------


def _count_links(note: Note, options: Any) -> int | None:
    return len(note.links) or None  # None: nothing kept for a note without links


def _total(vault: Any, options: Any, facts: Any) -> tuple[int, int]:
    return len(facts), sum(facts.values())


def _report_total(
    note: Note, vault: Any, options: Any, state: tuple[int, int]
) -> Iterator[Violation]:
    yield Violation(Span(0, 0), f"{state[0]} notes with links, {state[1]} links")


COUNTER = types.SimpleNamespace(
    META=RuleMeta(
        "VL998", "link-counter", "test", Severity.INFO, default_on=False, whole_vault=True
    ),
    Options=RuleOptions,
    collect=_count_links,
    prepare=_total,
    check=_report_total,
    __doc__="test",
)


def test_a_vault_rule_state_is_made_from_every_note_in_every_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = (*builtin_rules(), COUNTER)
    found = {
        mode: lint(
            LINKS, ["link-counter"], mode, tmp=tmp_path, monkeypatch=monkeypatch, rules=rules
        )
        for mode in MODES
    }
    assert {message for *_, message in found["one"]} == {"4 notes with links, 22 links"}
    assert all(found[mode] == found["one"] for mode in MODES)


def test_a_pre_commit_run_of_one_note_reads_the_other_notes_facts_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAULTLINT_JOBS", "1")
    root = write_vault(tmp_path / "v", dict(LINKS))
    rules = (*builtin_rules(), COUNTER)
    run_engine(root, rules, ["link-counter"], store=True)
    (root / "untitled.md").write_text("[[Target]] [[src]] [[other]]\n", encoding="utf-8")
    found, vault = run_engine(root, rules, ["link-counter"], store=True, focus=["old.md"])
    assert not vault.complete
    assert [(p, m) for p, *_, m in found] == [("old.md", "4 notes with links, 24 links")]
