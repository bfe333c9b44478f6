"""Report a ``title:`` that says something else than the file name.

## What it does
Compares the ``title:`` property with the note's file name, ignoring case, accents,
punctuation and spacing, and reports the note when they still differ: ``title: Coopération``
on ``cooperation.md`` is fine, ``title: Composting basics`` on ``Compost.md`` is reported.
Off by default: many vaults title notes freely.

## Why it matters
Obsidian links and shows the file name, a published site shows the title: when they drift
apart (a rename that forgot the title, a typo kept in one of them), readers and links see two
names for one note.

## Example
``Compost.md`` with ``title: Composting``:
``title "Composting" differs from the file name "Compost"``.

## Fix safety
Unsafe (it replaces words the author wrote): sets ``title:`` to the file name, or to the first
level-1 heading with ``direction: h1``. Renaming the file instead would change every link to
it, so vaultlint never does it.

## Options
- ``direction``: ``filename`` (default) or ``h1``: where the fixed title comes from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import yaml

from vaultlint.edit.yamledit import EditRefused, is_flow, render_scalar, replace_value, verified
from vaultlint.engine.rule import FixAvailability, RuleMeta, RuleOptions, Safety, Violation
from vaultlint.model.note import Note
from vaultlint.parse.note import key_span
from vaultlint.parse.plaintext import heading_plain_text
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL202",
    name="title-mismatch",
    summary="A title: property that differs from the file name beyond case and punctuation",
    default_on=False,
    fix=FixAvailability.SOMETIMES,
    needs_valid_frontmatter=True,
)


@dataclass(frozen=True)
class Options(RuleOptions):
    direction: Literal["filename", "h1"] = "filename"


def comparable(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def check(note: Note, vault: Vault, options: Options) -> Iterator[Violation]:
    title = note.data.get("title")
    if (
        not isinstance(title, (str, int, float))
        or isinstance(title, bool)
        or not str(title).strip()
    ):
        return  # missing-title's business
    title = str(title)
    if comparable(title) == comparable(note.name):
        return
    assert note.frontmatter is not None
    where = key_span(note.text, note.frontmatter, "title")
    message = f'title "{title}" differs from the file name "{note.name}"'
    wanted = note.name
    if options.direction == "h1":
        h1 = next((heading_plain_text(h.text) for h in note.headings if h.level == 1), "")
        wanted = h1 or note.name
    if comparable(wanted) == comparable(title):
        yield Violation(where, message)
        return
    try:
        edit = replace_value(note, "title", render_scalar(wanted, flow=is_flow(note)))

        def expect(old: dict[str, Any]) -> dict[str, Any]:
            return {k: (wanted if k == "title" else v) for k, v in old.items()}

        fix = verified(note, [edit], expect, f"Set title to {wanted!r}", Safety.UNSAFE)
    except (EditRefused, yaml.YAMLError) as exc:
        yield Violation(where, f"{message}; not fixable automatically: {exc}")
        return
    yield Violation(where, message, fix)
