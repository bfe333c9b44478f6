"""Which files are notes, which are linted, and where the vault root is."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from conftest import run_json
from vaultlint.disk.discovery import find_root, walk

Vault = Callable[..., Path]


def paths(root: Path, *args: str) -> set[str]:
    return {d["path"] for d in run_json(root, "--select", "missing-title", *args)}


def test_gitignored_notes_are_skipped_but_still_resolve(vault: Vault) -> None:
    root = vault(
        {".gitignore": "drafts/\n", "drafts/d.md": "x", "a.md": "---\ntitle: a\n---\n[[d]]\n"}
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    assert paths(root) == set()
    assert run_json(root) == []  # [[d]] resolves to the ignored note
    (root / ".vaultlint.yaml").write_text("respect-gitignore: false\n")
    assert paths(root) == {"drafts/d.md"}


def test_obsidian_excluded_files(vault: Vault) -> None:
    root = vault(
        {
            "Archive/old.md": "x",
            "keep.md": "x",
            "tmp-1.md": "x",
            "a.md": "---\ntitle: a\n---\n[[old]]\n",
        }
    )
    (root / ".obsidian" / "app.json").write_text(
        json.dumps({"userIgnoreFilters": ["Archive/", "/^tmp-\\d/"]})
    )
    assert paths(root) == {"keep.md"}
    assert (
        run_json(root, "--select", "VL1", "--ignore", "orphan-note") == []
    )  # R12: excluded files still resolve
    (root / ".vaultlint.yaml").write_text("respect-obsidian-excluded: false\n")
    assert paths(root) == {"keep.md", "Archive/old.md", "tmp-1.md"}


def test_exclude_globs(vault: Vault) -> None:
    root = vault(
        {
            ".vaultlint.yaml": "exclude: ['docs/', '*.tmp.md']\n",
            "docs/x.md": "x",
            "a.tmp.md": "x",
            "b.md": "x",
        }
    )
    assert paths(root) == {"b.md"}


def test_find_root(tmp_path: Path) -> None:
    (tmp_path / "v" / ".obsidian").mkdir(parents=True)
    (tmp_path / "v" / "deep" / "er").mkdir(parents=True)
    assert find_root(tmp_path / "v" / "deep" / "er") == (tmp_path / "v").resolve()
    (tmp_path / "w" / "x").mkdir(parents=True)
    (tmp_path / "w" / ".vaultlint.yaml").write_text("")
    assert find_root(tmp_path / "w" / "x") == (tmp_path / "w").resolve()


def test_attachments_are_targets_not_notes(vault: Vault) -> None:
    root = vault({"img.PNG": b"x", "a.md": "---\ntitle: a\n---\n![[img.PNG]] ![[IMG.png]]\n"})
    assert run_json(root) == []


def test_a_folder_reached_twice_is_walked_once(vault: Vault) -> None:
    root = vault({"notes/a.md": "x", "notes/deep/b.md": "x", "z.png": b"\x89PNG"})
    os.symlink("notes", root / "shortcut")  # after "notes" in name order
    os.symlink("notes/deep", root / "b-link")  # before it
    listing = walk(root)
    # real folders first, whatever the order of names: [[notes/deep/b]] must resolve, and a
    # note is known (and fixed) by its real path (issue 21, item 7)
    assert listing.notes == ["notes/a.md", "notes/deep/b.md"]
    assert listing.attachments == ["z.png"]
    assert set(listing.stats) == set(listing.notes)
    assert listing.linked == set()
    assert listing.problems == {
        "b-link": "symlink loop: folder already in the vault; skipped",
        "shortcut": "symlink loop: folder already in the vault; skipped",
    }
