"""Report notes that no other note links to or embeds.

## What it does
Flags a note that no other note of the vault reaches: no ``[[link]]``, ``![[embed]]``,
``[text](note.md)`` link or frontmatter link (``related: "[[Note]]"``) of another note resolves
to it, and no canvas shows it. Links are resolved the way Obsidian resolves them, so a link that names the note under
another case, or by a path from another folder, counts. A note's links to itself do not count.
Off by default: many vaults keep notes that nothing links to on purpose.

## Why it matters
A note nothing points to is found only by search or by browsing folders; in a published garden
it is a page no other page leads to. Obsidian lists a note's backlinks in its Backlinks pane;
this rule lists the notes whose pane is empty.

## Example
``Compost.md`` with no link to it anywhere: ``Compost.md:1:1: VL107 [orphan-note] no other
note links to or embeds this note``.

## Fix safety
No fix: whether a note should be linked from somewhere, or deleted, is the writer's call.

## Options
- ``ignore``: globs (gitignore style, from the vault root) of notes never reported, e.g.
  ``["Daily/**", "index.md", "**/index.md"]``: daily notes, the home note and folder pages (a
  Quartz ``folder/index.md``, which ``[[index]]`` does not reach) are meant to have none.
- ``embeds-count``: ``true`` (default): a note that is only embedded elsewhere is not an
  orphan; ``false``: only links count (an embedded snippet no note links to is reported).

Decisions: frontmatter links count, as they do in Obsidian's Backlinks pane (since 1.4); links
inside comments (``%%...%%``, ``<!-- -->``) count too, since whether Obsidian counts them is
not verified and counting them can only spare a note. A note shown as a card on a canvas
(``.canvas``), or linked from a text card there, is not an orphan either (whether Obsidian's pane lists canvases is not verified).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultlint.engine.rule import RuleMeta, RuleOptions, Severity, Violation
from vaultlint.model.note import Note, Span
from vaultlint.vault.view import VaultView

if TYPE_CHECKING:  # imported when the rule runs: it is off by default
    import pathspec

META = RuleMeta(
    code="VL107",
    name="orphan-note",
    summary="A note no other note links to or embeds",
    severity=Severity.INFO,
    default_on=False,
    needs=frozenset({"backlinks"}),
    whole_vault=True,
)


@dataclass(frozen=True)
class Options(RuleOptions):
    ignore: tuple[str, ...] = ()
    embeds_count: bool = True


@dataclass(frozen=True)
class State:
    """The ``ignore`` globs of the vault's root options, compiled once."""

    ignore: tuple[str, ...]
    spec: pathspec.GitIgnoreSpec


def collect(note: Note, options: Options) -> None:
    """Nothing per note: the vault's view already says who links to whom."""
    return None


def prepare(vault: VaultView, options: Options, facts: Mapping[str, None]) -> State:
    import pathspec

    return State(options.ignore, pathspec.GitIgnoreSpec.from_lines(options.ignore))


def depends(state: State, path: str, options: Options) -> str:
    """Nothing beyond the note's backlinks, which the run layer keys findings by."""
    return ""


def check(note: Note, vault: VaultView, options: Options, state: State) -> Iterator[Violation]:
    spec = state.spec  # a per-folder override may bring other globs
    if options.ignore != state.ignore:
        import pathspec

        spec = pathspec.GitIgnoreSpec.from_lines(options.ignore)
    if spec.match_file(note.path):
        return
    for link in vault.backlinks(note.path):
        if link.source != note.path and (options.embeds_count or not link.embed):
            return
    what = "links to or embeds" if options.embeds_count else "links to"
    yield Violation(Span(0, 0), f"no other note {what} this note")
