"""Suppressions written as Obsidian comments, invisible in reading view.

``%% vaultlint-disable-next-line RULE %%``, ``%% vaultlint-disable-line RULE %%``,
``%% vaultlint-disable RULE %%`` ... ``%% vaultlint-enable RULE %%`` (no RULE: every rule),
and the frontmatter key ``vaultlint-disable: [RULE, ...]`` (or ``true``) for a whole note.
RULE is a code, a name or a code prefix, several separated by commas or spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vaultlint.engine.registry import selector_matches
from vaultlint.engine.rule import Rule
from vaultlint.model.note import Note
from vaultlint.parse.frontmatter import string_list

DIRECTIVE = re.compile(
    r"%%[ \t]*vaultlint-(disable-next-line|disable-line|disable|enable)\b([^%\n]*)%%"
)
ALL = ("ALL",)


@dataclass
class Suppressions:
    whole_note: tuple[str, ...] = ()
    lines: dict[int, list[str]] = field(default_factory=dict)  # 1-based line -> selectors
    ranges: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)  # offsets

    def suppressed(self, rule: Rule, offset: int, line: int) -> bool:
        if any(selector_matches(s, rule) for s in self.whole_note):
            return True
        if any(selector_matches(s, rule) for s in self.lines.get(line, ())):
            return True
        return any(
            start <= offset < end and any(selector_matches(s, rule) for s in selectors)
            for start, end, selectors in self.ranges
        )


def _selectors(text: str) -> tuple[str, ...]:
    parts = tuple(p for p in re.split(r"[,\s]+", text.strip()) if p)
    return parts or ALL


def parse_suppressions(note: Note) -> Suppressions:
    result = Suppressions()
    disable = note.data.get("vaultlint-disable")
    if disable is True:
        result.whole_note = ALL
    elif disable:
        result.whole_note = tuple(string_list(disable))
    text = note.text
    if "vaultlint-" not in text:
        return result
    open_ranges: list[tuple[int, tuple[str, ...]]] = []
    for match in DIRECTIVE.finditer(text, note.body_start):
        if any(span.start <= match.start() < span.end for span in note.code):
            continue
        kind, selectors = match.group(1), _selectors(match.group(2))
        line = note.lines.position(match.start()).line
        if kind == "disable-next-line":
            result.lines.setdefault(line + 1, []).extend(selectors)
        elif kind == "disable-line":
            result.lines.setdefault(line, []).extend(selectors)
        elif kind == "disable":
            open_ranges.append((match.start(), selectors))
        else:
            still_open = []
            for start, active in open_ranges:
                if selectors == ALL or set(active) <= set(selectors):
                    result.ranges.append((start, match.end(), active))
                else:
                    still_open.append((start, active))
            open_ranges = still_open
    result.ranges.extend((start, len(text) + 1, active) for start, active in open_ranges)
    return result
