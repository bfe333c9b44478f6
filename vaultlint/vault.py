"""The read-only view of a vault that vault rules receive."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .index import LinkIndex, NoteTargets
from .model import Note


@dataclass
class Vault:
    root: Path
    notes: Mapping[str, Note]  # every parsed note, linted or not
    index: LinkIndex
    services: dict[str, Any] = field(default_factory=dict)  # e.g. "history" for stale-tag
    memo: dict[Any, Any] = field(default_factory=dict)  # what rules derive once per vault
    collected: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule code -> path -> fact

    def service(self, name: str) -> Any:
        return self.services.get(name)

    @classmethod
    def build(
        cls,
        root: Path,
        notes: Mapping[str, Note],
        all_files: list[str],
    ) -> Vault:
        index = LinkIndex(all_files)
        for path, note in notes.items():
            index.set_targets(path, targets_of(note))
        return cls(root, notes, index)


def targets_of(note: Note) -> NoteTargets:
    return NoteTargets(
        headings=[h.text for h in note.headings],
        block_ids={b.id for b in note.block_ids},
        readable=note.read_error is None,
    )
