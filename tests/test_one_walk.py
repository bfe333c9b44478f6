"""A check walks the vault once: the walk that lists its files also gives the entries the
caches' keys are made of, the same ones ``vault_entries`` finds walking on its own."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import run
from vaultlint.cache.replay import vault_entries
from vaultlint.disk import discovery
from vaultlint.disk.discovery import Entry, walk

Vault = Callable[..., Path]
FILES: dict[str, str | bytes] = {
    "a.md": "---\ntitle: a\n---\n[[b]] [[sub/c]] [[Nowhere]]\n",
    "b.md": "---\ntitle: b\n---\n",
    "sub/c.md": "---\ntitle: c\n---\n",
    "sub/.gitignore": "ignored.md\n",
    "sub/ignored.md": "x",
    "sub/deeper/d.md": "no title\n",
    "sub/image.png": b"\x89PNG",
    ".gitignore": "*.tmp\n",
    ".trash/old.md": "x",
    ".hidden.md": "x",
}


def _keys(entries: list[Entry]) -> list[tuple[str, str, tuple[int, ...] | None]]:
    return sorted(
        (
            path,
            entry.path,
            None if info is None else (info.st_mode, info.st_size, info.st_mtime_ns, info.st_ino),
        )
        for path, entry, info in entries
    )


def _odd_vault(vault: Vault, tmp_path: Path) -> Path:
    root = vault(FILES)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "far.md").write_text("x")
    os.symlink(root / "b.md", root / "link to b.md")
    os.symlink(root / "sub", root / "linked folder")  # walked by the listing, not the keys
    os.symlink(outside, root / "out")
    os.symlink(outside / "far.md", root / "far.md")
    os.symlink(root / "gone.md", root / "broken.md")
    os.mkfifo(root / "pipe.md")
    (root / ".vaultlint-tmp-1234-x.md").write_text("x")  # a killed write's leftover
    return root


def test_the_listing_walk_finds_the_entries_of_the_keys(vault: Vault, tmp_path: Path) -> None:
    root = _odd_vault(vault, tmp_path)
    entries: list[Entry] = []
    listing = walk(root, entries)
    assert _keys(entries) == _keys(list(vault_entries(root)))
    assert "sub/.gitignore" in {path for path, _, _ in entries}
    assert not any(path.startswith("linked folder/") for path, _, _ in entries)
    assert listing == walk(root)  # collecting changes nothing of the listing


@pytest.mark.parametrize("named", [True, False])
def test_a_check_walks_once(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: bool
) -> None:
    root = _odd_vault(vault, tmp_path)
    paths = [root / "a.md", root / "sub"] if named else [root]
    expected = run("check", "--no-cache", "--output-format", "json", *paths)
    assert expected.exit_code == 1
    walks: list[Path] = []
    real = discovery.walk

    def counting(where: Path, files: list[Entry] | None = None) -> discovery.Listing:
        walks.append(where)
        return real(where, files)

    monkeypatch.setattr(discovery, "walk", counting)
    import vaultlint.disk.loader

    monkeypatch.setattr(vaultlint.disk.loader, "walk", counting)
    import vaultlint.cache.contents
    import vaultlint.cache.replay

    def entries_walk(where: Path) -> Iterator[Entry]:
        walks.append(where)
        return vault_entries(where)

    monkeypatch.setattr(vaultlint.cache.replay, "vault_entries", entries_walk)
    monkeypatch.setattr(vaultlint.cache.contents, "vault_entries", entries_walk)
    for _ in range(2):  # the first fills the caches, the second answers from them
        walks.clear()
        result = run("check", "--output-format", "json", *paths)
        assert (result.stdout, result.exit_code) == (expected.stdout, expected.exit_code)
        assert len(walks) == 1
    (root / "b.md").write_text("---\ntitle: b2\n---\n")  # a miss again: one walk, as said
    walks.clear()
    again = run("check", "--no-progress", *paths)
    assert again.exit_code == 1 and len(walks) == 1
    assert json.loads(expected.stdout)
