"""What a commit deletes or renames, and which notes that breaks (the pre-commit hook's job).

pre-commit passes only the staged files that still exist, so a deleted or renamed note never
reaches the hook; ``git diff --cached`` tells us about them. A note that linked to a vanished
file is then checked too, and only its links to that file are reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaultlint.disk.discovery import Vanished
from vaultlint.model.note import Link, Note
from vaultlint.vault.incoming import link_names
from vaultlint.vault.index import LinkIndex
from vaultlint.vault.view import Vault, link_name


@dataclass(frozen=True)
class BrokenBy:
    note: str
    link: Link
    target: str  # the vanished file it pointed to


def backlinks_to(vault: Vault, vanished: Vanished) -> list[BrokenBy]:
    """Links that resolved to a vanished file before the commit and resolve to nothing now."""
    if not vanished.paths:
        return []
    before = LinkIndex(vault.index.all_paths() + list(vanished.paths))
    # a link can only have reached a vanished file if it names it: compare names first
    names = link_names(vanished.paths)
    found = []
    for path in vault.linking_to(names):
        for link in _links(vault.notes[path]):  # parsed only when it names a vanished file
            if link_name(link.target) not in names:
                continue
            was = before.resolve(link.target, path).path
            if was in vanished.paths and vault.index.resolve(link.target, path).path is None:
                found.append(BrokenBy(path, link, was))
    return found


def _links(note: Note) -> list[Link]:
    return [link for link in note.links if link.target]
