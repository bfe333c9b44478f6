"""Finding the vault root and listing its files (notes and attachments), safely.

Dot-folders (``.obsidian``, ``.trash``, ``.git``) are outside the vault, as in Obsidian.
Symlinked folders are followed only when they stay inside the vault and were not seen yet, so
nothing outside the vault is read and a symlink loop ends the walk of that branch.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vaultlint.disk.git import git_output
from vaultlint.disk.identity import Stat, stat_key
from vaultlint.disk.writer import TEMP_PREFIX, is_temporary

CONFIG_NAMES = (".vaultlint.yaml", ".vaultlint.yml")


def find_root(start: Path, config_dir: str = ".obsidian") -> Path | None:
    """The nearest folder at or above ``start`` holding ``.obsidian/`` or a vaultlint config."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / config_dir).is_dir() or any((folder / n).is_file() for n in CONFIG_NAMES):
            return folder
    return None


def is_vault(folder: Path, config_dir: str = ".obsidian") -> bool:
    """Whether ``folder`` is marked as a vault: ``.obsidian/`` or a vaultlint config in it."""
    return (folder / config_dir).is_dir() or any((folder / n).is_file() for n in CONFIG_NAMES)


@dataclass
class Listing:
    notes: list[str] = field(default_factory=list)  # vault-relative "/" paths of *.md files
    attachments: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # path -> why it was not listed
    stats: dict[str, Stat] = field(default_factory=dict)  # note -> its stat key
    # notes reached through a symlink (a linked file, or in a linked folder): never rewritten
    linked: set[str] = field(default_factory=set)
    temporaries: list[str] = field(default_factory=list)  # vaultlint's own, from a killed write


# a file of the vault as the caches' keys see it: its vault path, its entry, its stat (None:
# none); see ``vaultlint.cache.replay.vault_entries``
Entry = tuple[str, os.DirEntry[str], os.stat_result | None]


def walk(root: Path, files: list[Entry] | None = None) -> Listing:
    """Every file of the vault. Real folders are walked first, symlinked ones after, so a note
    is known by its real path when both lead to it. ``files``: also gets what
    ``vault_entries`` yields (in another order), so that a run walks the vault once."""
    listing = Listing()
    root_real = os.path.realpath(root)
    seen_dirs = {root_real}
    notes, attachments, stats = listing.notes, listing.attachments, listing.stats
    deferred: list[tuple[str, str, str]] = []  # symlinked folders: (path, vault path, real)

    def inside(real: str) -> bool:
        return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)

    def visit(folder: str, prefix: str, real_folder: str, linked: bool) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            listing.problems[prefix.rstrip("/") or "."] = f"folder not readable: {exc.strerror}"
            return
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                if name.startswith(TEMP_PREFIX) and is_temporary(name):
                    listing.temporaries.append(prefix + name)
                elif files is not None and name == ".gitignore" and prefix and not linked:
                    files.append((prefix + name, entry, _stat(entry.path)))
                continue
            path = prefix + name
            if files is not None and not linked:
                _collect(files, path, entry)
            try:
                if entry.is_symlink():
                    real = os.path.realpath(entry.path)
                    if not followable(real, name, path):
                        continue
                    is_dir = entry.is_dir(follow_symlinks=True)
                    if is_dir:
                        deferred.append((entry.path, path, real))
                        continue
                    via_link = True
                else:  # the common case: no system call but the note's stat below
                    real = ""
                    is_dir = entry.is_dir(follow_symlinks=False)
                    via_link = linked
            except OSError as exc:
                listing.problems[path] = f"cannot stat: {exc.strerror}"
                continue
            if is_dir:
                enter(entry.path, path, os.path.join(real_folder, name), linked)
            elif name[-3:].lower() == ".md":
                if entry.is_file(follow_symlinks=True):
                    notes.append(path)
                    if via_link:
                        listing.linked.add(path)
                    try:
                        info = entry.stat(follow_symlinks=True)
                    except OSError:  # no stat: read it as changed
                        continue
                    stats[path] = stat_key(info)
                else:  # a FIFO or device would block or never end when read
                    listing.problems[path] = "not a regular file; not read"
            else:
                attachments.append(path)

    def enter(folder: str, path: str, real: str, linked: bool) -> None:
        if real in seen_dirs:
            listing.problems[path] = "symlink loop: folder already in the vault; skipped"
            return
        seen_dirs.add(real)
        visit(folder, path + "/", real, linked)

    def followable(real: str, name: str, path: str) -> bool:
        """Whether a symlink (resolved to ``real``) stays inside the vault and leads somewhere."""
        if not inside(real):
            if name.lower().endswith(".md"):
                listing.problems[path] = "symlink leads outside the vault; not read"
            return False
        if not os.path.exists(real):
            if name.lower().endswith(".md"):
                listing.problems[path] = "broken symlink or symlink loop"
            return False
        return True

    visit(str(root), "", root_real, False)
    while deferred:
        batch, deferred[:] = list(deferred), []
        for folder, path, real in batch:
            enter(folder, path, real, True)
    return listing


def _collect(files: list[Entry], path: str, entry: os.DirEntry[str]) -> None:
    """As ``vault_entries``: every entry but a real folder, a symlink as what it leads to."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return
        info: os.stat_result | None = entry.stat()  # cached: the walk's own stat of a note
    except OSError:
        info = None
    files.append((path, entry, info))


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def nested_vaults(folder: Path, config_dir: str = ".obsidian", depth: int = 2) -> list[str]:
    """Sub-folders of ``folder`` (down to ``depth`` levels) that are vaults of their own."""
    found: list[str] = []
    level = [(str(folder), "")]
    for _ in range(depth):
        below: list[tuple[str, str]] = []
        for path, rel in level:
            try:
                entries = sorted(os.scandir(path), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.name[0] == "." or not entry.is_dir(follow_symlinks=False):
                    continue
                sub = rel + entry.name
                if os.path.isdir(os.path.join(entry.path, config_dir)) or any(
                    os.path.isfile(os.path.join(entry.path, n)) for n in CONFIG_NAMES
                ):
                    found.append(sub)
                else:
                    below.append((entry.path, sub + "/"))
        level = below
    return found


def select_paths(lintable: Iterable[str], selection: list[str] | None) -> set[str] | None:
    """The lintable notes among ``selection`` (files and folders); None selects every note."""
    if selection is None:
        return None
    lintable = lintable if isinstance(lintable, (set, frozenset)) else set(lintable)
    files = set(selection)
    chosen = files & lintable
    folders = tuple(s.rstrip("/") + "/" for s in files - chosen)
    if folders:
        chosen.update(path for path in lintable if path.startswith(folders))
    return chosen


def git_ignored(root: Path, paths: Iterable[str]) -> set[str]:
    """The subset of ``paths`` that git ignores; empty outside a git work tree."""
    candidates = list(paths)
    if not candidates:
        return set()
    try:
        result = subprocess.run(
            ["git", "check-ignore", "--no-index", "-z", "--stdin"],
            cwd=root,
            input="\0".join(candidates).encode(),
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if result.returncode not in (0, 1):
        return set()
    return {p for p in result.stdout.decode("utf-8", "replace").split("\0") if p}


def obsidian_excluded(root: Path, config_dir: str = ".obsidian") -> list[re.Pattern[str] | str]:
    """``userIgnoreFilters`` from ``app.json``: a ``/regex/`` or a path prefix each."""
    try:
        settings = json.loads((root / config_dir / "app.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    filters = settings.get("userIgnoreFilters") if isinstance(settings, dict) else None
    result: list[re.Pattern[str] | str] = []
    for item in filters or []:
        if not isinstance(item, str) or not item:
            continue
        if len(item) > 2 and item.startswith("/") and item.endswith("/"):
            try:
                result.append(re.compile(item[1:-1]))
            except re.error:
                continue
        else:
            result.append(item.lstrip("/"))
    return result


def matches_obsidian_filter(path: str, filters: list[re.Pattern[str] | str]) -> bool:
    for item in filters:
        if isinstance(item, str):
            if path.startswith(item):
                return True
        elif item.search(path):
            return True
    return False


@dataclass
class Vanished:
    """Files the commit removes from the vault (deleted, or the old name of a rename)."""

    paths: dict[str, str | None] = field(default_factory=dict)  # old path -> new path or None


def staged_vanished(root: Path) -> Vanished:
    vanished = Vanished()
    output = git_output(
        root, "diff", "--cached", "--name-status", "-M", "-z", "--relative", "--", "."
    )
    if output is None:
        return vanished
    fields = output.decode("utf-8", "replace").split("\0")
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        if status[0] in "RC":
            old, new = fields[i + 1], fields[i + 2]
            i += 3
            if status[0] == "R":
                vanished.paths[old] = new
        else:
            path = fields[i + 1]
            i += 2
            if status[0] == "D":
                vanished.paths[path] = None
    return vanished
