"""Each note's findings kept between runs, under a key of everything they depend on.

A run over the whole vault checks a note again only when its key changes. The key holds:
- the run: vaultlint's rules and configuration (the command line's selection too), the
  defaults fitted to the vault, its setup, the dictionaries and the words it accepts, the
  grammar checker's version;
- the note: its text (hash), the per-path overrides that apply to it, whether it is reached
  through a link (its fixes are then not offered);
- its links: what each resolves to (with the candidates of an ambiguous one) and the headings
  and block ids of the note a ``#subpath`` points into; when one resolves to nothing, where
  each ``resolve-by`` fallback takes it (and those notes' headings and block ids) and what
  "did you mean" offers (``Unresolved``);
- who links to it, when an enabled rule asks (``backlinks``);
- what each vault rule's state says of it (``depends``): for the spelling rules, its wrong
  words and the vault's counts of them and of their neighbours.

That is all a rule may read of the vault (``VaultView``). A note whose check asked for the
history (a watched tag's age) is kept under a key that also holds what the history says of it
and the date (``dated``).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from vaultlint import __version__
from vaultlint.cache.report import decode_diagnostics, encode_diagnostics
from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.engine.rule import dependency_hook
from vaultlint.vault.linkcheck import (
    alternate_paths,
    fallbacks,
    linktext_for,
    suggest_file,
    suggestion_kept,
)
from vaultlint.vault.view import Vault

if TYPE_CHECKING:
    from vaultlint.run.session import Session

DATED = "history"  # the service whose answers change with the clock and the commits
# the services whose answers the key holds: the dictionaries and the grammar checker (by
# version, in the run key), the history (``dated``); a note that asked for another is checked
# in every run
KEYED = frozenset({"spelling", "grammar", DATED})


def run_key(session: Session, vault: Vault) -> str:
    """What every note's findings depend on."""
    parts: list[object] = [
        __version__,
        session.config.digest(),
        [(r.META.code, r.META.name, r.META.default_on) for r in session.rules],
        sorted((c, f.on) for c, f in session.fitted.items()),  # not the reason: its counts
        repr(vault.setup),
        session.store.dictionary if session.store is not None else "",
    ]
    speller = vault.services.get("spelling")
    if speller is not None:
        parts.append([getattr(speller, "unavailable", None), sorted(speller.user_words)])
    grammar = vault.services.get("grammar")
    if grammar is not None:
        parts.append([getattr(grammar, "unavailable", None), _grammar_version(grammar)])
    blob = json.dumps(parts, ensure_ascii=False, default=str)
    return hashlib.sha1(blob.encode("utf-8", "surrogatepass")).hexdigest()


def _grammar_version(grammar: object) -> str | None:
    if getattr(grammar, "unavailable", None):
        return None
    version = getattr(grammar, "version", None)
    return version if isinstance(version, str) else None


def note_keys(
    session: Session,
    vault: Vault,
    targets: Iterable[str],
    ckeys: Mapping[str, str],
    unresolved: Unresolved,
) -> dict[str, str]:
    """The key of each target whose findings can be kept (the others are always checked)."""
    base = run_key(session, vault)
    links: dict[tuple[str, str, str], str] = {}  # one key per link and folder
    anchors: dict[str, str] = {}  # the anchors of each note linked into, said once
    backlinks = any("backlinks" in r.META.needs for r in session.rules)
    hooks = [(r.META.code, dependency_hook(r), r.META.whole_vault) for r in session.rules]
    keys: dict[str, str] = {}
    for path in targets:
        ckey = ckeys.get(path)
        summary = vault.summaries.get(path)
        if not ckey or summary is None:
            # no text hash: a note never read, or one that could not be read ("" whatever
            # the reason), whose reason (its size, where a byte is not UTF-8) is read again
            continue
        effective = session.linter.effective(path)
        parts: list[str] = [
            base,
            path,
            ckey,
            repr(session.config.overrides_of(path)),
            str(path in session.linter.linked),
            _links_key(vault, path, summary.links, unresolved, links, anchors),
        ]
        if backlinks and vault.backlink_map is not None:
            parts.append(repr(vault.backlink_map.get(path)))
        keyable = True
        for code, hook, whole in hooks:
            if not whole or code not in effective.enabled:
                continue
            said = hook(vault.states.get(code), path, effective.options[code]) if hook else None
            if said is None:
                keyable = False
                break
            parts.append(f"{code}:{said}")
        if keyable:
            blob = "\0".join(parts).encode("utf-8", "surrogatepass")
            keys[path] = hashlib.sha1(blob).hexdigest()
    return keys


def _links_key(
    vault: Vault,
    path: str,
    links: tuple[tuple[str, str], ...],
    unresolved: Unresolved,
    memo: dict[tuple[str, str, str], str],
    anchors: dict[str, str],
) -> str:
    """What the note's links resolve to, and what the notes they reach hold for them. A link
    resolves the same from every note of a folder, most from every note (``LinkIndex``):
    ``memo`` keeps one answer per link, or per link and folder."""
    folder = posixpath.dirname(path)
    same_everywhere = vault.index.same_everywhere
    items: list[str] = []
    for target, subpath in links:
        item = memo.get((target, subpath, "\0"))  # "\0": from every note
        if item is None:
            where = folder if target.strip() else path  # a blank target is the note itself
            item = memo.get((target, subpath, where))
            if item is None:
                item = _link_key(vault, path, target, subpath, unresolved, anchors)
                everywhere = target.strip() and same_everywhere(target)
                memo[target, subpath, "\0" if everywhere else where] = item
        items.append(item)
    return "\n".join(items)


def _link_key(
    vault: Vault,
    path: str,
    target: str,
    subpath: str,
    unresolved: Unresolved,
    anchors: dict[str, str],
) -> str:
    found = vault.index.resolve(target, path)
    item = f"{target}\0{subpath}\0{found.path}\0{found.candidates}"
    if found.path is None:
        item = f"{item}\0{unresolved.key(target)}"
        if subpath:  # a note a resolve-by way reaches: its #subpath is looked up there
            reached = sorted(alternate_paths(vault, target))
            item += "".join(f"\0{_anchors(vault, p, anchors)}" for p in reached)
        return item
    if subpath:
        return f"{item}\0{_anchors(vault, found.path, anchors)}"
    return item


def _anchors(vault: Vault, path: str, memo: dict[str, str]) -> str:
    """What a ``#subpath`` may point to in note ``path`` (nothing in another file), said
    once per note and run."""
    found = memo.get(path)
    if found is None:
        summary = vault.summaries.get(path) if path.lower().endswith(".md") else None
        if summary is not None:
            found = repr((summary.headings, summary.block_ids, summary.readable))
        else:
            found = "?" if path.lower().endswith(".md") else ""
        memo[path] = found
    return found


class Unresolved:
    """What a link that resolves to no file shows, whatever the rule's options: where each
    ``resolve-by`` fallback takes it, and the file "did you mean" offers (and whether its name
    is unique, which says how the fix writes it). The offers of the last run are kept
    (``Store.suggestions``): one is asked again only when a file came or went that could
    change it."""

    def __init__(self, vault: Vault, kept: tuple[list[str], dict[str, str | None]] | None) -> None:
        self.vault = vault
        self.paths = vault.index.all_paths()
        self.kept: dict[str, str | None] = {}
        self.added: list[str] = []
        self.removed: list[str] = []
        if kept is not None:
            before, self.kept = set(kept[0]), kept[1]
            now = set(self.paths)
            self.added, self.removed = sorted(now - before), sorted(before - now)
        self.offered: dict[str, str | None] = {}  # this run's, by target
        self._keys: dict[str, str] = {}

    def news(self) -> bool:
        """Whether this run knows something the kept offers do not (a file came or went, a
        target was asked about for the first time or again): they are then saved anew."""
        if self.added or self.removed or (not self.kept and self.offered):
            return True
        return any(self.kept.get(target, "") != offer for target, offer in self.offered.items())

    def key(self, target: str) -> str:
        found = self._keys.get(target)
        if found is None:
            found = self._keys[target] = self._key(target)
        return found

    def _key(self, target: str) -> str:
        offer = self.kept.get(target, "")
        if offer == "" or not suggestion_kept(target, offer, self.added, self.removed):
            offer = suggest_file(target, self.vault)
        self.offered[target] = offer
        written = linktext_for(offer, self.vault) if offer is not None else None
        return repr((fallbacks(target, self.vault), offer, written))


def dated(key: str, vault: Vault, path: str) -> str:
    """``key`` with what the history says of note ``path`` today: for a note whose check
    asked for it (``DATED``)."""
    history = vault.services.get(DATED)
    if history is None:
        said = "none"
    else:
        said = repr(
            (
                history.now.date().isoformat(),
                history.in_git,
                history.shallow,
                history.git_change(path),
                history.mtime(path),
            )
        )
    return hashlib.sha1(f"{key}\0{said}".encode("utf-8", "surrogatepass")).hexdigest()


def encode(diagnostics: list[Diagnostic]) -> str:
    return json.dumps(encode_diagnostics(diagnostics), ensure_ascii=False)


def decode(path: str, text: str) -> list[Diagnostic] | None:
    """A note's stored diagnostics, or None if the row is not what ``encode`` wrote for it."""
    try:
        rows = json.loads(text)
    except (ValueError, RecursionError):
        return None
    found = decode_diagnostics(rows)
    if found is None or any(d.path != path for d in found):
        return None
    return found
