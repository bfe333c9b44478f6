"""The pre-commit fix for a staged rename: links that followed the old name follow the new one.

git already knows the rename (``git diff --cached``, see ``staged``). The vault as it was is the
vault as it is with each renamed file back at its old path; the move planner (``move``) then
finds the links whose file changed and rewrites them, in their own style, exactly as
``vaultlint mv`` would have. Deleted files are left out: a link to one has nothing to follow.
A note whose links cannot all be kept is left as it is (its problems are still reported).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vaultlint.disk.discovery import Vanished
from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.engine.report import NoteOutcome
from vaultlint.model.note import SourceText
from vaultlint.move.plan import NoteChange, plan_move
from vaultlint.parse.decode import decode
from vaultlint.parse.note import parse_note
from vaultlint.vault.view import Vault


@dataclass
class RenameOutcome(NoteOutcome):
    """A note whose links follow a staged rename; written byte for byte as planned."""

    data: bytes = b""
    read: bytes = b""  # the bytes the links were planned on: the file, or this run's fix of it

    def new_bytes(self) -> bytes:
        return self.data

    def old_bytes(self) -> bytes:
        return self.read


def repair_renames(
    vault: Vault,
    vanished: Vanished,
    notes: Iterable[str],
    outcomes: list[NoteOutcome],
    setting: str = "shortest",
) -> list[NoteChange]:
    """Rewrite, into ``outcomes``, the links of ``notes`` (paths now) and of the renamed notes
    that the staged renames broke or turned to another file; the changes made."""
    renames = {old: new for old, new in vanished.paths.items() if new is not None}
    if not renames:
        return []
    back = {new: old for old, new in renames.items()}
    now = vault.index.all_paths()
    fixed = {o.path: o for o in outcomes if o.changed and not o.unwritten}

    def read(before: str) -> bytes | None:
        path = renames.get(before, before)
        if path in fixed:
            return fixed[path].new_bytes()  # on top of this note's other fixes
        try:
            return (vault.root / path).read_bytes()
        except OSError:
            return None

    present = set(now)
    wanted = {back.get(path, path) for path in notes} | set(back.values())
    sources = sorted(
        p for p in wanted if p.lower().endswith(".md") and renames.get(p, p) in present
    )
    files = [back.get(path, path) for path in now]
    plan = plan_move(files, renames, read, setting, sources=sources, lenient=True)
    for change in plan.notes:
        new = decode(change.new_data, len(change.new_data) + 1)
        was = decode(change.data, len(change.data) + 1)
        if not isinstance(new, SourceText) or not isinstance(was, SourceText):
            continue  # the planner parsed both: cannot happen
        old = fixed.get(change.after)
        if old is not None:
            outcomes.remove(old)
        outcomes.append(
            RenameOutcome(
                change.after,
                old.before if old is not None else parse_note(change.after, was),
                parse_note(change.after, new),
                len(change.links) + (old.applied if old is not None else 0),
                data=change.new_data,
                read=change.data,
            )
        )
    return plan.notes


def drop_repaired(diagnostics: list[Diagnostic], changes: list[NoteChange]) -> list[Diagnostic]:
    """The diagnostics but those on a link that was rewritten."""
    repaired = {(c.after, link.line, link.column) for c in changes for link in c.links}
    return [d for d in diagnostics if (d.path, d.start.line, d.start.column) not in repaired]
