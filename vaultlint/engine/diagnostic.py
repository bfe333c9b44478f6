"""What the engine reports: a rule's violation, stamped with the rule's identity and positions."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vaultlint.engine.rule import Fix, Safety, Severity
from vaultlint.model.note import Position


@dataclass(slots=True)  # not frozen: a cached report rebuilds tens of thousands at once
class Diagnostic:
    path: str  # vault-relative, "/"
    start: Position
    end: Position
    code: str
    rule: str
    severity: Severity
    message: str
    fix: Fix | None = None
    source: str = ""  # the text under the span: a baseline key that survives line shifts
    data: Mapping[str, Any] | None = None

    @property
    def fixable(self) -> bool:
        """A fix that ``--fix`` applies (safe)."""
        return self.fix is not None and self.fix.safety is Safety.SAFE

    @property
    def fix_safety(self) -> Safety | None:
        return self.fix.safety if self.fix is not None else None

    def fingerprint(self) -> str:
        key = "\0".join((self.path, self.code, " ".join(self.source.split())))
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.start.line, self.start.column, self.code)
