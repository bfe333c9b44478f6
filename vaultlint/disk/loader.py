"""Reading the vault from disk into notes: the only place (with the writer) that touches files."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vaultlint.disk.discovery import git_ignored, matches_obsidian_filter, obsidian_excluded, walk
from vaultlint.disk.identity import NO_STAT, Stat, content_hash, stat_key
from vaultlint.disk.publishing import detect_setup
from vaultlint.engine.config import Config
from vaultlint.model.note import Note, ReadError, unreadable_note
from vaultlint.parse.decode import decode
from vaultlint.parse.note import parse_note
from vaultlint.vault.setup import Setup

if TYPE_CHECKING:
    from vaultlint.run.prefetch import Fetched


def read_note(root: Path, path: str, max_bytes: int) -> Note:
    note = load_note(root, path, max_bytes)[0]
    assert note is not None  # parsed: no known hash was given
    return note


def load_note(
    root: Path, path: str, max_bytes: int, known: str | None = None
) -> tuple[Note | None, str, Stat]:
    """The note, a hash of its text ("" when unreadable) and its stat key as stat saw it
    before reading (a note changed meanwhile reads as changed next time). No note when its
    text hashes to ``known``: a note touched but not changed is read, not parsed again."""
    full = root / path
    stat = NO_STAT
    try:
        info = os.stat(full)
        stat = stat_key(info)
        if info.st_size > max_bytes:
            limit = max_bytes // 1048576
            size = info.st_size / 1048576
            message = f"file is {size:.1f} MiB, over the {limit} MiB limit; not read"
            return unreadable_note(path, ReadError(message + " (setting max-file-size)")), "", stat
        with open(full, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        error = ReadError(f"cannot read file: {exc.strerror or exc}")
        return unreadable_note(path, error), "", stat
    decoded = decode(data, max_bytes)
    if isinstance(decoded, ReadError):
        return unreadable_note(path, decoded), "", stat
    key = content_hash(data)
    if key == known:
        return None, key, stat
    try:
        note = parse_note(path, decoded)
    except Exception as exc:  # a parser bug must not stop the run: say so on this note
        return unreadable_note(path, ReadError(f"internal error while parsing: {exc!r}")), "", stat
    return note, key, stat


@dataclass
class VaultFiles:
    notes: list[str]  # every .md file in the vault
    attachments: list[str]
    lintable: set[str]  # notes that are linted (not excluded, not git-ignored)
    problems: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Stat] = field(default_factory=dict)  # note -> its stat key
    setup: Setup = field(default_factory=Setup)
    linked: set[str] = field(default_factory=set)  # notes reached through a symlink
    temporaries: list[str] = field(default_factory=list)  # vaultlint's, left by a killed write


def list_vault(root: Path, config: Config, fetched: Fetched | None = None) -> VaultFiles:
    """Every file of the vault; ``fetched``: the walk and git's answer, made by a helper."""
    listing = fetched.listing if fetched is not None else walk(root)
    ignored: set[str] = set()
    if config.respect_gitignore:
        ignored = fetched.ignored if fetched is not None else git_ignored(root, listing.notes)
    filters = obsidian_excluded(root, config.obsidian_config_dir)
    if not config.respect_obsidian_excluded:
        filters = []
    setup = detect_setup(root, config.obsidian_config_dir)
    # templates are full of placeholders ({{title}}, <% tp... %>): not linted, still linked to
    templates = () if config.lint_templates else setup.templates
    lintable = set(listing.notes) - ignored
    if config.exclude or filters or templates:  # most vaults have none: no test per note
        lintable = {
            p
            for p in lintable
            if not config.excluded(p)
            and not matches_obsidian_filter(p, filters)
            and not p.startswith(templates)
        }
    return VaultFiles(
        listing.notes,
        listing.attachments,
        lintable,
        listing.problems,
        listing.stats,
        setup,
        listing.linked,
        listing.temporaries,
    )


def read_notes(root: Path, paths: Iterable[str], max_bytes: int) -> dict[str, Note]:
    return {path: read_note(root, path, max_bytes) for path in paths}


class LazyNotes(Mapping[str, Note]):
    """Every note of the vault by path; a note is read and parsed when first asked for, and
    forgotten when released, so a run holds the notes it is checking, not the vault."""

    def __init__(self, root: Path, paths: Iterable[str], max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._order = list(paths)
        self._paths = set(self._order)
        self._loaded: dict[str, Note] = {}

    def __getitem__(self, path: str) -> Note:
        note = self._loaded.get(path)
        if note is None:
            if path not in self._paths:
                raise KeyError(path)
            note = self._loaded[path] = read_note(self.root, path, self.max_bytes)
        return note

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def keep(self, note: Note) -> None:
        if note.path not in self._paths:
            self._paths.add(note.path)
            self._order.append(note.path)
        self._loaded[note.path] = note

    def release(self, path: str) -> None:
        self._loaded.pop(path, None)
