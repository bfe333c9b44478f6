"""Removing inline ``#tags`` from a note body, and the ``---`` rule a closing tag sat under."""

from __future__ import annotations

import re
from collections.abc import Sequence

from vaultlint.model.fix import Edit
from vaultlint.model.note import Note, Tag

_SEPARATOR = re.compile(r"[ \t]+[-–—|:·•][ \t]+")
_SEPARATOR_BEFORE = re.compile(r"[ \t]+[-–—|:·•][ \t]+$")
_RULE_LINE = re.compile(r"[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})")


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


class NotPlainText(ValueError):
    """A tag that is not in plain text: removing it could delete something else."""


_HTML = re.compile(r"<[A-Za-z/!]")


def _in_plain_text(note: Note, tag: Tag) -> bool:
    """Whether a tag sits in plain prose: not in a comment (``%% %%``, ``<!-- -->``: never
    edited), a link (its text) or a paragraph holding HTML (``<pre>``, ``<span>``)."""
    at = tag.span.start
    if any(region.start <= at < region.end for region in (*note.comments, *note.code)):
        return False
    if any(link.span.start <= at < link.span.end for link in note.links):
        return False
    text = note.text
    start = text.rfind("\n\n", 0, at)
    end = text.find("\n\n", at)
    paragraph = text[0 if start < 0 else start : len(text) if end < 0 else end]
    return _HTML.search(paragraph) is None and "](" not in paragraph


def remove_inline_tags(note: Note, tags: Sequence[Tag]) -> list[Edit]:
    """Edits that delete ``tags`` (inline ones) with the space that separated them.

    A line left empty goes entirely; when what remains of the note after a thematic break
    (``---``) is then blank, the break goes too. A note without a final newline keeps none.
    NotPlainText when a tag is not in plain text (see ``_in_plain_text``).
    """
    for tag in tags:
        if not _in_plain_text(note, tag):
            raise NotPlainText(f"#{tag.name} is not in plain text")
    text = note.text
    by_line: dict[tuple[int, int], list[Tag]] = {}
    for tag in tags:
        by_line.setdefault(_line_bounds(text, tag.span.start), []).append(tag)
    edits: list[Edit] = []
    emptied: list[tuple[int, int]] = []
    for (start, end), on_line in sorted(by_line.items()):
        line = text[start:end]
        kept = line
        for tag in sorted(on_line, key=lambda t: t.span.start, reverse=True):
            a, b = tag.span.start - start, tag.span.end - start
            separator = _SEPARATOR.match(kept, b)
            before = _SEPARATOR_BEFORE.search(kept, 0, a)
            if not kept[:a].strip() and separator is not None:
                b = separator.end()  # "#tag - rest": the dash belonged to the tag, not a list
            elif not kept[b:].strip() and before is not None and kept[: before.start()].strip():
                a = before.start()  # "rest - #tag": the same, at the end of the line
            elif a > 0 and kept[a - 1] in " \t":
                a -= 1
            elif b < len(kept) and kept[b] in " \t":
                b += 1
            kept = kept[:a] + kept[b:]
        if kept.strip():
            edits.append(Edit(start, end, kept))
        else:
            emptied.append((start, end))
    for start, end in emptied:
        edits.append(Edit(start, min(end + 1, len(text)), ""))
    return _keep_no_final_newline(text, _drop_closing_rule(text, edits, emptied))


def _keep_no_final_newline(text: str, edits: list[Edit]) -> list[Edit]:
    """When the edits delete the end of a note that has no final newline, the newline before
    the deleted lines goes too: the note still ends without one."""
    if text.endswith("\n") or not edits:
        return edits
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    reach = len(text)
    first: Edit | None = None
    for edit in reversed(ordered):
        if edit.replacement or edit.end < reach:
            break
        first, reach = edit, edit.start
    cut = len(text[:reach].rstrip("\n"))
    if first is None or cut == reach:
        return edits
    if any(e.start < reach and e.end > cut for e in edits if e is not first):
        return edits
    return [Edit(cut, e.end, "") if e is first else e for e in edits]


def _drop_closing_rule(text: str, edits: list[Edit], emptied: list[tuple[int, int]]) -> list[Edit]:
    if not emptied:
        return edits
    last_start, last_end = emptied[-1]
    if text[last_end:].strip():
        return edits  # something still follows the removed tag line
    before = text[:last_start].rstrip("\n")
    rule_start = before.rfind("\n") + 1
    if not _RULE_LINE.fullmatch(before[rule_start:]):
        return edits
    if any(e.start >= rule_start and e.end <= last_start and e.replacement for e in edits):
        return edits
    kept = [e for e in edits if not (rule_start <= e.start < len(text))]
    kept.append(Edit(rule_start, len(text), ""))
    return kept
