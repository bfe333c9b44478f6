"""A note is known unchanged by its stat key (mtime, size, ctime, inode), and, when that
differs, by its content hash: an edit that keeps mtime and size (``touch -r``, ``cp -p``,
``tar x``) is seen, a touch that keeps the text costs a read, not a parse."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import git, run

Vault = Callable[..., Path]
FILES = {
    "A.md": "---\ntitle: A\n---\nSee [[B]] and [[C#Top]].\n",
    "B.md": "---\ntitle: B\n---\n# B\n",
    "C.md": "---\ntitle: C\n---\n# Top\nSome text.\n",
}
SAME_SIZE = "---\ntitle: C\n---\n# Tip\nSome text.\n"  # the heading A links to is gone


def messages(root: Path, *args: str | Path) -> list[str]:
    result = run("check", root, "--output-format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return [d["message"] for d in json.loads(result.stdout)]


def edit_keeping_mtime_and_size(path: Path, text: str) -> None:
    before = path.stat()
    assert len(text.encode()) == before.st_size
    path.write_text(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)


def forget_answers(root: Path) -> None:
    """Leave only the note store: no stored answer, no stored report."""
    for name in ("answers.json", "cache.json"):
        (root / ".vaultlint" / name).unlink(missing_ok=True)


@pytest.fixture
def cached(vault: Vault) -> Path:
    root = vault(FILES)
    assert not any("Top" in m for m in messages(root))  # fills every cache
    return root


def test_same_stat_edit_is_seen_by_the_stored_answer(cached: Path) -> None:
    edit_keeping_mtime_and_size(cached / "C.md", SAME_SIZE)
    assert any("[[C#Top]]" in m for m in messages(cached))


def test_same_stat_edit_is_seen_by_the_note_store(cached: Path) -> None:
    edit_keeping_mtime_and_size(cached / "C.md", SAME_SIZE)
    forget_answers(cached)
    assert any("[[C#Top]]" in m for m in messages(cached))


def test_same_stat_edit_is_seen_by_a_partial_run(cached: Path) -> None:
    """``check A.md`` knows C.md by its stored summary only."""
    edit_keeping_mtime_and_size(cached / "C.md", SAME_SIZE)
    assert any("[[C#Top]]" in m for m in messages(cached / "A.md"))
    fresh = messages(cached / "A.md", "--no-cache")
    assert messages(cached / "A.md") == fresh


def test_touch_only_reuses_the_stored_note(cached: Path, parses: list[str]) -> None:
    before = messages(cached / "A.md")
    for name in FILES:
        os.utime(cached / name, ns=(1, 1))
    parses.clear()
    assert messages(cached / "A.md") == before
    assert parses == ["A.md"]  # C.md and B.md were read and hashed, not parsed
    parses.clear()
    assert messages(cached / "A.md", "--select", "broken-heading-link") == [
        m for m in before if "#" in m
    ]
    assert parses == ["A.md"]  # and their new stat keys were kept


# -- the report cache is keyed by contents: a fresh clone with its cache restored --------------

OLD = 1_577_836_800  # 2020-01-01: older than stale-tag's 180 days
TAGGED = {**FILES, "D.md": "---\ntitle: D\n---\nTo do #Afairepousser\n"}


def test_fresh_clone_with_restored_cache_answers_from_the_report(
    vault: Vault, tmp_path: Path, parses: list[str]
) -> None:
    root = vault({**TAGGED, ".obsidian/app.json": "{}"})  # tracked: the clone is a vault
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "vault", days_ago=400)  # D.md is stale by git's date
    before = messages(root)
    assert any("Afairepousser" in m for m in before)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
    shutil.copytree(root / ".vaultlint", clone / ".vaultlint")  # as a CI job's cache step
    parses.clear()
    assert messages(clone) == before
    assert parses == []  # every note read and hashed, none parsed
    assert messages(clone, "--no-cache") == before


def test_an_age_taken_from_mtime_counts_in_the_key(vault: Vault) -> None:
    """Not in git: stale-tag dates a note by its mtime, so a touch may change the answer."""
    root = vault(TAGGED)
    os.utime(root / "D.md", (OLD, OLD))
    assert any("Afairepousser" in m for m in messages(root))
    (root / "D.md").touch()  # the same text, a new age
    assert messages(root) == messages(root, "--no-cache")
    assert not any("Afairepousser" in m for m in messages(root))


def test_content_key_without_rules_that_read_ages(vault: Vault, parses: list[str]) -> None:
    root = vault(TAGGED)
    os.utime(root / "D.md", (OLD, OLD))
    before = messages(root, "--ignore", "stale-tag")
    for name in TAGGED:
        os.utime(root / name)  # every file touched, no text changed
    parses.clear()
    assert messages(root, "--ignore", "stale-tag") == before
    assert parses == []


def test_a_cache_from_a_full_clone_is_not_used_in_a_shallow_one(
    vault: Vault, tmp_path: Path
) -> None:
    """Same commit, same texts: a shallow clone does not know the notes' ages (stale-tag says
    so), so the report of a full clone must not answer for it."""
    root = vault({**TAGGED, ".obsidian/app.json": "{}"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "vault", days_ago=400)
    (root / "B.md").write_text(FILES["B.md"] + "More.\n")
    git(root, "commit", "-qam", "more", days_ago=10)
    assert any("Afairepousser" in m for m in messages(root))
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{root}", str(shallow)], check=True
    )
    shutil.copytree(root / ".vaultlint", shallow / ".vaultlint")
    assert messages(shallow) == messages(shallow, "--no-cache")
