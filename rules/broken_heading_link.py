"""Report links to a ``#heading`` that the target note does not have.

## What it does
For ``[[Note#Heading]]``, ``![[Note#Heading]]``, ``[[#Heading]]`` (this note),
``[[Note#H1#H2]]`` (the last heading of the chain must exist) and markdown links
``[t](Note.md#Some%20Heading)``, checks the heading against the target note's headings,
compared as Obsidian does: punctuation (``: / . [ ] # |`` ...) counts as a space, runs of
spaces shrink, case is ignored. Headings in code blocks are not headings. Fragments of
attachments (``#page=3`` on a PDF, ``#interface`` on an image) are not headings.

## Why it matters
Obsidian opens the note at the top when the heading is gone, silently; renamed headings are
the most common quiet breakage in a long-lived vault.

## Example
``[[Tags#Nested tag]]`` when the heading is ``## Nested tags``:
``unresolved heading "[[Tags#Nested tag]]": no heading "Nested tag" in "Tags.md" (did you mean "#Nested tags"?)``.

## Fix safety
No fix.

## Options
Same as ``broken-wikilink``.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.engine.rule import RuleMeta, Violation
from vaultlint.model.note import Note
from vaultlint.vault.linkcheck import LinkOptions, Verdict, check_link, missing_subpath
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL103",
    name="broken-heading-link",
    summary="A link to a #heading the target note does not have",
)
Options = LinkOptions


def check(note: Note, vault: Vault, options: LinkOptions) -> Iterator[Violation]:
    for link in note.links:
        if not link.subpath or link.subpath.startswith("^"):
            continue
        result = check_link(link, note, vault, options)
        if result.verdict is Verdict.NO_HEADING and result.resolution and result.resolution.path:
            yield missing_subpath(link, vault, result.resolution.path, note)
