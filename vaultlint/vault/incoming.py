"""Who links to a note: the backlinks the vault view offers rules, gathered before the checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from vaultlint.vault.index import fold
from vaultlint.vault.view import Backlink, Vault, link_name


def backlinks_of(
    vault: Vault, targets: Iterable[str], canvases: Mapping[str, tuple[str, ...]] | None = None
) -> dict[str, tuple[Backlink, ...]]:
    """For each of ``targets``, the links of every note that resolve to it, and the canvases
    that show it (``canvases``: canvas path -> the vault paths of its file cards).

    A whole vault in memory is read once, every link resolved; a partial run (the rest of the
    vault known from the store) asks the store which notes name a target and resolves only
    their links that do. Both give the same answer: a link can reach a note only by naming it.
    """
    found: dict[str, set[Backlink]] = {path: set() for path in targets}
    names = link_names(found)
    if vault.complete:
        sources: Iterable[str] = vault.summaries
    else:
        sources = vault.linking_to(set(names))
    for source in sources:
        summary = vault.summaries[source]
        embeds = set(summary.embeds)
        for i, (target, _) in enumerate(summary.links):
            if link_name(target) not in names:
                continue
            reached = vault.index.resolve(target, source).path
            if reached is not None and reached in found:
                found[reached].add(Backlink(source, i in embeds))
    for canvas, files in (canvases or {}).items():
        for file in files:
            reached = vault.index.resolve(file, canvas).path
            if reached is not None and reached in found:
                found[reached].add(Backlink(canvas))
    return {path: tuple(sorted(links)) for path, links in found.items()}


def link_names(paths: Iterable[str]) -> set[str]:
    """The folded names a link to one of ``paths`` ends with (with and without ``.md``)."""
    names: set[str] = set()
    for path in paths:
        name = fold(path.rsplit("/", 1)[-1])
        names.update((name, name.removesuffix(".md")))
    return names
