"""Report notes without a ``title:`` property, and add one.

## What it does
Flags a note with no frontmatter, no ``title:`` property, or a title that is null, empty or
only spaces. Obsidian itself shows the file name, but publishing pipelines (Jekyll gardens,
Quartz, Hugo) take the page title from ``title:``; a missing one gives an untitled page or a
slug as a heading.

## Why it matters
The reference garden publishes every note as a web page titled by ``title:``; a note without
it appears untitled in the site, its search and its graph.

## Example
``Compost.md`` without frontmatter: ``Compost.md:1:1: VL201 [missing-title] no frontmatter
and no title (the fix adds title: Compost)``.

## Fix safety
Safe, with one exception. The fix adds ``title: <file name>`` (or the first level-1 heading, see ``title-from``)
as the first property, or creates the frontmatter at the very top. It never overwrites a
non-empty title. The value is quoted when YAML would read something else (a daily note
``2022-04-12`` would become a date, ``true``/``null``/``1.0`` other types, ``: `` or `` #``
change the meaning). Nothing else of the file changes: the fix is a text insertion, checked
by re-parsing (all other properties must read back equal, the body byte-identical) before
anything is written. A note whose frontmatter is invalid is never rewritten. The exception: in
a Jekyll site, a Markdown file *without* frontmatter is copied to the site as it is, and one
with frontmatter is rendered as a page, so giving a title to a note that has no frontmatter
(a README, a changelog kept beside the notes) would publish it: that fix is unsafe there
(``--unsafe-fixes``), and the message says why.

## Options
- ``title-from``: ``filename`` (default; accents and case kept) or ``h1`` (the first level-1
  heading outside code, formatting removed; the file name when there is none).
- ``position``: ``first`` (default) or ``last`` among the properties.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import yaml

from vaultlint.edit.yamledit import (
    EditRefused,
    insert_key,
    is_flow,
    render_scalar,
    replace_value,
    verified,
)
from vaultlint.engine.rule import FixAvailability, RuleMeta, RuleOptions, Safety, Violation
from vaultlint.model.note import Note, Span
from vaultlint.parse.note import key_span
from vaultlint.parse.plaintext import heading_plain_text
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL201",
    name="missing-title",
    summary="A note without a non-empty title: property",
    fix=FixAvailability.ALWAYS,
    needs_valid_frontmatter=True,
)


@dataclass(frozen=True)
class Options(RuleOptions):
    title_from: Literal["filename", "h1"] = "filename"
    position: Literal["first", "last"] = "first"


def _title_for(note: Note, options: Options) -> str:
    if options.title_from == "h1":
        for heading in note.headings:
            if heading.level == 1:
                text = heading_plain_text(heading.text)
                if text:
                    return text
    return note.name


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check(note: Note, vault: Vault, options: Options) -> Iterator[Violation]:
    data = note.data
    front = note.frontmatter
    if "title" in data and not _empty(data["title"]):
        return
    title = _title_for(note, options)
    try:
        rendered = render_scalar(title, flow=is_flow(note))
        if "title" in data:
            edit = replace_value(note, "title", rendered)
            what = "empty title property"
        else:
            edit = insert_key(note, "title", rendered, first=options.position == "first")
            what = "no title property" if front is not None else "no frontmatter and no title"

        def expect(old: dict[str, Any]) -> dict[str, Any]:
            if "title" in old:
                return {k: (title if k == "title" else v) for k, v in old.items()}
            if options.position == "first":
                return {"title": title, **old}
            return {**old, "title": title}

        fix = verified(note, [edit], expect, f"Add title: {rendered}")
    except (EditRefused, ValueError, yaml.YAMLError) as exc:
        yield Violation(_where(note), f"{_what(note)}; not fixed automatically: {exc}")
        return
    if front is None and _jekyll(vault):
        # Jekyll copies a file without frontmatter as is and renders one with frontmatter as
        # a page: adding it would publish a file the site did not publish
        fix = dataclasses.replace(fix, safety=Safety.UNSAFE)
        what += "; unsafe: Jekyll would publish it as a page"
    yield Violation(_where(note), f"{what} (the fix adds title: {rendered})", fix)


def _jekyll(vault: Vault) -> bool:
    publisher = vault.setup.publisher
    return publisher is not None and publisher.name == "jekyll"


def _what(note: Note) -> str:
    if note.frontmatter is None:
        return "no frontmatter and no title"
    return "empty title property" if "title" in note.data else "no title property"


def _where(note: Note) -> Span:
    front = note.frontmatter
    if front is None:
        return Span(0, 0)
    if "title" in note.data:
        return key_span(note.text, front, "title")
    return Span(0, 3)
