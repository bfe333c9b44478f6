"""The read-only view of a vault that vault rules receive."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .index import LinkIndex
from .model import Note
from .summary import NoteSummary, summarize
from .tally import Tally


@dataclass
class Vault:
    """``notes`` holds the notes being checked (it may parse them on demand); every note of the
    vault is known by its ``summary``. Vault-wide facts come from ``summaries``, ``collected``
    and ``tallies``, never from iterating ``notes``: a run that checks three notes does not
    parse ten thousand."""

    root: Path
    notes: Mapping[str, Note]
    index: LinkIndex
    summaries: Mapping[str, NoteSummary] = field(default_factory=dict)
    services: dict[str, Any] = field(default_factory=dict)  # e.g. "history" for stale-tag
    memo: dict[Any, Any] = field(default_factory=dict)  # what rules derive once per vault
    collected: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule code -> path -> fact
    tallies: dict[str, Tally] = field(default_factory=dict)  # rule code -> key -> notes
    carried: dict[str, Any] = field(default_factory=dict)  # what a full run leaves for partial ones
    complete: bool = True  # False: ``collected`` holds only the notes being checked

    def service(self, name: str) -> Any:
        return self.services.get(name)

    @classmethod
    def build(cls, root: Path, notes: Mapping[str, Note], all_files: list[str]) -> Vault:
        return cls.from_summaries(
            root, notes, {path: summarize(note) for path, note in notes.items()}, all_files
        )

    @classmethod
    def from_summaries(
        cls,
        root: Path,
        notes: Mapping[str, Note],
        summaries: Mapping[str, NoteSummary],
        all_files: list[str],
    ) -> Vault:
        index = LinkIndex(all_files)
        for path, summary in summaries.items():
            index.set_targets(path, summary.targets())
        return cls(root, notes, index, summaries)
