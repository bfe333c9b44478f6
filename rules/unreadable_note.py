"""Report ``.md`` files that cannot be read as notes.

## What it does
Flags a file named ``*.md`` that vaultlint could not read as a UTF-8 note: bytes that are not
UTF-8 (the message gives the line and column of the first bad byte), a binary file, a file
over ``max-file-size``, an unreadable file (permissions), a broken symlink, a symlink loop or a
symlink leading outside the vault.

## Why it matters
Obsidian shows such a file as garbage or not at all, every link to its headings is unknown,
and no other rule can look at it. The run goes on with the other notes.

## Example
A note saved as Latin-1 by an old editor: ``notes/café.md:3:7: VL001 [unreadable-note] not
valid UTF-8: byte 0xe9 at offset 41``.

## Fix safety
No fix: re-encode the file (``iconv -f latin1 -t utf-8``) or move it out of the vault.

## Options
None.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.engine.rule import RuleMeta, RuleOptions, Violation
from vaultlint.model.note import Note, Span
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL001",
    name="unreadable-note",
    summary="A .md file that cannot be read as a UTF-8 note",
    reads_unreadable=True,
)
Options = RuleOptions


def check(note: Note, vault: Vault, options: RuleOptions) -> Iterator[Violation]:
    if note.read_error is not None:
        yield Violation(Span(0, 0), note.read_error.message)
