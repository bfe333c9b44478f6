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
from vaultlint.engine.rule import RuleMeta, RuleOptions, Severity, VaultFacts, Violation
from vaultlint.grammar import grammalecte
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


# Prose for the spelling, repeated-word, grammar and frontmatter rules: typos a dictionary
# knows the slip of, one the vault's own words explain, doubled words, a bad frontmatter.
PROSE: dict[str, str | bytes] = {
    "jardin.md": "---\ntitle: jardin\n---\nLe jardin pousse parmis les fleurs du territoire. "
    "Il faut noter que la démarche est suffisament claire et que le le compost est prêt.\n",
    "territoire.md": "---\ntitle: territoire\n---\nLe territoire du jardin est vaste, et le "
    "terrtioire des voisins aussi. Les bonne personnes sont présentes.\n",
    "garden.md": "---\ntitle: Garden\nlang: en\n---\nThe garden grows slowly. I recieve seeds "
    "from a freind, and read the the pages of the glorbu.\n",
    "tags.md": "---\ntitle: Other title\ntags: #jardin #compost\n---\nLe compost du jardin.\n",
    "broken.md": "---\ntitle: [unclosed\n---\nUn texte sans faute.\n",
}
PROSE_RULES = [
    "typo",
    "unknown-word",
    "repeated-word",
    "invalid-frontmatter",
    "frontmatter-tags-format",
    "title-mismatch",
]


def test_spelling_and_frontmatter_rules_agree_in_every_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = {
        mode: lint(PROSE, PROSE_RULES, mode, tmp=tmp_path, monkeypatch=monkeypatch)
        for mode in MODES
    }
    for mode in MODES:
        assert found[mode] == found["one"], mode
    rules = {(p, rule) for p, _, _, rule, _ in found["one"]}
    assert {
        ("jardin.md", "typo"),
        ("territoire.md", "typo"),
        ("garden.md", "typo"),
        ("garden.md", "unknown-word"),
        ("jardin.md", "repeated-word"),
        ("garden.md", "repeated-word"),
        ("broken.md", "invalid-frontmatter"),
        ("tags.md", "frontmatter-tags-format"),
        ("tags.md", "title-mismatch"),
    } <= rules
    words = {m.split('"')[1] for *_, rule, m in found["one"] if rule == "typo"}
    assert {"parmis", "suffisament", "terrtioire", "recieve", "freind"} <= words
    # "terrtioire" is one slip away from a word the vault uses in two notes: said so
    assert any("terrtioire" in m and '"territoire"' in m for *_, m in found["one"])


@pytest.mark.skipif(not grammalecte.available(), reason="Grammalecte is not installed")
def test_grammar_agrees_in_every_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = {"grammar": {}}
    found = {
        mode: lint(PROSE, ["grammar"], mode, tmp=tmp_path, monkeypatch=monkeypatch, options=options)
        for mode in MODES
    }
    for mode in MODES:
        assert found[mode] == found["one"], mode
    assert ("territoire.md", "grammar") in {(p, rule) for p, _, _, rule, _ in found["one"]}


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


# -- a counting rule's counts cover every note in every mode, its facts the notes checked ------


def _link_names(note: Note, options: Any) -> list[str]:
    return sorted({link_name(link.target) for link in note.links})


def _counted(vault: Any, options: Any, found: VaultFacts[list[str]]) -> tuple[int, int, bool]:
    found.kept["runs"] = found.kept.get("runs", 0) + 1 if found.complete else found.kept["runs"]
    return found.counts["target"], found.counts.largest(), found.complete


def _report_counts(
    note: Note, vault: Any, options: Any, state: tuple[int, int, bool]
) -> Iterator[Violation]:
    yield Violation(Span(0, 0), f"{state[0]} notes link to Target, at most {state[1]}")


TARGETS = types.SimpleNamespace(
    META=RuleMeta(
        "VL997",
        "target-counter",
        "test",
        Severity.INFO,
        default_on=False,
        whole_vault=True,
        counts=True,
    ),
    Options=RuleOptions,
    collect=_link_names,
    count=lambda fact: fact,
    prepare=_counted,
    check=_report_counts,
    __doc__="test",
)


def test_a_counting_rule_counts_every_note_in_every_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = (*builtin_rules(), TARGETS)
    found = {
        mode: lint(
            LINKS, ["target-counter"], mode, tmp=tmp_path, monkeypatch=monkeypatch, rules=rules
        )
        for mode in MODES
    }
    assert {message for *_, message in found["one"]} == {"3 notes link to Target, at most 3"}
    assert all(found[mode] == found["one"] for mode in MODES)


def test_a_pre_commit_run_of_one_note_reads_the_counts_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAULTLINT_JOBS", "1")
    root = write_vault(tmp_path / "v", dict(LINKS))
    rules = (*builtin_rules(), TARGETS)
    run_engine(root, rules, ["target-counter"], store=True)
    (root / "untitled.md").write_text("# Heading\n[[src]]\n", encoding="utf-8")  # not Target
    found, vault = run_engine(root, rules, ["target-counter"], store=True, focus=["old.md"])
    assert not vault.complete
    assert [(p, m) for p, *_, m in found] == [("old.md", "2 notes link to Target, at most 2")]
    assert vault.kept["VL997.runs"] == 1  # left by the whole-vault run, read by the partial one
