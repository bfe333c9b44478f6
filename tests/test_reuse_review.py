"""Holes found in the per-note findings reuse (``vaultlint.run.reuse``) by review: each test
changes one thing a note's findings depend on and asserts that a run with every cache finds
what a run without any finds (``rechecked``), and where it matters which notes were checked
again."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

import pytest
from test_reuse import FRENCH, append, check, rechecked, vault

from conftest import NOW, TITLED, git, write_vault
from vaultlint.engine.registry import builtin_rules
from vaultlint.run.check import CheckRequest, check_vault
from vaultlint.run.config import find_config, load_config


def test_a_heading_of_a_note_reached_by_its_title_is_read_again(tmp_path: Path) -> None:
    # resolve-by title: the link resolves to nothing in Obsidian's way, then to the note
    # titled so; its #heading is that note's, which the key must hold as for a path link
    config = "".join(
        f"  {rule}:\n    resolve-by: jekyll-garden\n"
        for rule in ("broken-wikilink", "broken-heading-link")
    )
    files = {
        ".vaultlint.yaml": "rules:\n" + config,
        "idea.md": "---\ntitle: Big Idea\n---\n## Part\n",
        "Link.md": TITLED + "See [[Big Idea#Part]].\n",
    }
    root = write_vault(tmp_path / "vault", files)
    assert not check(root).diagnostics
    (root / "idea.md").write_text("---\ntitle: Big Idea\n---\n## Whole\n", encoding="utf-8")
    assert rechecked(root) == 2
    assert [d.rule for d in check(root).diagnostics] == ["broken-heading-link"]


# typo off: it has no facts of an unreadable note, which makes the note unkeyable
UNREADABLE: dict[str, str | bytes] = {
    ".vaultlint.yaml": "ignore: [typo]\n",
    "Bad.md": b"ok\n\xff\n",
    "Good.md": TITLED,
}


def test_an_unreadable_note_read_again_says_why_now(tmp_path: Path) -> None:
    # an unreadable note has no text hash ("" for every reason): the byte that is not UTF-8
    # moved, so the position reported moves with it
    root = write_vault(tmp_path / "vault", UNREADABLE)
    assert [(d.rule, d.start.line) for d in check(root).diagnostics] == [("unreadable-note", 2)]
    (root / "Bad.md").write_bytes(b"ok\nok\nok\n\xff\n")
    rechecked(root)
    assert [(d.rule, d.start.line) for d in check(root).diagnostics] == [("unreadable-note", 4)]


def test_an_unreadable_note_for_another_reason(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "vault", UNREADABLE)
    check(root)
    (root / "Bad.md").write_bytes(b"ok\n\x00\n")  # binary now
    rechecked(root)
    assert ["NUL" in d.message for d in check(root).diagnostics] == [True]


def test_a_part_of_an_elided_compound_gains_a_neighbour(tmp_path: Path) -> None:
    # "l'arbra-vert": its judgement reads "arbra" (the elision's word, then its first part),
    # whose neighbour "arbre", once another note uses it, makes it a likely typo
    extra = {
        "Fr1.md": TITLED + f"{FRENCH} Voici l'arbra-vert du voisin.\n",
        "Fr2.md": TITLED + f"{FRENCH} Le voisin est parti.\n",
    }
    root = vault(tmp_path, extra)
    assert not [d for d in check(root).diagnostics if d.rule == "typo"]
    append(root / "Fr2.md", "\nUn arbre pousse.\n")
    rechecked(root)
    typos = [d.message for d in check(root).diagnostics if d.rule == "typo"]
    assert len(typos) == 1 and "arbra" in typos[0]


def _git_vault(tmp_path: Path, days_ago: int) -> Path:
    root = vault(tmp_path, {"Young.md": TITLED + "A seedling #Afairepousser\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "notes", days_ago=days_ago)
    return root


def test_an_amended_commit_dates_the_tagged_note_again(tmp_path: Path) -> None:
    root = _git_vault(tmp_path, 200)
    assert [d.rule for d in check(root).diagnostics if d.path == "Young.md"] == ["stale-tag"]
    git(root, "commit", "-q", "--amend", "-m", "notes", "--reset-author", days_ago=10)
    assert rechecked(root) == 1  # the tagged note only
    assert not [d for d in check(root).diagnostics if d.path == "Young.md"]


def test_a_new_day_ages_the_tagged_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import vaultlint.disk.history

    root = _git_vault(tmp_path, 175)
    assert not [d for d in check(root).diagnostics if d.path == "Young.md"]

    class Later(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Later:
            return cls.fromtimestamp(NOW.timestamp() + 10 * 86400, tz)

    monkeypatch.setattr(vaultlint.disk.history, "datetime", Later)
    append(root / "Water.md", "\nMore.\n")  # the report cache would answer otherwise
    assert rechecked(root) == 2  # Water, edited, and the tagged note, ten days older
    assert [d.rule for d in check(root).diagnostics if d.path == "Young.md"] == ["stale-tag"]


def test_notes_named_on_the_command_line_then_the_whole_vault(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "vault", {"A.md": TITLED + "[[B#Top]]\n", "B.md": "# Top\n"})
    rules = builtin_rules()
    config = load_config(find_config(root), rules)
    request = CheckRequest(["A.md"], False, False, False, False, False, True)
    assert not check_vault(root, config, rules, request).diagnostics  # a cold store
    (root / "B.md").write_text("# Bottom\n", encoding="utf-8")
    rechecked(root)
    assert [d.path for d in check(root).diagnostics if d.rule == "broken-heading-link"] == ["A.md"]


def test_a_staged_run_on_a_cold_store_then_the_whole_vault(tmp_path: Path) -> None:
    files = {"A.md": TITLED + "[[B#Top]] [[C]]\n", "B.md": "# Top\n", "C.md": TITLED}
    root = write_vault(tmp_path / "vault", files)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "notes")
    (root / "C.md").unlink()
    git(root, "rm", "-q", "--cached", "C.md")  # staged: A's link to it breaks
    rules = builtin_rules()
    config = load_config(find_config(root), rules)
    request = CheckRequest(None, True, False, False, False, False, True)
    staged = check_vault(root, config, rules, request)
    assert [(d.path, d.rule) for d in staged.diagnostics] == [("A.md", "broken-wikilink")]
    (root / "B.md").write_text("# Bottom\n", encoding="utf-8")
    rechecked(root)
    assert sorted(d.rule for d in check(root).diagnostics if d.path == "A.md") == [
        "broken-heading-link",
        "broken-wikilink",
    ]
