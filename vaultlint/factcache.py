"""Per-note cache of what parsing a note body found, keyed by the note's content hash.

Scanning bodies and gathering rules' per-note facts is most of a cold run; a note whose bytes
did not change gives the same answers, so ``.vaultlint/notes.json`` keeps them between runs.
The frontmatter is re-read each time (libyaml is fast, and its values are not all JSON). The
file is data only (JSON), keyed by the vaultlint version; anything unexpected in it makes the
entry (or the whole file) count as missing, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from . import __version__
from .answer import writable
from .model import BlockId, Heading, Link, LinkKind, Span, Tag, TagSource
from .scanner import ScanResult

FORMAT = 2
FILE = "notes.json"
_KINDS = {kind.value: kind for kind in LinkKind}


def content_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def _spans(spans: tuple[Span, ...]) -> list[int]:
    return [n for s in spans for n in (s.start, s.end)]


def _unspans(flat: list[int]) -> tuple[Span, ...]:
    return tuple(Span(flat[i], flat[i + 1]) for i in range(0, len(flat), 2))


def encode_scan(result: ScanResult) -> list[Any]:
    return [
        _spans(result.code),
        _spans(result.comments),
        [[h.level, h.text, h.span.start, h.span.end] for h in result.headings],
        [[b.id, b.span.start, b.span.end] for b in result.block_ids],
        [
            [
                link.kind.value,
                link.span.start,
                link.span.end,
                link.target,
                link.subpath,
                link.display,
                link.target_span.start,
                link.target_span.end,
                link.comment,
            ]
            for link in result.links
        ],
        [[t.name, t.span.start, t.span.end] for t in result.tags],
    ]


def decode_scan(data: Any, text: str) -> ScanResult:
    code, comments, headings, blocks, links, tags = data
    return ScanResult(
        _unspans(code),
        _unspans(comments),
        tuple(Heading(h[0], h[1], Span(h[2], h[3])) for h in headings),
        tuple(BlockId(b[0], Span(b[1], b[2])) for b in blocks),
        tuple(
            Link(
                _KINDS[row[0]],
                Span(row[1], row[2]),
                text[row[1] : row[2]],
                row[3],
                row[4],
                row[5],
                Span(row[6], row[7]),
                row[8],
            )
            for row in links
        ),
        tuple(Tag(t[0], Span(t[1], t[2]), TagSource.INLINE) for t in tags),
    )


class FactCache:
    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.path = root / ".vaultlint" / FILE
        self.enabled = enabled
        self.writable = enabled and writable(root)
        self.entries: dict[str, list[Any]] = {}  # note path -> [content key, scan, facts]
        self.used: dict[str, list[Any]] = {}
        self.changed = False
        if enabled:
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if (
                    isinstance(data, dict)
                    and data.get("format") == FORMAT
                    and data.get("version") == __version__
                ):
                    notes = data.get("notes")
                    if isinstance(notes, dict):
                        self.entries = notes

    def scan(self, path: str, key: str, text: str) -> ScanResult | None:
        entry = self.entries.get(path)
        if not isinstance(entry, list) or len(entry) != 3 or entry[0] != key:
            return None
        try:
            result = decode_scan(entry[1], text)
        except (TypeError, ValueError, IndexError, KeyError):
            return None
        self.used[path] = entry
        return result

    def fact(self, path: str, key: str, code: str, options_key: str) -> tuple[bool, Any]:
        entry = self.used.get(path)
        if entry is None or entry[0] != key or not isinstance(entry[2], dict):
            return False, None
        found = entry[2].get(code)
        if isinstance(found, list) and len(found) == 2 and found[0] == options_key:
            return True, found[1]
        return False, None

    def remember(
        self, path: str, key: str, result: ScanResult, facts: dict[str, list[Any]]
    ) -> None:
        old = self.used.get(path)
        if old is not None and old[0] == key and old[2] == facts:
            return
        self.used[path] = [key, encode_scan(result), facts]
        self.changed = True

    def save(self) -> None:
        if not self.writable or (not self.changed and set(self.used) == set(self.entries)):
            return
        data = {"format": FORMAT, "version": __version__, "notes": self.used}
        try:
            self.path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix="notes.", suffix=".tmp", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self.path)
        except OSError:
            pass
