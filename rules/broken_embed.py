"""Report embeds ``![[...]]`` that lead to no file.

## What it does
Resolves every ``![[target]]`` the way Obsidian does and reports those whose file does not
exist. An image, PDF or other attachment needs its extension (``![[diagram.png]]``); a note
embed may omit ``.md``. Size and fragment suffixes (``|200``, ``#page=3``, ``#interface``)
are not part of the target.

## Why it matters
A missing embed renders as an empty box in Obsidian and as a broken image on a published
site: the reader loses the picture or the transcluded passage.

## Example
``![[schema.png]]`` when the file is ``assets/schéma.png``:
``unresolved embed "![[schema.png]]": no file named "schema.png" (did you mean "schéma.png"?)``.

## Fix safety
Unsafe: rewrites the target to the suggested file.

## Options
Same as ``broken-wikilink``: ``ignore-targets``, ``resolve-by``, ``ignore-in-comments``,
``check-html-comments``, ``suggest``.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.engine.rule import FixAvailability, RuleMeta, Violation
from vaultlint.model.note import LinkKind, Note
from vaultlint.vault.linkcheck import LinkOptions, Verdict, check_link, missing_file
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL102",
    name="broken-embed",
    summary="An embed ![[...]] whose file does not exist",
    fix=FixAvailability.SOMETIMES,
)
Options = LinkOptions


def check(note: Note, vault: Vault, options: LinkOptions) -> Iterator[Violation]:
    for link in note.links:
        if (
            link.kind is LinkKind.EMBED
            and check_link(link, note, vault, options).verdict is Verdict.NO_FILE
        ):
            yield missing_file(link, vault, options, "embed")
