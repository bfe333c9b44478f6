"""The "history" service as a rule sees it: when each note last changed.

The service itself reads git (``vaultlint.disk.history``); a rule that lists ``"history"`` in
``META.needs`` receives it from ``VaultView.service("history")`` and relies only on this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Change:
    when: datetime  # aware, UTC
    source: str  # "git", "git-uncommitted", "frontmatter:<key>", "mtime"


class History(Protocol):
    """When each note last changed: by git (committed, or with local changes), or by the
    file's modification time; ``now`` is the run's own time, ages count from it."""

    @property
    def now(self) -> datetime: ...

    @property
    def in_git(self) -> bool: ...

    @property
    def shallow(self) -> bool: ...

    def git_change(self, path: str) -> Change | None: ...

    def mtime(self, path: str) -> Change | None: ...
