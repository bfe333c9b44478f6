"""orphan-note, in every run mode: the same findings whichever way the vault is checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import note_from, write_vault
from runmodes import MODES, Found, lint, run_engine
from vaultlint.engine.registry import builtin_rules
from vaultlint.vault.incoming import backlinks_of
from vaultlint.vault.view import Backlink, BacklinksNotAsked, Vault

Lint = Callable[..., list[Found]]
MESSAGE = "no other note links to or embeds this note"


@pytest.fixture(params=MODES)
def orphans(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., list[str]]:
    """The notes orphan-note reports in ``files``, in one run mode."""

    def run(files: dict[str, str | bytes], **options: Any) -> list[str]:
        found = lint(
            files,
            ["orphan-note"],
            request.param,
            tmp=tmp_path,
            monkeypatch=monkeypatch,
            options={"orphan-note": options} if options else None,
        )
        assert all(line == 1 and column == 1 for _, line, column, _, _ in found)
        return [path for path, *_ in found]

    return run


def test_a_note_nothing_links_to_is_reported(orphans: Callable[..., list[str]]) -> None:
    files: dict[str, str | bytes] = {
        "hub.md": "[[leaf]] and [[Deep]]\n",
        "leaf.md": "back to [[hub]]\n",
        "sub/deep.md": "no links\n",
        "lonely.md": "links out to [[hub]] but nothing links here\n",
    }
    assert orphans(files) == ["lonely.md"]


def test_links_of_every_kind_count_and_self_links_do_not(
    orphans: Callable[..., list[str]],
) -> None:
    files: dict[str, str | bytes] = {
        "src.md": '---\nrelated: "[[by property]]"\n---\n'
        "[t](by%20markdown.md) ![[by embed]] [[BY CASE]] [[folder/by path#Part]]\n",
        "by property.md": "x\n",
        "by markdown.md": "x\n",
        "by embed.md": "x\n",
        "by case.md": "x\n",
        "folder/by path.md": "# Part\n",
        "self.md": "# Top\n[[#Top]] [[self]] ![[self#Top]]\n",
        "commented.md": "x\n",
        "comment.md": "%% [[commented]] %%\n<!-- [[src]] -->\n",
    }
    assert orphans(files) == ["comment.md", "self.md"]


def test_embeds_count_option(orphans: Callable[..., list[str]]) -> None:
    files: dict[str, str | bytes] = {
        "a.md": "![[snippet]] [[linked]] ![[linked]]\n",
        "snippet.md": "[[a]]\n",
        "linked.md": "x\n",
    }
    assert orphans(files) == []
    assert orphans(files, **{"embeds-count": False}) == ["snippet.md"]


def test_ignore_globs(orphans: Callable[..., list[str]]) -> None:
    files: dict[str, str | bytes] = {
        "Daily/2024-01-01.md": "x\n",
        "Daily/2024-01-02.md": "x\n",
        "index.md": "x\n",
        "other.md": "x\n",
    }
    assert orphans(files, ignore=["Daily/**", "index.md"]) == ["other.md"]


def test_a_link_that_resolves_elsewhere_does_not_count(
    orphans: Callable[..., list[str]],
) -> None:
    files: dict[str, str | bytes] = {
        "a.md": "[[b/note]] [[missing]]\n",
        "b/note.md": "[[a]]\n",
        "c/note.md": "same name, other folder\n",
    }
    assert orphans(files) == ["c/note.md"]


def test_a_pre_commit_run_sees_what_changed_since_the_store_was_filled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's third run: after an edit, the few notes checked know the whole vault."""
    monkeypatch.setenv("VAULTLINT_JOBS", "1")
    root = write_vault(tmp_path / "v", {"a.md": "x\n", "b.md": "[[a]]\n", "c.md": "y\n"})
    rules = builtin_rules()
    whole, _ = run_engine(root, rules, ["orphan-note"], store=True)
    assert [p for p, *_ in whole] == ["b.md", "c.md"]
    (root / "b.md").write_text("[[a]] and now [[c]]\n", encoding="utf-8")  # b: staged, not c
    found, vault = run_engine(root, rules, ["orphan-note"], store=True, focus=["c.md"])
    assert not vault.complete and found == []
    (root / "a.md").write_text("[[b]]\n", encoding="utf-8")
    (root / "b.md").write_text("now only [[c]]\n", encoding="utf-8")
    found, _ = run_engine(root, rules, ["orphan-note"], store=True, focus=["a.md", "b.md"])
    assert [p for p, *_ in found] == ["a.md"]  # b is linked from a, a from nothing now
    found, _ = run_engine(root, rules, ["orphan-note"], store=True, focus=["a.md", "b.md"])
    assert [p for p, *_ in found] == ["a.md"]  # and again, with nothing changed


def test_backlinks_are_only_offered_to_a_rule_that_asks(tmp_path: Path) -> None:
    notes = {"a.md": note_from("[[b]]\n", "a.md"), "b.md": note_from("x\n", "b.md")}
    view = Vault.build(tmp_path, notes, list(notes))
    with pytest.raises(BacklinksNotAsked, match=r"META\.needs"):
        view.backlinks("b.md")
    view.backlink_map = backlinks_of(view, ["b.md"])
    assert view.backlinks("b.md") == (Backlink("a.md", embed=False),)
    with pytest.raises(BacklinksNotAsked):
        view.backlinks("a.md")  # gathered for the notes checked only


def test_a_note_shown_on_a_canvas_is_not_an_orphan(orphans: Callable[..., list[str]]) -> None:
    canvas = (
        '{"nodes": [{"id": "1", "type": "file", "file": "cards/shown.md", "x": 0, "y": 0},'
        ' {"id": "2", "type": "text", "text": "[[as text]]"}], "edges": []}'
    )
    files: dict[str, str | bytes] = {
        "board.canvas": canvas,
        "broken.canvas": "{not json",
        "cards/shown.md": "x\n",
        "as text.md": "x\n",
    }
    assert orphans(files) == []
    files["board.canvas"] = "{}"
    assert orphans(files) == ["as text.md", "cards/shown.md"]
