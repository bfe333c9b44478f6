"""The ``check`` command's run below the command line: the note store, the session, the writer
of fixed notes, and, for a staged run, the links elsewhere that the commit breaks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.cache.stamps import dictionary_version
from vaultlint.cache.store import Store
from vaultlint.disk.discovery import (
    Listing,
    Vanished,
    git_ignored,
    select_paths,
    staged_vanished,
)
from vaultlint.disk.publishing import link_setting
from vaultlint.engine.config import Config
from vaultlint.engine.report import NoteOutcome, Report
from vaultlint.engine.rule import Rule
from vaultlint.run.services import default_services
from vaultlint.run.session import Session
from vaultlint.vault.view import Vault

if TYPE_CHECKING:
    from vaultlint.run.prefetch import Fetched, Prefetch

Progress = Callable[[Iterable[str]], Iterable[str]]


@dataclass(frozen=True)
class CheckRequest:
    """What the command line asked of a check."""

    selection: list[str] | None  # the notes or folders named (None: the whole vault)
    staged: bool  # a pre-commit run: the staged notes
    fix: bool  # write the fixes
    diff: bool  # fix in memory, to show the difference
    unsafe: bool  # unsafe fixes too
    no_cache: bool
    history: bool  # an enabled rule reads the notes' history
    listing: Listing | None = None  # the vault's files, when walked already (for a cache key)


def check_vault(
    root: Path,
    config: Config,
    rules: Sequence[Rule],
    request: CheckRequest,
    helper: Prefetch | None = None,
    progress: Progress | None = None,
) -> Report:
    """Load the vault, check (and fix) the notes asked for, keep what the run learnt."""
    fetched = helper.take() if helper is not None else None
    if fetched is None and request.listing is not None:
        fetched = _walked(root, config, request.listing)
    pending = None
    if request.selection is None and not request.staged and request.history:
        from vaultlint.disk.history import PendingLog

        pending = PendingLog(root)  # a long history's git log runs while the notes are read
    try:
        fixing = request.fix or request.diff
        store = Store(root, dictionary_version(), enabled=not request.no_cache, rules=rules)
        services = default_services(store, helper, pending)
        kept = store if store.usable or store.writable else None
        session = Session(root, config, rules, services, kept)
        # a few notes (the staged ones, or PATHS): the rest of the vault is known from the store
        selection = request.selection
        focus = selection if selection is not None else ([] if request.staged else None)
        vault = session.load(progress=progress, focus=focus, fetched=fetched)
        only = select_paths(session.lintable, selection)
        writes = request.fix and not request.diff
        commit = _writer(root, session, request.no_cache) if writes else None
        if request.staged:
            vanished = fetched.vanished if fetched is not None else staged_vanished(root)
            report = _staged_run(
                session, vault, only or set(), vanished, fixing, request.unsafe, commit
            )
        else:
            report = session.run(vault, only, fix=fixing, unsafe=request.unsafe, commit=commit)
        named = set(config.named(rules))
        report.defaults = [f.sentence() for c, f in session.fitted.items() if c not in named]
        speller = vault.services.get("spelling")
        grammar = vault.services.get("grammar")
        session.remember(vault, getattr(speller, "learnt", None), getattr(grammar, "learnt", None))
        return report
    finally:
        if pending is not None:
            pending.close()  # also when the run ends early: git must not linger


def load_vault(
    root: Path, config: Config, rules: Sequence[Rule], codes: set[str]
) -> tuple[Vault, set[str]]:
    """The vault loaded, with the services the rules ``codes`` need, for a command that reads
    it without checking it (``vaultlint stale``); and its notes to check."""
    session = Session(root, config, rules, default_services())
    loaded = session.load()
    session.close()  # no checks follow: the workers need not keep the notes
    session.provide_services(loaded, codes)
    return loaded, session.lintable


def _writer(root: Path, session: Session, no_cache: bool) -> Callable[[NoteOutcome], str | None]:
    """What writes a fixed note (and says why it could not). Temporary files go to the cache
    folder, which git ignores, when there is one; those a killed run left are removed first."""
    from vaultlint.cache.replay import writable
    from vaultlint.disk.writer import (
        NotWritten,
        cache_folder,
        remove_stale_temporaries,
        temporaries_in,
        write_note,
    )

    spare: Path | None = None
    if not no_cache and writable(root):
        with contextlib.suppress(OSError):
            spare = cache_folder(root / ".vaultlint")
    stale = [root / p for p in session.temporaries] + (temporaries_in(spare) if spare else [])
    remove_stale_temporaries(stale)

    def commit(outcome: NoteOutcome) -> str | None:
        try:
            write_note(root / outcome.path, outcome.new_bytes(), outcome.old_bytes(), spare)
        except NotWritten as exc:
            return str(exc)
        except OSError as exc:
            return f"not fixed: cannot write ({exc.strerror or exc})"
        return None

    return commit


def _walked(root: Path, config: Config, listing: Listing) -> Fetched:
    """What a run fetches of a vault walked already (no deletion or rename: not a commit)."""
    from vaultlint.run.prefetch import Fetched

    ignored = git_ignored(root, listing.notes) if config.respect_gitignore else set()
    return Fetched(listing, ignored, Vanished())


def _staged_run(
    session: Session,
    vault: Any,
    only: set[str],
    vanished: Vanished,
    fix: bool,
    unsafe: bool,
    commit: Callable[[NoteOutcome], str | None] | None = None,
) -> Report:
    """The staged notes, plus the links elsewhere that the commit's deletions and renames break."""
    from vaultlint.vault.backlinks import backlinks_to

    broken = [b for b in backlinks_to(vault, vanished) if b.note in session.lintable]
    report = session.run(vault, only, fix=fix, unsafe=unsafe, commit=commit)
    others = {b.note for b in broken} - only
    if others:
        wanted = {(b.note, vault.notes[b.note].lines.position(b.link.span.start)) for b in broken}
        extra = session.run(vault, others, fix=False)
        report.diagnostics.extend(d for d in extra.diagnostics if (d.path, d.start) in wanted)
        report.diagnostics.sort(key=lambda d: d.sort_key())
        report.notes_checked += extra.notes_checked
    if fix:  # links that followed a renamed file's old name follow its new one
        from vaultlint.move.renamefix import RenameOutcome, drop_repaired, repair_renames

        setting = link_setting(session.root, session.config.obsidian_config_dir)
        linking = {b.note for b in broken} | only
        changes = repair_renames(vault, vanished, linking, report.outcomes, setting)
        for outcome in report.outcomes:
            if isinstance(outcome, RenameOutcome) and commit is not None:
                outcome.error = commit(outcome)  # on top of what the run's fixes wrote
                outcome.unwritten = outcome.error is not None
        report.diagnostics = drop_repaired(report.diagnostics, changes)
        done = {(c.after, link.target) for c in changes for link in c.links}
        broken = [b for b in broken if (b.note, vanished.paths[b.target]) not in done]
        if changes:
            count = sum(len(c.links) for c in changes)
            report.messages.append(
                f"rewrote {count} link{'s' * (count != 1)} in {len(changes)} "
                f"note{'s' * (len(changes) != 1)} to follow the renamed files"
            )
    by_target: dict[str, list[str]] = {}
    for b in broken:
        by_target.setdefault(b.target, []).append(b.note)
    for target, notes in sorted(by_target.items()):
        names = ", ".join(sorted(set(notes)))
        count = len(set(notes))
        new = vanished.paths[target]
        how = f'deletes "{target}"' if new is None else f'renames "{target}" to "{new}"'
        hint = "" if new is None or fix else " (`vaultlint check --staged --fix` repoints them)"
        report.messages.append(
            f"this commit {how}, which {count} note{'s' * (count != 1)} "
            f"link{'s' * (count == 1)} to: {names}{hint}"
        )
    return report
