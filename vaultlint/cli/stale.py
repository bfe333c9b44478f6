"""``vaultlint stale``: the watched notes a gardener works through, oldest first."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from vaultlint.cli.formats import printable
from vaultlint.disk.history import History
from vaultlint.model.note import Note, TagSource
from vaultlint.vault.view import Vault

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class StaleRow:
    path: str
    tag: str
    status: str  # "neglected", "outgrown" or "growing"
    age_days: int | None
    since: str | None
    date_source: str | None
    words: int
    incoming_links: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def word_count(note: Note) -> int:
    body = note.text[note.body_start :]
    for span in reversed(note.code):
        start, end = span.start - note.body_start, span.end - note.body_start
        if start >= 0:
            body = body[:start] + body[end:]
    inline_tags = sum(1 for t in note.tags if t.source is TagSource.INLINE)
    return max(0, len(_WORD.findall(body)) - inline_tags)


def incoming_links(vault: Vault) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path, summary in vault.summaries.items():
        for target in {vault.index.resolve(name, path).path for name, _ in summary.links}:
            if target is not None and target != path:
                counts[target] = counts.get(target, 0) + 1
    return counts


def stale_rows(vault: Vault, lintable: set[str], options: Any, rule: Any) -> list[StaleRow]:
    """Rows for every lintable note carrying a watched tag (``rule`` is the stale-tag module)."""
    history: History = vault.services["history"]
    links = incoming_links(vault)
    rows = []
    for path in sorted(lintable):
        note = vault.notes[path]
        if note.read_error is not None:
            continue
        graduated = any(rule.carries(t, g) for t in note.tags for g in options.graduated_tags)
        for watched, max_age in options.tags.items():
            if not any(rule.carries(t, watched) for t in note.tags):
                continue
            change = rule.last_change(note, history, options)
            age = (history.now - change.when).days if change is not None else None
            status = "growing"
            if graduated:
                status = "outgrown"
            elif age is not None and age > rule.parse_age(max_age):
                status = "neglected"
            rows.append(
                StaleRow(
                    path,
                    watched,
                    status,
                    age,
                    change.when.date().isoformat() if change is not None else None,
                    change.source if change is not None else None,
                    word_count(note),
                    links.get(path, 0),
                )
            )
    rows.sort(key=lambda r: (-(r.age_days if r.age_days is not None else -1), r.path))
    return rows


def format_rows(rows: list[StaleRow]) -> str:
    header = f"{'age':>6}  {'since':<10}  {'source':<16}  {'words':>5}  {'links':>5}  {'status':<9}  note"
    lines = [header]
    for r in rows:
        age = f"{r.age_days}d" if r.age_days is not None else "?"
        lines.append(
            f"{age:>6}  {r.since or '?':<10}  {r.date_source or '?':<16}  {r.words:>5}  "
            f"{r.incoming_links:>5}  {r.status:<9}  {printable(r.path)}"
        )
    return "\n".join(lines)
