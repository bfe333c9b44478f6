"""What a rule yields: a violation of one note, and the fix it may carry (edits of the note's
text, applied all together or not at all)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vaultlint.model.note import Span


class Safety(str, enum.Enum):
    """Whether ``--fix`` applies a fix, or it waits for ``--unsafe-fixes``."""

    SAFE = "safe"  # applied by --fix
    UNSAFE = "unsafe"  # needs --unsafe-fixes: may change what the note means or links to


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str

    @classmethod
    def insert(cls, at: int, text: str) -> Edit:
        return cls(at, at, text)


@dataclass(frozen=True, slots=True)
class Fix:
    """Edits applied all together or not at all."""

    title: str
    edits: tuple[Edit, ...]
    safety: Safety = Safety.SAFE


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule found in a note: where, what it says, and the fix it offers, if any."""

    span: Span
    message: str
    fix: Fix | None = None
    data: Mapping[str, Any] | None = None  # extra fields for JSON output
