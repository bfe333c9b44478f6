"""Applying fixes: non-overlapping edits, each fix all or nothing, text built from slices."""

from __future__ import annotations

from collections.abc import Sequence

from vaultlint.model.fix import Edit, Fix


def apply_fixes(text: str, fixes: Sequence[Fix]) -> tuple[str, list[Fix]]:
    """Apply as many of ``fixes`` as do not overlap one another; return (text, applied)."""
    accepted: list[Fix] = []
    taken: list[tuple[int, int]] = []
    seen_edits: set[Edit] = set()
    for fix in sorted(fixes, key=lambda f: (min(e.start for e in f.edits), f.title)):
        new_edits = [e for e in fix.edits if e not in seen_edits]
        if not new_edits:
            accepted.append(fix)  # the same edit, already made by another violation's fix
            continue
        if any(_overlaps(e, taken) for e in new_edits):
            continue
        accepted.append(fix)
        for edit in new_edits:
            seen_edits.add(edit)
            taken.append((edit.start, edit.end))
    edits = sorted(seen_edits, key=lambda e: (e.start, e.end))
    parts: list[str] = []
    pos = 0
    for edit in edits:
        parts.append(text[pos : edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts), accepted


def _overlaps(edit: Edit, taken: list[tuple[int, int]]) -> bool:
    for start, end in taken:
        if edit.start < end and start < edit.end:
            return True
        if edit.start == edit.end == start == end:
            return True  # two insertions at one point: their order would be arbitrary
    return False
