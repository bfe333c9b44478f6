"""The report cache in ``<vault>/.vaultlint/``: an unchanged vault answers from its last report.

Everything in it is data (JSON), checked for its format and keyed by the vaultlint version, the
configuration and the dictionaries: a corrupt, foreign or stale file is ignored and rebuilt,
never trusted. Files are written atomically (temporary file, then rename), so two runs at once
leave one complete cache or the other.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeGuard

from vaultlint import __version__
from vaultlint.cache.replay import git_head, writable
from vaultlint.disk.smallfile import MAX_CACHE_FILE, SmallFileError, read_json
from vaultlint.disk.writer import cache_folder, replace_text
from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.engine.rule import Fix, Safety, Severity
from vaultlint.model.note import Position

FORMAT = 1
FOLDER = ".vaultlint"


def vault_digest(root: Path, run_key: str, time_sensitive: bool, contents: str) -> str:
    """Changes when the vault's contents (``vaultlint.cache.contents``), the config or the
    run's options change (and, for rules that measure ages, when the day or the checked-out
    commit changes)."""
    digest = hashlib.sha256(run_key.encode())
    digest.update(contents.encode())
    if time_sensitive:
        digest.update(f"{date.today().isoformat()} {git_head(root)}".encode())
    return digest.hexdigest()


class Cache:
    def __init__(self, root: Path, key: str, enabled: bool = True) -> None:
        self.folder = root / FOLDER
        self.key = f"{__version__}:{key}"
        self.enabled = enabled
        self.writable = enabled and writable(root)
        self._data: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            self._data = {}
            if self.enabled:
                try:
                    data = read_json(self.folder / "cache.json", MAX_CACHE_FILE, follow_links=False)
                    if (
                        isinstance(data, dict)
                        and data.get("format") == FORMAT
                        and data.get("key") == self.key
                    ):
                        self._data = data
                except SmallFileError:
                    pass
        return self._data

    def report(self, digest: str) -> dict[str, Any] | None:
        report = self._load().get("report")
        if isinstance(report, dict) and report.get("digest") == digest:
            return report
        return None

    def save(self, digest: str | None, report: Mapping[str, Any] | None) -> None:
        if not self.writable:
            return
        data: dict[str, Any] = {"format": FORMAT, "key": self.key}
        if digest is not None and report is not None:
            data["report"] = {"digest": digest, **report}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        with contextlib.suppress(OSError):  # a read-only vault: run without a cache
            replace_text(cache_folder(self.folder) / "cache.json", text)


def encode_diagnostics(diagnostics: Sequence[Diagnostic]) -> list[list[Any]]:
    return [
        [
            d.path,
            d.start.line,
            d.start.column,
            d.end.line,
            d.end.column,
            d.code,
            d.rule,
            d.severity.value,
            d.message,
            d.fix.title if d.fix else None,
            d.fix.safety.value if d.fix else None,
            d.source,
            dict(d.data) if d.data else None,
        ]
        for d in diagnostics
    ]


_SEVERITIES = {s.value: s for s in Severity}
_SAFETIES = {s.value: s for s in Safety}


_LIMIT = 1 << 31


def valid_rows(rows: Any) -> TypeGuard[list[list[Any]]]:
    """Whether ``rows`` are diagnostics as ``encode_diagnostics`` wrote them (each value is
    checked for its type and range: the file is data, not trusted)."""
    if not isinstance(rows, list):
        return False
    severities, safeties, limit, str_, int_ = _SEVERITIES, _SAFETIES, _LIMIT, str, int
    for row in rows:
        if type(row) is not list or len(row) != 13:
            return False
        (
            path,
            line,
            column,
            end_line,
            end_column,
            code,
            rule,
            severity,
            message,
            title,
            safety,
            source,
            data,
        ) = row
        # one value at a time, unrolled in the loop: a big vault's report has a hundred
        # thousand rows
        if not (
            type(path) is str_
            and type(line) is int_
            and type(column) is int_
            and type(end_line) is int_
            and type(end_column) is int_
            and 0 < line < limit
            and 0 < column < limit
            and 0 < end_line < limit
            and 0 < end_column < limit
            and type(code) is str_
            and type(rule) is str_
            and type(severity) is str_
            and severity in severities
            and type(message) is str_
            and (
                (title is None and safety is None)
                or (type(title) is str_ and type(safety) is str_ and safety in safeties)
            )
            and type(source) is str_
            and (data is None or type(data) is dict)
        ):
            return False
    return True


def decode_diagnostics(rows: Any) -> list[Diagnostic] | None:
    """The diagnostics ``encode_diagnostics`` wrote, or None if any row is not one of them."""
    return _build(rows) if valid_rows(rows) else None


def _build(rows: list[list[Any]]) -> list[Diagnostic]:
    """The diagnostics of rows ``valid_rows`` passed."""
    severities, safeties = _SEVERITIES, _SAFETIES
    # positions and fixes are frozen values, many of them equal: one object for each, built
    # once (a frozen dataclass is slow to build)
    positions: dict[tuple[int, int], Position] = {}
    fixes: dict[tuple[str, str], Fix] = {}
    found: list[Diagnostic] = []
    append = found.append
    for (
        path,
        line,
        column,
        end_line,
        end_column,
        code,
        rule,
        severity,
        message,
        title,
        safety,
        source,
        data,
    ) in rows:
        start = positions.get((line, column))
        if start is None:
            start = positions[line, column] = Position(line, column)
        end = positions.get((end_line, end_column))
        if end is None:
            end = positions[end_line, end_column] = Position(end_line, end_column)
        fix = None
        if title is not None:  # with its safety (checked)
            fix = fixes.get((title, safety))
            if fix is None:
                fix = fixes[title, safety] = Fix(title, (), safeties[safety])
        append(
            Diagnostic(
                path, start, end, code, rule, severities[severity], message, fix, source, data
            )
        )
    return found


@dataclass
class StoredReport:
    """A cached report, checked: its diagnostics still as rows, decoded only when asked (the
    JSON output is written from the rows themselves)."""

    rows: list[list[Any]]
    notes_checked: int
    messages: list[str]
    defaults: list[str]

    def diagnostics(self) -> list[Diagnostic]:
        return _build(self.rows)


def read_report(cached: Mapping[str, Any]) -> StoredReport | None:
    """A cached report, or None if any part of it is forged."""
    rows = cached.get("diagnostics")
    checked, messages = cached.get("notes_checked"), cached.get("messages")
    if not valid_rows(rows) or type(checked) is not int or not 0 <= checked < 1 << 31:
        return None
    defaults = cached.get("defaults", [])
    if not isinstance(messages, list) or not all(type(m) is str for m in messages):
        return None
    if not isinstance(defaults, list) or not all(type(m) is str for m in defaults):
        return None
    return StoredReport(rows, checked, messages, defaults)
