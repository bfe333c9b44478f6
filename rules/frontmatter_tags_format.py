"""Report frontmatter tags written so that Obsidian drops them.

## What it does
Finds the ways a ``tags`` property silently loses tags:

- ``tags: #a #b``: in YAML ``#`` starts a comment, so the property is empty;
- ``- #a`` in a list: an empty item, for the same reason;
- a tag with spaces (``- my tag``): not a valid tag;
- the singular ``tag:`` key, no longer a default property since Obsidian 1.9.

## Why it matters
The note vanishes from tag searches, the tag pane and the published site's tag pages, while
the frontmatter still looks tagged to its author.

## Example
``tags: #garden #compost`` → ``tags written as a YAML comment: Obsidian reads no tags
(the fix writes tags: [garden, compost])``.

## Fix safety
Safe where the meaning is certain: ``tags: #a #b`` becomes ``tags: [a, b]``, ``- #a`` becomes
``- a``, ``tag:`` becomes ``tags:`` (when there is no ``tags:`` already). Unsafe for tags with
spaces, which become ``my-tag`` (the author may have meant two tags). Each fix is checked by
re-parsing before it is offered.

## Options
None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from vaultlint.edit.yamledit import EditRefused, render_scalar, verified
from vaultlint.engine.rule import (
    Edit,
    Fix,
    FixAvailability,
    RuleMeta,
    RuleOptions,
    Safety,
    Violation,
)
from vaultlint.model.note import Note, Span
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL203",
    name="frontmatter-tags-format",
    summary="Frontmatter tags written so Obsidian drops them (#comment, spaces, singular tag:)",
    fix=FixAvailability.SOMETIMES,
    needs_valid_frontmatter=True,
)
Options = RuleOptions

_KEY_COMMENT = re.compile(r"^(tags?):[ \t]+#(\S.*?)[ \t]*$", re.MULTILINE)
_ITEM_COMMENT = re.compile(r"^([ \t]*-[ \t]+)#(\S[^\n]*?)[ \t]*$", re.MULTILINE)
_TOP_KEY = re.compile(r"^[^\s#-][^\n:]*:", re.MULTILINE)


def _tags_block(note: Note, key: str) -> tuple[int, int] | None:
    """Offsets of the lines that hold ``key``'s value."""
    assert note.frontmatter is not None
    start, end = note.frontmatter.yaml_span.start, note.frontmatter.yaml_span.end
    match = re.compile(rf"^{key}:", re.MULTILINE).search(note.text, start, end)
    if match is None:
        return None
    following = _TOP_KEY.search(note.text, match.end(), end)
    return match.start(), following.start() if following else end


def _fix(note: Note, edit: Edit, expect: Any, title: str, safety: Safety = Safety.SAFE) -> Any:
    return _fix_all(note, [edit], expect, title, safety)


# Items fixed one by one past this many when fixing them all at once is refused: each fix is
# verified by parsing the whole frontmatter again, so one per item costs quadratic time.
_SINGLE_FIXES = 20


def _item_fixes(
    note: Note,
    key: str,
    changes: list[tuple[int, str, Edit]],
    title: str,
    safety: Safety = Safety.SAFE,
) -> list[Fix | None]:
    """One fix per changed list item (index, new value, edit). Every item gets the fix that
    rewrites them all, verified once, so ``--fix`` makes the same edits whichever violations
    it applies; if that one is refused, the first few items are tried one by one."""

    def expect(old: dict[str, Any], new: dict[int, str]) -> dict[str, Any]:
        return {**old, key: [new.get(j, v) for j, v in enumerate(old[key])]}

    if not changes:
        return []
    if len(changes) > 1:
        values = {index: value for index, value, _ in changes}
        edits = [edit for _, _, edit in changes]
        names = ", ".join(value for _, value, _ in changes[:3])
        more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
        together = _fix_all(
            note, edits, lambda old: expect(old, values), title.format(names + more), safety
        )
        if together is not None:
            return [together] * len(changes)
    return [
        _fix_all(
            note, [edit], lambda old, n={index: value}: expect(old, n), title.format(value), safety
        )
        if number < _SINGLE_FIXES
        else None
        for number, (index, value, edit) in enumerate(changes)
    ]


def _fix_all(note: Note, edits: list[Edit], expect: Any, title: str, safety: Safety) -> Fix | None:
    try:
        return verified(note, edits, expect, title, safety)
    except (EditRefused, yaml.YAMLError):
        return None


def check(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
    if note.frontmatter is None:
        return
    data = note.data
    text = note.text
    for key in ("tags", "tag"):
        block = _tags_block(note, key)
        if block is None:
            continue
        start, end = block
        comment = _KEY_COMMENT.match(text, start, end)
        if comment is not None and data.get(key) is None:
            names = [n.lstrip("#") for n in re.split(r"[\s,]+", comment.group(2)) if n.lstrip("#")]
            rendered = "[" + ", ".join(render_scalar(n, flow=True) for n in names) + "]"
            edit = Edit(comment.start(2) - 1, comment.end(2), rendered)
            fix = _fix(
                note, edit, lambda old, k=key, v=names: {**old, k: v}, f"Write {key}: {rendered}"
            )
            yield Violation(
                Span(comment.start(2) - 1, comment.end(2)),
                f"{key} written as a YAML comment: Obsidian reads no tags"
                + (f" (the fix writes {key}: {rendered})" if fix else ""),
                fix,
            )
        value = data.get(key)
        items = value if isinstance(value, list) else []
        nulls = [i for i, item in enumerate(items) if item is None]
        commented = list(_ITEM_COMMENT.finditer(text, start, end))
        certain = len(nulls) == len(commented)  # else an empty "- " item breaks the pairing
        uncomment = [
            (index, m.group(2), Edit(m.start(2) - 1, m.end(2), render_scalar(m.group(2))))
            for index, m in (zip(nulls, commented, strict=True) if certain else [])
        ]
        comment_fixes = _item_fixes(note, key, uncomment, "Write - {}")
        for number, m in enumerate(commented):
            yield Violation(
                Span(m.start(2) - 1, m.end(2)),
                f'tag "#{m.group(2)}" is a YAML comment in the list: an empty item',
                comment_fixes[number] if certain else None,
            )
        spaced: list[tuple[str, int]] = []  # (item, offset or -1), in list order
        dashes: list[tuple[int, str, Edit]] = []
        after = start  # items are written in order: the next one is after the last found
        for index, item in enumerate(items):
            if isinstance(item, str) and " " in item.strip():
                at = text.find(item, after, end)
                spaced.append((item, at))
                if at >= 0:
                    dashed = "-".join(item.split())
                    dashes.append((index, dashed, Edit(at, at + len(item), render_scalar(dashed))))
                    after = at + len(item)
        dash_fixes = iter(_item_fixes(note, key, dashes, "Write {}", Safety.UNSAFE))
        for item, at in spaced:
            span = Span(at, at + len(item)) if at >= 0 else Span(start, start + len(key))
            fix = next(dash_fixes) if at >= 0 else None
            yield Violation(span, f'tag "{item}" has spaces: not a valid tag', fix)
        if key == "tag":
            span = Span(start, start + 3)
            fix = None
            if "tags" not in data:
                fix = _fix(
                    note,
                    Edit(start, start + 3, "tags"),
                    lambda old: {("tags" if k == "tag" else k): v for k, v in old.items()},
                    "Rename tag: to tags:",
                )
            yield Violation(
                span, "singular tag: is not a default property since Obsidian 1.9; use tags:", fix
            )
