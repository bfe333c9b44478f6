"""Report links that Obsidian cannot resolve to one file.

## What it does
When a link names a file that exists in several folders and none wins by Obsidian's rules (an
exact vault path; then files under the linking note's folder, compared as a plain string prefix,
before the others; then the shortest path), the candidates tie and Obsidian picks one of them
unpredictably. The message names the tied files and the link
to write instead.

## Why it matters
The same link can open different notes on different devices or after a restart; moving one of
the files silently changes where the link goes.

## Example
``[[Index]]`` from the vault root with ``projects/Index.md`` and ``journal/Index.md``:
``ambiguous link "[[Index]]": 2 files tie (journal/Index.md, projects/Index.md); write [[journal/Index]] or [[projects/Index]]``.

## Fix safety
No fix: only the author knows which file was meant.

## Options
Same as ``broken-wikilink``.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.engine.rule import RuleMeta, Severity, Violation
from vaultlint.model.note import Note, without_md
from vaultlint.vault.linkcheck import LinkOptions, Verdict, check_link, quoted
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL105",
    name="ambiguous-wikilink",
    summary="A link whose target ties between several files of the same name",
    severity=Severity.WARNING,
)
Options = LinkOptions


def check(note: Note, vault: Vault, options: LinkOptions) -> Iterator[Violation]:
    for link in note.links:
        result = check_link(link, note, vault, options)
        if result.verdict is not Verdict.AMBIGUOUS or result.resolution is None:
            continue
        tied = result.resolution.candidates
        ways = " or ".join(f"[[{without_md(p)}]]" for p in tied[:3])
        listed = ", ".join(tied[:5]) + (", ..." if len(tied) > 5 else "")
        yield Violation(
            link.span,
            f'ambiguous link "{quoted(link)}": {len(tied)} files tie ({listed}); write {ways}',
        )
