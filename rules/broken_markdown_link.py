"""Report Markdown links ``[text](file.md)`` to local files that do not exist.

## What it does
Checks ``[text](path)`` and ``![alt](path)`` whose destination is a local file, not a URL
(``https:``, ``mailto:``, ``obsidian:`` and ``//host`` are skipped). The destination is
percent-decoded (``Note%20name.md``) and split at ``#``; it is looked up relative to the note's
folder first, then vault-wide like a wikilink, as Obsidian does. A ``#heading`` part is
checked by ``broken-heading-link``.

## Why it matters
Vaults written with "Use [[Wikilinks]]" off, and notes imported from other tools, link with
Markdown syntax; markdown link checkers do not know Obsidian's vault-wide lookup and either
miss these or flag working ones.

## Example
``[plan](projects/plan%20v2.md)`` with no such file:
``unresolved link "[plan](projects/plan%20v2.md)": no note at "projects/plan v2.md"``.

## Fix safety
Unsafe: rewrites the destination to the suggested file (percent-encoded).

## Options
Same as ``broken-wikilink``, plus ``ignore-site-paths``: a destination starting with ``/`` is
a vault path from the root for Obsidian (``[m](/x.md)`` opens ``x.md``, and nothing else when
it is not there: spec §2.1 rule 4), but a URL of the site for a publishing pipeline (Jekyll,
Quartz, Hugo permalinks such as ``/about``). ``auto`` (default): checked as vault paths,
unless a site generator's config is found at the vault root or just above it
(``_config.yml``, ``quartz.config.ts``, ``hugo.toml``, ``mkdocs.yml``...); ``true``: never
checked; ``false``: always checked. ``vaultlint init`` writes the value it found.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from vaultlint.engine.rule import FixAvailability, RuleMeta, Violation
from vaultlint.model.note import LinkKind, Note
from vaultlint.vault.linkcheck import LinkOptions, Verdict, check_link, missing_file
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL106",
    name="broken-markdown-link",
    summary="A [text](local/file.md) link to a local file that does not exist",
    fix=FixAvailability.SOMETIMES,
)


@dataclass(frozen=True)
class Options(LinkOptions):
    ignore_site_paths: bool | Literal["auto"] = "auto"


def site_paths(vault: Vault, options: Options) -> bool:
    """Whether a leading "/" is a URL of a published site (the option, or what was found)."""
    if options.ignore_site_paths != "auto":
        return options.ignore_site_paths
    publisher = vault.setup.publisher
    return publisher is not None and publisher.site_paths


def check(note: Note, vault: Vault, options: Options) -> Iterator[Violation]:
    ignore_site_paths = site_paths(vault, options)
    for link in note.links:
        if link.kind not in (LinkKind.MARKDOWN, LinkKind.MARKDOWN_EMBED) or not link.target:
            continue
        if ignore_site_paths and link.target.startswith("/"):
            continue
        if check_link(link, note, vault, options).verdict is Verdict.NO_FILE:
            yield missing_file(link, vault, options, "link")
