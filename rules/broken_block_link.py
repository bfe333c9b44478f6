"""Report links to a ``#^block`` id that the target note does not have.

## What it does
For ``[[Note#^id]]``, ``![[Note#^id]]`` and ``[[#^id]]``, checks that the target note has a
block ending in `` ^id`` (Latin letters, digits and dashes; outside code).

## Why it matters
A block reference whose id was deleted or retyped shows nothing when embedded and opens the
note at the top when followed.

## Example
``![[Meeting notes#^decision-1]]`` after the paragraph lost its ``^decision-1``:
``unresolved block "![[Meeting notes#^decision-1]]": no block "^decision-1" in "Meeting notes.md"``.

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
    code="VL104",
    name="broken-block-link",
    summary="A link to a #^block id the target note does not have",
)
Options = LinkOptions


def check(note: Note, vault: Vault, options: LinkOptions) -> Iterator[Violation]:
    for link in note.links:
        if not link.subpath.startswith("^"):
            continue
        result = check_link(link, note, vault, options)
        if result.verdict is Verdict.NO_BLOCK and result.resolution and result.resolution.path:
            yield missing_subpath(link, vault, result.resolution.path, note)
