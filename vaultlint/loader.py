"""Reading the vault from disk into notes: the only place (with the writer) that touches files."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .discovery import git_ignored, matches_obsidian_filter, obsidian_excluded, walk
from .factcache import FactCache, content_key
from .model import Note, ReadError, unreadable_note
from .note import parse_note_scan
from .reader import decode
from .scanner import ScanResult


def read_note(root: Path, path: str, max_bytes: int) -> Note:
    return load_note(root, path, max_bytes)[0]


def load_note(
    root: Path, path: str, max_bytes: int, cache: FactCache | None = None
) -> tuple[Note, ScanResult | None, str]:
    """The note, its body scan (to remember) and its content key; the scan comes from
    ``cache`` when the note's text is unchanged."""
    full = root / path
    try:
        size = os.stat(full).st_size
        if size > max_bytes:
            limit = max_bytes // 1048576
            message = f"file is {size / 1048576:.1f} MiB, over the {limit} MiB limit; not read"
            return unreadable_note(path, ReadError(message + " (setting max-file-size)")), None, ""
        with open(full, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return (
            unreadable_note(path, ReadError(f"cannot read file: {exc.strerror or exc}")),
            None,
            "",
        )
    decoded = decode(data, max_bytes)
    if isinstance(decoded, ReadError):
        return unreadable_note(path, decoded), None, ""
    key = content_key(decoded.text) if cache is not None else ""
    cached = cache.scan(path, key, decoded.text) if cache is not None else None
    try:
        note, result = parse_note_scan(path, decoded, cached)
    except Exception as exc:  # a parser bug must not stop the run: say so on this note
        return unreadable_note(path, ReadError(f"internal error while parsing: {exc!r}")), None, ""
    return note, result, key


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
