"""What a run produced: diagnostics, what fixing did, and what went wrong inside."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.model.note import Note


@dataclass
class NoteOutcome:
    """What fixing one note did (only for notes whose text changed or could not be fixed)."""

    path: str
    before: Note
    after: Note
    applied: int = 0
    error: str | None = None
    unwritten: bool = False  # fixed, but the file could not be written
    warnings: list[str] = field(default_factory=list)  # fixes left out of a written note

    @property
    def changed(self) -> bool:
        return self.error is None and self.after.text != self.before.text

    def new_bytes(self) -> bytes:
        return self.after.source.encode(self.after.text)

    def old_bytes(self) -> bytes:
        """The note's file as it was read (a note with mixed line endings is never fixed, so
        encoding the read text gives its bytes back)."""
        return self.before.source.encode(self.before.text)


@dataclass
class Report:
    """What a run produced: diagnostics, each fixed note's outcome, internal errors, notices."""

    root: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outcomes: list[NoteOutcome] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    notes_checked: int = 0
    notes_reused: int = 0  # of those, the notes whose findings the last run kept (unchanged)
    messages: list[str] = field(default_factory=list)  # one-off notices for the user (stderr)
    defaults: list[str] = field(default_factory=list)  # why a rule is on or off for this vault

    _crashes: dict[str, list[str]] = field(default_factory=dict)

    crash_list: list[tuple[str, str, str, Exception]] = field(default_factory=list)

    def crash(self, name: str, code: str, path: str, exc: Exception) -> None:
        """One line per distinct crash, naming the first note and counting the others."""
        self.crash_list.append((name, code, path, exc))
        key = f"rule {name} ({code}) crashed: {exc!r}"
        notes = self._crashes.setdefault(key, [])
        notes.append(path)
        index = list(self._crashes).index(key)
        more = f" (and {len(notes) - 1} more notes)" if len(notes) > 1 else ""
        line = f"{notes[0]}: {key}{more}"
        if index < len(self.internal_errors):
            self.internal_errors[index] = line
        else:
            self.internal_errors.append(line)

    @property
    def unwritten(self) -> int:
        """Notes fixed but not written (changed meanwhile, or unwritable)."""
        return sum(o.unwritten for o in self.outcomes)

    @property
    def fixes_applied(self) -> int:
        return sum(o.applied for o in self.outcomes if o.changed)
