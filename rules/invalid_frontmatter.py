"""Report frontmatter whose YAML Obsidian cannot read.

## What it does
Flags a frontmatter block (between a first-line ``---`` and the next ``---`` line) that is not
valid YAML, is not a mapping of properties (a list or a bare string), or repeats a key. The
message gives the problem and points at its line and column in the note.

## Why it matters
Obsidian then ignores every property of the note: its tags, aliases and title vanish from
search and from the published site, and Quartz fails the build on duplicate keys. vaultlint
never rewrites such a note.

## Example
```
---
tags: [garden
---
```
``note.md:2:7: VL002 [invalid-frontmatter] invalid YAML: expected ',' or ']', but got '<stream end>'``

## Fix safety
No fix: only the author knows what was meant.

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.engine.rule import RuleMeta, RuleOptions, Violation
from vaultlint.model.note import Note, Span
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL002",
    name="invalid-frontmatter",
    summary="Frontmatter YAML that does not parse, is not a mapping, or repeats a key",
)
Options = RuleOptions


def check(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
    front = note.frontmatter
    if front is not None and front.error is not None:
        offset = front.error.offset
        yield Violation(Span(offset, offset), front.error.message)
