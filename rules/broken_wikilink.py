"""Report wikilinks that lead to no note or file.

## What it does
Resolves every ``[[target]]``, ``[[target|display]]`` and quoted frontmatter ``"[[target]]"``
exactly as Obsidian does (exact vault path, then a unique or nearest file of that name,
case-insensitive, ``.md`` optional, attachments need their extension; aliases do *not*
resolve) and reports those that reach nothing. Links in code are not links; links in
``%% comments %%`` are, as in Obsidian's graph.

## Why it matters
Obsidian only shows an unresolved link as a pale link inside the app; on a published garden
it is a dead end, and it is how a vault rots after notes are renamed outside Obsidian.

## Example
``[[knowledge management]]`` with no such note:
``unresolved link "[[knowledge management]]": no note named "knowledge management"``.
When a close name exists (case, accents, ``'``/``’``, ``_``/``-``/space, a typo, a moved
note) the message adds ``(did you mean "Knowledge Management"?)``.

## Fix safety
Unsafe (``--fix --unsafe-fixes``): points the link at the suggested note and keeps the visible
text by adding ``|old text``: ``[[knowledge managment]]`` becomes
``[[Knowledge management|knowledge managment]]``. It changes what the link means, so review it.

## Options
- ``ignore-targets``: globs of targets left unwritten on purpose (``["future/*", "TODO*"]``).
- ``resolve-by``: a profile, ``obsidian`` (default: Obsidian's own resolution),
  ``obsidian-publish`` (then aliases: the whole linkpath, then its file name, as Publish does)
  or ``jekyll-garden`` (then ``title:``, aliases, and names compared without case, accents,
  ``_`` and ``-``, as the Jekyll digital-garden template does); or a list of those ways
  (``[path, title, aliases, loose-name]``). ``vaultlint init`` proposes the profile of the
  publisher it finds.
- ``ignore-in-comments``: skip links inside ``%% %%`` (default false: Obsidian indexes them).
- ``check-html-comments``: also check links inside ``<!-- -->`` (default false).
- ``suggest``: look for a close existing note (default true).
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.engine.rule import FixAvailability, RuleMeta, Violation
from vaultlint.model.note import LinkKind, Note
from vaultlint.vault.linkcheck import LinkOptions, Verdict, check_link, missing_file
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL101",
    name="broken-wikilink",
    summary="A [[wikilink]] (or frontmatter link) whose target resolves to no note or file",
    fix=FixAvailability.SOMETIMES,
)
Options = LinkOptions
KINDS = (LinkKind.WIKILINK, LinkKind.FRONTMATTER)


def check(note: Note, vault: Vault, options: LinkOptions) -> Iterator[Violation]:
    for link in note.links:
        if link.kind in KINDS and check_link(link, note, vault, options).verdict is Verdict.NO_FILE:
            yield missing_file(link, vault, options, "link")
