"""Planning a move: which files go where, and which links to rewrite so that each one still
reaches the file it reached before.

The resolver decides, not this module: every link is resolved in the vault as it is and in the
vault as it will be (both in memory, through ``LinkIndex`` and the link rules' own resolution).
A link whose answer changes is rewritten in its own style (``linkwrite``) and resolved again;
each rewritten note is then parsed back and compared with the old one. Links that were broken
or ambiguous before the move are left as they are; links in code are not links (the scanner).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vaultlint.edit.linkwrite import (
    decoded,
    encode,
    is_markdown,
    linkpaths,
    name_counts,
    written_as,
)
from vaultlint.model.note import Link, LinkKind, Note, SourceText
from vaultlint.parse.decode import BOM, decode
from vaultlint.parse.note import parse_note
from vaultlint.vault.index import LinkIndex, Resolution
from vaultlint.vault.linkcheck import LinkOptions
from vaultlint.vault.linkcheck import (
    _resolve as resolve_as_rules,  # the resolution the link rules report on
)
from vaultlint.vault.view import Vault

_OPTIONS = LinkOptions()
# characters a wikilink's path cannot hold: they end or split the link (spec §6.3)
_WIKI_BREAKERS = re.compile(r"[|#^\[\]\n]")


class MoveError(Exception):
    """Why a move cannot be made (one line); nothing was changed."""


@dataclass(frozen=True)
class LinkChange:
    line: int  # 1-based, in the note as it was
    column: int
    old: str  # the whole link as written
    new: str
    target: str  # the file it reaches, after the move


@dataclass
class NoteChange:
    """One note whose links are rewritten: its bytes before and after."""

    before: str  # vault path before the move
    after: str  # vault path after it (the same unless the note moves)
    old_text: str
    new_text: str
    data: bytes
    new_data: bytes
    links: list[LinkChange]


@dataclass
class MovePlan:
    """Every file that moves, and every note whose text changes."""

    moves: dict[str, str]  # vault path before -> after, one entry per file
    notes: list[NoteChange] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # notes whose links could not be read
    ambiguous: list[str] = field(default_factory=list)  # "path:line:col": left as they were
    skipped: list[str] = field(default_factory=list)  # why a note was left out (lenient)

    @property
    def link_count(self) -> int:
        return sum(len(n.links) for n in self.notes)


def file_moves(files: Iterable[str], old: str, new: str) -> dict[str, str]:
    """Where each vault file goes when ``old`` (a file or a folder) becomes ``new``."""
    moves: dict[str, str] = {}
    prefix = old.rstrip("/") + "/"
    for path in files:
        if path == old:
            moves[path] = new
        elif path.startswith(prefix):
            moves[path] = new.rstrip("/") + "/" + path[len(prefix) :]
    return moves


def plan_move(
    files: list[str],
    moves: dict[str, str],
    read: Callable[[str], bytes | None],
    setting: str = "shortest",
    sources: Iterable[str] | None = None,
    max_bytes: int = 20 * 1024 * 1024,
    lenient: bool = False,
) -> MovePlan:
    """The rewrites that keep every link of the notes ``sources`` (default: every note) on
    its file when the files ``moves`` names move. ``files`` lists the vault before the move;
    ``read`` gives a note's bytes by its path before the move (None: unreadable).
    ``setting`` is ``newLinkFormat``. Raises ``MoveError`` when a link cannot be kept (with
    ``lenient``, that note is left out and named in ``skipped`` instead)."""
    after_files = [moves.get(f, f) for f in files]
    before = Vault(Path("."), {}, LinkIndex(files))
    after = Vault(Path("."), {}, LinkIndex(after_files))
    names = name_counts(after_files)
    plan = MovePlan(dict(moves))
    notes = sources if sources is not None else [f for f in files if f.lower().endswith(".md")]
    for path in notes:
        data = read(path)
        source = decode(data, max_bytes) if data is not None else None
        if data is None or not isinstance(source, SourceText):
            plan.unreadable.append(path)
            continue
        note = parse_note(path, source)
        try:
            change = _plan_note(note, data, moves, before, after, names, setting, plan)
        except MoveError as exc:
            if not lenient:
                raise
            plan.skipped.append(str(exc))
            continue
        if change is not None:
            plan.notes.append(change)
    return plan


def _plan_note(
    note: Note,
    data: bytes,
    moves: dict[str, str],
    before: Vault,
    after: Vault,
    names: Counter[str],
    setting: str,
    plan: MovePlan,
) -> NoteChange | None:
    moved = dataclasses.replace(note, path=moves.get(note.path, note.path))
    edits: list[tuple[Link, str, str]] = []  # (link, new linkpath text, target)
    expected: dict[int, str] = {}  # link start -> the file it must reach after the move
    for link in note.links:
        if not link.target:
            continue  # [[#heading]]: the note itself, wherever it is
        was = resolve_as_rules(link, note, before, _OPTIONS)
        if was.path is None:
            continue  # broken before: not this move's business
        if was.ambiguous:
            now = resolve_as_rules(link, moved, after, _OPTIONS)
            if now.path != moves.get(was.path, was.path) or now.ambiguous:
                position = note.lines.position(link.span.start)
                plan.ambiguous.append(f"{note.path}:{position.line}:{position.column}")
            continue
        target = moves.get(was.path, was.path)
        expected[link.span.start] = target
        now = resolve_as_rules(link, moved, after, _OPTIONS)
        if _reaches(now, target):
            continue
        written = _rewrite(link, note, moved, was.path, target, after, names, setting)
        edits.append((link, written, target))
    if not edits:
        return None
    return _note_change(note, moved.path, data, edits, expected, after)


def _reaches(found: Resolution, target: str) -> bool:
    return found.path == target and not found.ambiguous


def _rewrite(
    link: Link,
    note: Note,
    moved: Note,
    was: str,
    target: str,
    after: Vault,
    names: Counter[str],
    setting: str,
) -> str:
    """The new text of the link's path: the first form in its style that reaches ``target``."""
    raw = note.text[link.target_span.start : link.target_span.end]
    how = written_as(link, raw, note.path, was, setting)
    for linkpath in linkpaths(how, moved.path, target, names):
        if not is_markdown(link) and _WIKI_BREAKERS.search(linkpath):
            continue
        if link.kind is LinkKind.FRONTMATTER and _ends_yaml_string(linkpath, note, link):
            continue
        text = encode(linkpath, how)
        candidate = dataclasses.replace(link, target=decoded(text, how))
        if _reaches(resolve_as_rules(candidate, moved, after, _OPTIONS), target):
            return text
    position = note.lines.position(link.span.start)
    raise MoveError(
        f'{note.path}:{position.line}:{position.column}: no link to "{target}" written there '
        f"would reach it (a name with | # ^ [ ] cannot be linked to)"
    )


def _ends_yaml_string(linkpath: str, note: Note, link: Link) -> bool:
    """Whether ``linkpath`` would end (or escape in) the quoted YAML string holding ``link``."""
    line_start = note.text.rfind("\n", 0, link.span.start) + 1
    before = note.text[line_start : link.span.start]
    if before.rfind("'") < 0 and before.rfind('"') < 0:
        return any(char in linkpath for char in "'\"\\")  # quoted how: cannot tell
    if before.rfind("'") > before.rfind('"'):
        return "'" in linkpath
    return '"' in linkpath or "\\" in linkpath


def _note_change(
    note: Note,
    new_path: str,
    data: bytes,
    edits: list[tuple[Link, str, str]],
    expected: dict[int, str],
    after: Vault,
) -> NoteChange:
    text = note.text
    spans = [(link.target_span.start, link.target_span.end, new) for link, new, _ in edits]
    parts: list[str] = []
    pos = 0
    for start, end, new in spans:
        parts.append(text[pos:start])
        parts.append(new)
        pos = end
    parts.append(text[pos:])
    new_text = "".join(parts)
    new_data = edit_bytes(data, spans)
    changes = []
    for link, new, target in edits:
        position = note.lines.position(link.span.start)
        at = link.target_span.start - link.span.start
        new_raw = (
            link.raw[:at] + new + link.raw[at + link.target_span.end - link.target_span.start :]
        )
        changes.append(LinkChange(position.line, position.column, link.raw, new_raw, target))
    change = NoteChange(note.path, new_path, text, new_text, data, new_data, changes)
    verify(note, change, {link.span.start: new for link, new, _ in edits}, expected, after)
    return change


def edit_bytes(data: bytes, spans: list[tuple[int, int, str]]) -> bytes:
    """Replace ``spans`` (offsets in the decoded text, whose newlines are "\\n") in the file's
    bytes, keeping its BOM and every line ending as it was."""
    bom = data.startswith(BOM)
    raw = (data[len(BOM) :] if bom else data).decode("utf-8")
    # the decoded text drops the "\r" of each "\r\n": where each of those "\n" lands in it
    newlines = [m.start() - i for i, m in enumerate(re.finditer("\r\n", raw))]

    def at(offset: int) -> int:
        return offset + bisect.bisect_left(newlines, offset)

    parts: list[str] = []
    pos = 0
    for start, end, new in sorted(spans):
        parts.append(raw[pos : at(start)])
        parts.append(new)
        pos = at(end)
    parts.append(raw[pos:])
    return (BOM if bom else b"") + "".join(parts).encode("utf-8")


def verify(
    note: Note,
    change: NoteChange,
    rewritten: dict[int, str],
    expected: dict[int, str],
    after: Vault,
) -> None:
    """Raise ``MoveError`` unless the new bytes parse back into the same note but for the
    rewritten link paths, and every link that reached a file reaches it still."""
    where = f"{note.path}: rewriting its links failed a check"
    source = decode(change.new_data, len(change.new_data) + 1)
    old = note.source
    if not isinstance(source, SourceText):
        raise MoveError(f"{where} (it would no longer be readable); nothing was changed")
    if (source.text, source.bom, source.newline, source.mixed_newlines) != (
        change.new_text,
        old.bom,
        old.newline,
        old.mixed_newlines,
    ):
        raise MoveError(f"{where} (its line endings or BOM would change); nothing was changed")
    new = parse_note(change.after, source)
    if len(new.links) != len(note.links) or note.frontmatter_valid != new.frontmatter_valid:
        raise MoveError(f"{where} (its links would no longer parse); nothing was changed")
    if [t.name for t in new.tags] != [t.name for t in note.tags] or len(new.headings) != len(
        note.headings
    ):
        raise MoveError(f"{where} (more than its links would change); nothing was changed")
    outside_old: list[str] = []
    outside_new: list[str] = []
    pos_old = pos_new = 0
    for was, now in zip(note.links, new.links, strict=True):
        new_path = rewritten.get(was.span.start)
        wanted = was.raw
        if new_path is not None:
            at = was.target_span.start - was.span.start
            wanted = (
                was.raw[:at]
                + new_path
                + was.raw[at + was.target_span.end - was.target_span.start :]
            )
        if was.kind is not now.kind or now.raw != wanted:
            raise MoveError(f"{where} (a link would read differently); nothing was changed")
        outside_old.append(note.text[pos_old : was.span.start])
        outside_new.append(change.new_text[pos_new : now.span.start])
        pos_old, pos_new = was.span.end, now.span.end
        target = expected.get(was.span.start)
        if target is not None and not _reaches(resolve_as_rules(now, new, after, _OPTIONS), target):
            raise MoveError(f'{where} (a link would miss "{target}"); nothing was changed')
    outside_old.append(note.text[pos_old:])
    outside_new.append(change.new_text[pos_new:])
    if outside_old != outside_new:
        raise MoveError(f"{where} (text outside links would change); nothing was changed")
