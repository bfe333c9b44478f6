"""Reading the vault from disk into notes: the only place (with the writer) that touches files."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .discovery import git_ignored, matches_obsidian_filter, obsidian_excluded, walk
from .model import Note, ReadError, unreadable_note
from .note import parse_note
from .reader import decode


def read_note(root: Path, path: str, max_bytes: int) -> Note:
    full = root / path
    try:
        size = os.stat(full).st_size
        if size > max_bytes:
            limit = max_bytes // 1048576
            message = f"file is {size / 1048576:.1f} MiB, over the {limit} MiB limit; not read"
            return unreadable_note(path, ReadError(message + " (setting max-file-size)"))
        with open(full, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return unreadable_note(path, ReadError(f"cannot read file: {exc.strerror or exc}"))
    decoded = decode(data, max_bytes)
    if isinstance(decoded, ReadError):
        return unreadable_note(path, decoded)
    try:
        return parse_note(path, decoded)
    except Exception as exc:  # a parser bug must not stop the run: say so on this note
        return unreadable_note(path, ReadError(f"internal error while parsing: {exc!r}"))


@dataclass
class VaultFiles:
    notes: list[str]  # every .md file in the vault
    attachments: list[str]
    lintable: set[str]  # notes that are linted (not excluded, not git-ignored)
    problems: dict[str, str] = field(default_factory=dict)


def list_vault(root: Path, config: Config) -> VaultFiles:
    listing = walk(root)
    ignored: set[str] = set()
    if config.respect_gitignore:
        ignored = git_ignored(root, listing.notes)
    filters = obsidian_excluded(root, config.obsidian_config_dir)
    lintable = {
        p
        for p in listing.notes
        if p not in ignored
        and not config.excluded(p)
        and not (config.respect_obsidian_excluded and matches_obsidian_filter(p, filters))
    }
    return VaultFiles(listing.notes, listing.attachments, lintable, listing.problems)


def read_notes(root: Path, paths: Iterable[str], max_bytes: int) -> dict[str, Note]:
    return {path: read_note(root, path, max_bytes) for path in paths}
