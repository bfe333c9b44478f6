"""The vault as its contents say it, the key of the report cache: a cache restored on a fresh
clone (every mtime and ctime new, every text the same) answers from the last report.

Each note is known by its text hash: the stored one (``notes.sqlite``) while its stat key is
the stored one, else read and hashed (as git's index does). Canvases, the sub-folders'
``.gitignore`` and the watched config files are hashed too (they change what a run finds);
any other file counts by its path and size only (no rule reads an attachment). A note whose
age a rule may take from its mtime (``mtimes``) counts by its mtime too.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vaultlint.cache.replay import WATCHED, git_ignore_files, vault_entries
from vaultlint.disk.discovery import Entry
from vaultlint.disk.git import git_output
from vaultlint.disk.identity import Stat, content_hash, stat_key
from vaultlint.disk.publishing import watched_files

HASHED = (".md", ".canvas")  # files whose text a run reads


@dataclass
class Contents:
    """One hash of the vault's contents, and the notes found unchanged under a new stat key."""

    digest: str
    restat: dict[str, tuple[Stat, str]] = field(default_factory=dict)  # note -> (stat, hash)


def vault_contents(
    root: Path,
    known: Mapping[str, tuple[Stat, str]],
    max_bytes: int,
    mtimes: Callable[[str], bool] | None = None,
    entries: Iterable[Entry] | None = None,
) -> Contents:
    """``known``: the stored notes' stat keys and text hashes; ``mtimes``: whether a note's
    mtime counts (None: no note's); ``entries``: the vault's files, when walked already."""
    lines: list[str] = []
    restat: dict[str, tuple[Stat, str]] = {}
    for path, entry, info in vault_entries(root) if entries is None else entries:
        if info is None:
            lines.append(f"{path} ?")
            continue
        line = f"{path} {info.st_size}"
        if entry.is_symlink():
            line += f" -> {_link(entry.path)}"
        lower = path.lower()
        if lower.endswith(HASHED) or lower.endswith("/.gitignore"):
            line += " " + _text_key(entry.path, path, info, known, max_bytes, restat)
        if mtimes is not None and lower.endswith(".md") and mtimes(path):
            line += f" {info.st_mtime_ns}"
        lines.append(line)
    watched = [
        *(root / name for name in (*WATCHED, *watched_files())),
        *git_ignore_files(root),
    ]
    for file in watched:
        name = os.path.relpath(file, root)  # the same in a clone elsewhere
        lines.append(f"{name} {_file_hash(str(file), max_bytes)}")
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode("utf-8", "surrogateescape"))
        digest.update(b"\n")
    return Contents(digest.hexdigest(), restat)


def _text_key(
    full: str,
    path: str,
    info: os.stat_result,
    known: Mapping[str, tuple[Stat, str]],
    max_bytes: int,
    restat: dict[str, tuple[Stat, str]],
) -> str:
    if not stat.S_ISREG(info.st_mode):
        return "special"  # a FIFO would block, a device never end
    if info.st_size > max_bytes:
        return "big"  # not read by a run either
    key = stat_key(info)
    stored = known.get(path)
    if stored is not None and stored[0] == key and stored[1]:
        return stored[1]
    found = _file_hash(full, max_bytes, info.st_size)
    if stored is not None and stored[1] == found:
        restat[path] = (key, found)  # read and hashed once: known by its stat key next time
    return found


def _file_hash(path: str, max_bytes: int, size: int | None = None) -> str:
    """The hash of the file's text (its first ``max_bytes`` + 1 bytes); ``size``: its size as
    a stat said that found a regular file (else checked here). Opened without blocking: a
    FIFO put in its place meanwhile reads as empty, never hangs."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return "-"
    except OSError as exc:
        return f"? {exc.errno}"
    try:
        if size is None:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return "special"
            size = info.st_size
        chunks, left = [], max_bytes + 1
        while left > 0:  # a file may have grown since its stat: read to its end, or the cap
            chunk = os.read(fd, min(left, max(size, 1 << 16) + 1))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        return f"? {exc.errno}"
    finally:
        os.close(fd)
    return content_hash(b"".join(chunks))


def _link(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def untracked(root: Path) -> Callable[[str], bool]:
    """Whether git does not track a note (its age then comes from its mtime); every note
    when git cannot say."""
    listed = git_output(root, "ls-files", "-z")
    if listed is None:
        return lambda path: True
    tracked = set(os.fsdecode(listed).split("\0"))
    return lambda path: path not in tracked
