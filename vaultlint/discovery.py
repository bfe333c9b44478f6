"""Finding the vault root and listing its files (notes and attachments), safely.

Dot-folders (``.obsidian``, ``.trash``, ``.git``) are outside the vault, as in Obsidian.
Symlinked folders are followed only when they stay inside the vault and were not seen yet, so
nothing outside the vault is read and a symlink loop ends the walk of that branch.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class Listing:
    notes: list[str] = field(default_factory=list)  # vault-relative "/" paths of *.md files
    attachments: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # path -> why it was not listed
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # note -> (mtime ns, size)


def walk(root: Path) -> Listing:
    listing = Listing()
    root_real = os.path.realpath(root)
    seen_dirs = {root_real}

    def inside(real: str) -> bool:
        return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)

    def visit(folder: str, rel: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            listing.problems[rel or "."] = f"folder not readable: {exc.strerror}"
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = f"{rel}/{entry.name}" if rel else entry.name
            try:
                is_link = entry.is_symlink()
                if is_link:
                    real = os.path.realpath(entry.path)
                    if not inside(real):
                        if entry.name.lower().endswith(".md"):
                            listing.problems[path] = "symlink leads outside the vault; not read"
                        continue
                    if not os.path.exists(real):
                        if entry.name.lower().endswith(".md"):
                            listing.problems[path] = "broken symlink or symlink loop"
                        continue
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError as exc:
                listing.problems[path] = f"cannot stat: {exc.strerror}"
                continue
            if is_dir:
                real = os.path.realpath(entry.path)
                if real in seen_dirs:
                    listing.problems[path] = "symlink loop: folder already in the vault; skipped"
                    continue
                seen_dirs.add(real)
                visit(entry.path, path)
            elif entry.name.lower().endswith(".md"):
                if entry.is_file(follow_symlinks=True):
                    listing.notes.append(path)
                    with contextlib.suppress(OSError):  # no stat: read it as changed
                        info = entry.stat(follow_symlinks=True)
                        listing.stats[path] = (info.st_mtime_ns, info.st_size)
                else:  # a FIFO or device would block or never end when read
                    listing.problems[path] = "not a regular file; not read"
            else:
                listing.attachments.append(path)

    visit(str(root), "")
    return listing


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
