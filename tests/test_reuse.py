"""A run over the whole vault keeps each note's findings from the last run while nothing they
depend on changed, and checks again exactly the notes whose dependencies did
(``vaultlint.run.reuse``). Each test changes one dependency and asserts both which notes were
checked again and that the findings equal a run without any cache."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from conftest import TITLED, write_vault
from vaultlint.engine.registry import builtin_rules
from vaultlint.engine.report import Report
from vaultlint.run.check import CheckRequest, check_vault
from vaultlint.run.config import find_config, load_config


def check(root: Path, no_cache: bool = False, select: list[str] | None = None) -> Report:
    rules = builtin_rules()
    config = load_config(find_config(root), rules)
    if select is not None:
        config.select = select
    request = CheckRequest(None, False, False, False, False, no_cache, True)
    return check_vault(root, config, rules, request)


def found(report: Report) -> list[tuple[Any, ...]]:
    return [(d.path, d.start.line, d.start.column, d.code, d.message) for d in report.diagnostics]


def rechecked(root: Path, select: list[str] | None = None) -> int:
    """How many notes a run checks again; its findings must be a fresh run's."""
    report = check(root, select=select)
    fresh = check(root, no_cache=True, select=select)
    assert found(report) == found(fresh)
    assert report.notes_checked == fresh.notes_checked
    return report.notes_checked - report.notes_reused


# enough words in each note for its language to be told (else the vault's main language,
# which an edit elsewhere may change, is every note's)
PROSE = "It is what we do in the garden, and this is how we do it, with all of the care it needs."


def vault(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    files = {
        "Garden.md": TITLED + f"# Soil\n\n{PROSE}\n\n## Compost\n\nSee [[Seeds]].\n",
        "Seeds.md": TITLED + f"{PROSE} Seeds go in [[Garden#Soil]] and [[Garden#Compost]].\n",
        "Tools.md": TITLED + f"{PROSE} A spade and a rake, see [[Shed]].\n",
        "Water.md": TITLED + f"{PROSE} Water the garden in the evening.\n",
        "Sun.md": TITLED + f"{PROSE} The sun rises over the garden.\n",
    }
    root = write_vault(tmp_path / "vault", {**files, **(extra or {})})
    check(root)  # every cache filled
    return root


FRENCH = "C'est ce que nous faisons dans le jardin, et voici comment nous le faisons avec soin."


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_nothing_but_the_edited_note_is_checked_again(tmp_path: Path) -> None:
    root = vault(tmp_path)
    append(root / "Water.md", "\nOne more line.\n")
    assert rechecked(root) == 1
    assert rechecked(root) == 0  # and the next run keeps it too (the report cache aside)


def test_a_heading_removed_checks_the_notes_that_link_into_it(tmp_path: Path) -> None:
    root = vault(tmp_path)
    text = (root / "Garden.md").read_text(encoding="utf-8")
    (root / "Garden.md").write_text(text.replace("## Compost", "## Humus"), encoding="utf-8")
    assert rechecked(root) == 2  # Garden itself, and Seeds, which links to #Compost
    report = check(root, no_cache=True)
    assert [d.path for d in report.diagnostics if d.rule == "broken-heading-link"] == ["Seeds.md"]


def test_a_note_added_resolves_a_broken_link(tmp_path: Path) -> None:
    root = vault(tmp_path)
    assert [d.path for d in check(root).diagnostics if d.rule == "broken-wikilink"] == ["Tools.md"]
    (root / "Shed.md").write_text(TITLED + "Where the tools live.\n", encoding="utf-8")
    assert rechecked(root) == 2  # the new note, and the note whose link resolves now
    assert not [d for d in check(root).diagnostics if d.rule == "broken-wikilink"]


def test_a_note_named_like_a_broken_link_is_offered_there(tmp_path: Path) -> None:
    root = vault(tmp_path)
    (root / "Barn.md").write_text(TITLED + f"{PROSE}\n", encoding="utf-8")
    assert rechecked(root) == 1  # a name far from "Shed": the broken link's note is kept
    (root / "Sheds.md").write_text(TITLED + f"{PROSE}\n", encoding="utf-8")
    assert rechecked(root) == 2  # a name "did you mean" may offer for [[Shed]]
    [broken] = [d for d in check(root).diagnostics if d.rule == "broken-wikilink"]
    assert 'did you mean "Sheds"' in broken.message
    (root / "Sheds.md").unlink()
    assert rechecked(root) == 1  # the offered note went
    [broken] = [d for d in check(root).diagnostics if d.rule == "broken-wikilink"]
    assert "did you mean" not in broken.message


def test_a_note_deleted_checks_the_notes_that_linked_to_it(tmp_path: Path) -> None:
    root = vault(tmp_path)
    (root / "Seeds.md").unlink()
    assert rechecked(root) == 1  # Garden, whose link to Seeds is broken now
    report = check(root)
    assert [(d.path, d.rule) for d in report.diagnostics if d.path == "Garden.md"] == [
        ("Garden.md", "broken-wikilink")
    ]


def test_a_word_the_vault_starts_using_is_no_typo_elsewhere(tmp_path: Path) -> None:
    # "jardinage" in one note: a typo of nothing the vault uses; the same misspelling in a
    # second note makes it the vault's own word (min-notes 2)
    extra = {
        "Fr1.md": TITLED + f"{FRENCH} Le jardinn est beau et le jardin pousse bien.\n",
        "Fr2.md": TITLED + f"{FRENCH} Le jardin du voisin pousse aussi très bien.\n",
    }
    root = vault(tmp_path, extra)
    typos = [d.path for d in check(root).diagnostics if d.rule == "typo"]
    assert typos == ["Fr1.md"]
    append(root / "Fr2.md", "\nUn autre jardinn ici.\n")
    assert rechecked(root) == 2  # Fr2, edited, and Fr1, whose word is the vault's now
    assert not [d for d in check(root).diagnostics if d.rule == "typo"]


def test_a_config_change_checks_every_note_again(tmp_path: Path) -> None:
    root = vault(tmp_path)
    (root / ".vaultlint.yaml").write_text("ignore: [typo]\n", encoding="utf-8")
    assert rechecked(root) == 5


def test_a_rule_selection_is_part_of_the_key(tmp_path: Path) -> None:
    root = vault(tmp_path)
    append(root / "Water.md", "\n[[Nowhere]]\n")
    assert rechecked(root, select=["broken-wikilink"]) == 5
    assert rechecked(root, select=["broken-wikilink"]) == 0
    assert rechecked(root) == 5  # one kept answer per note: the last run's


def test_a_watched_tag_is_dated_by_the_history(tmp_path: Path) -> None:
    root = vault(tmp_path, {"Young.md": TITLED + "A seedling #Afairepousser\n"})
    young = root / "Young.md"
    append(root / "Water.md", "\nMore.\n")
    assert rechecked(root) == 1  # the tagged note's findings were kept: same day, same mtime
    old = 1_500_000_000
    os.utime(young, (old, old))  # outside git, its age is its mtime's
    assert rechecked(root) == 1
    assert [d.rule for d in check(root).diagnostics if d.path == "Young.md"] == ["stale-tag"]


def test_a_damaged_findings_row_is_checked_again(tmp_path: Path) -> None:
    import sqlite3

    root = vault(tmp_path)
    db = sqlite3.connect(root / ".vaultlint" / "notes.sqlite")
    with db:
        db.execute("UPDATE findings SET diags = '[[1, 2]]' WHERE path = 'Tools.md'")
        db.execute("UPDATE findings SET diags = 'not json' WHERE path = 'Sun.md'")
    db.close()
    append(root / "Water.md", "\nMore.\n")
    assert rechecked(root) == 3


@pytest.mark.parametrize("mode", ["one", "map", "team"])
def test_every_run_mode_keeps_and_reuses_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    from test_cache_property import set_mode

    from vaultlint.run.parallel import can_fork

    if mode != "one" and not can_fork():
        pytest.skip("no fork on this platform")
    set_mode(monkeypatch, mode)
    root = vault(tmp_path)
    append(root / "Sun.md", "\nAnd sets.\n")
    assert rechecked(root) == 1


def test_a_kept_offer_is_what_did_you_mean_would_say_again() -> None:
    """``suggestion_kept`` never keeps an offer ``suggest_file`` would now make otherwise:
    random files (names close to each other, notes and attachments) come and go."""
    import random

    from vaultlint.vault.linkcheck import suggest_file, suggestion_kept
    from vaultlint.vault.view import Vault

    rng = random.Random(7)
    stems = ["shed", "sheds", "shad", "shelf", "Shed", "shed-2", "she d", "garden", "gardens"]

    def files() -> set[str]:
        picked = rng.sample(stems, k=rng.randrange(1, len(stems)))
        return {
            f"{rng.choice(['', 'a/', 'b/'])}{s}{rng.choice(['.md', '.md', '.png'])}" for s in picked
        }

    kept = changed = 0
    for _ in range(400):
        before, after = files(), files()
        if rng.random() < 0.5:  # a small change more often than not
            after = before ^ {rng.choice(sorted(before | after))}
        target = rng.choice([*stems, "shedd", "gardn", "x"])
        old = suggest_file(target, Vault.from_summaries(Path("/v"), {}, {}, sorted(before)))
        new = suggest_file(target, Vault.from_summaries(Path("/v"), {}, {}, sorted(after)))
        if suggestion_kept(target, old, sorted(after - before), sorted(before - after)):
            kept += 1
            assert new == old, (target, sorted(before), sorted(after))
        else:
            changed += 1
    assert kept > 50 and changed > 50  # both branches are exercised


def test_a_note_that_asked_for_an_unknown_service_is_checked_every_time(tmp_path: Path) -> None:
    import types

    from vaultlint.engine.rule import RuleMeta, RuleOptions

    def look(note: Any, vault: Any, options: Any) -> Any:
        if "Sun" in note.path:
            vault.service("weather")  # a service the key knows nothing of
        return iter(())

    asker = types.SimpleNamespace(
        META=RuleMeta(code="VL999", name="weather-check", summary="asks the weather"),
        Options=RuleOptions,
        check=look,
        __doc__="test rule",
    )
    root = vault(tmp_path)
    rules = [*builtin_rules(), asker]

    def run() -> Report:
        config = load_config(find_config(root), rules)
        return check_vault(
            root, config, rules, CheckRequest(None, False, False, False, False, False, True)
        )

    run()
    append(root / "Water.md", "\nMore.\n")
    report = run()
    assert report.notes_checked - report.notes_reused == 2  # Water, edited, and Sun
