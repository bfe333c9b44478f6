"""The read-only view of a vault that rules receive.

``VaultView`` is what a rule may rely on, the same in every run; ``Vault`` is the run's
object behind it (it also holds what the run layer keeps there: facts, counts, states).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from vaultlint.model.note import Note
from vaultlint.vault.index import LinkIndex, NoteTargets, fold
from vaultlint.vault.setup import Setup
from vaultlint.vault.summary import NoteSummary, summarize
from vaultlint.vault.tally import Tally


@dataclass(frozen=True, slots=True, order=True)
class Backlink:
    """A link from ``source`` that resolves to a note (``embed``: written ``![[...]]``); a
    canvas that shows the note as a card is a ``source`` too."""

    source: str
    embed: bool = False


class VaultView(Protocol):
    """What a rule sees of the whole vault: the same content in every run.

    ``index`` resolves a link the way Obsidian does and knows every note's headings and block
    ids; ``backlinks(path)`` lists the links of every note of the vault that resolve to
    ``path`` (a note being checked, when the rule lists ``"backlinks"`` in ``META.needs``);
    ``service(name)`` gives a service the rule lists in ``META.needs``.

    A plain rule's findings on a note may depend on the vault only through what the view says
    of that note: its links resolved (and, for one that resolves to nothing, the ``resolve-by``
    fallbacks and "did you mean"), the headings and block ids of the notes they reach, its
    backlinks, and services. The run layer keeps a note's findings between runs while those
    are unchanged (``vaultlint.run.reuse``); a rule that needs more of the vault is a vault
    rule, whose ``depends`` says what its state means for a note.
    """

    @property
    def root(self) -> Path: ...

    @property
    def index(self) -> LinkIndex: ...

    @property
    def setup(self) -> Setup: ...

    def service(self, name: str) -> Any: ...

    def backlinks(self, path: str) -> tuple[Backlink, ...]: ...

    def is_loaded(self, note: Note) -> bool:
        """Whether ``note`` is the note as the run read it (False: one the fix loop made),
        that is, the note whose fact a vault rule's ``prepare`` saw."""
        ...


class BacklinksNotAsked(LookupError):
    """``backlinks`` asked for a note they were not gathered for."""


@dataclass
class Vault:
    """The vault as a run knows it. ``notes`` holds the notes being checked (it may parse them
    on demand); every note of the vault is known by its ``summary``. Vault-wide facts come
    from ``summaries``, ``facts`` and ``counts``, never from iterating ``notes``: a run that
    checks three notes does not parse ten thousand."""

    root: Path
    notes: Mapping[str, Note]
    index: LinkIndex
    summaries: Mapping[str, NoteSummary] = field(default_factory=dict)
    services: dict[str, Any] = field(default_factory=dict)  # e.g. "history" for stale-tag
    # the link checks' lookups, derived once per vault (``vault/linkcheck.py``)
    lookups: dict[Any, Any] = field(default_factory=dict)
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule code -> path -> fact
    counts: dict[str, Tally] = field(default_factory=dict)  # rule code -> key -> notes
    kept: dict[str, Any] = field(default_factory=dict)  # what a full run leaves for partial ones
    complete: bool = True  # False: ``facts`` holds only the notes being checked
    linking: Callable[[set[str]], set[str]] | None = None  # a faster ``linking_to``
    focus: set[str] | None = None  # a partial run: the notes it checks (None: every note)
    setup: Setup = field(default_factory=Setup)  # the publisher and templates folders found
    # what ``backlinks`` answers: for each note being checked, the links that reach it
    # (gathered by the session before the vault-wide step when a rule needs them)
    backlink_map: Mapping[str, tuple[Backlink, ...]] | None = None
    states: dict[str, Any] = field(default_factory=dict)  # rule code -> what its prepare made
    asked: set[str] = field(default_factory=set)  # services asked for since the run cleared it

    def service(self, name: str) -> Any:
        self.asked.add(name)
        return self.services.get(name)

    def is_loaded(self, note: Note) -> bool:
        return self.notes.get(note.path) is note

    @classmethod
    def build(cls, root: Path, notes: Mapping[str, Note], all_files: list[str]) -> Vault:
        return cls.from_summaries(
            root, notes, {path: summarize(note) for path, note in notes.items()}, all_files
        )

    @classmethod
    def from_summaries(
        cls,
        root: Path,
        notes: Mapping[str, Note],
        summaries: Mapping[str, NoteSummary],
        all_files: list[str],
        lazy: bool = False,
    ) -> Vault:
        """With ``lazy``, a note's link targets are read from its summary when a link needs
        them (``summaries`` may then read from the cache on demand)."""
        index = LinkIndex(all_files)
        if lazy:
            index.targets = _Targets(summaries)
        else:
            for path, summary in summaries.items():
                index.set_targets(path, summary.targets())
        return cls(root, notes, index, summaries)

    def backlinks(self, path: str) -> tuple[Backlink, ...]:
        """The links of other notes (and of ``path`` itself) that resolve to ``path``, sorted,
        one per linking note and kind."""
        if self.backlink_map is None or path not in self.backlink_map:
            raise BacklinksNotAsked(
                f"backlinks of {path!r} were not gathered: the rule must list 'backlinks' in "
                "META.needs, and may ask only for the note it checks"
            )
        return self.backlink_map[path]

    def linking_to(self, names: set[str]) -> list[str]:
        """The notes with a link whose last path component, folded, is one of ``names``
        (the session's, for the staged run: a rule asks ``backlinks``)."""
        if self.linking is not None:
            return sorted(self.linking(names))
        return sorted(
            path
            for path, summary in self.summaries.items()
            if any(link_name(target) in names for target, _ in summary.links)
        )


def link_name(target: str) -> str:
    return fold(target.rsplit("/", 1)[-1]).strip()


class _Targets(MutableMapping[str, NoteTargets]):
    def __init__(self, summaries: Mapping[str, NoteSummary]) -> None:
        self.summaries = summaries
        self.known: dict[str, NoteTargets] = {}

    def __getitem__(self, path: str) -> NoteTargets:
        found = self.known.get(path)
        if found is None:
            found = self.known[path] = self.summaries[path].targets()
        return found

    def __setitem__(self, path: str, targets: NoteTargets) -> None:
        self.known[path] = targets

    def __delitem__(self, path: str) -> None:
        self.known.pop(path, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.summaries)

    def __len__(self) -> int:
        return len(self.summaries)
