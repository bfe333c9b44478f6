"""Where a session's notes are read and checked: in this process, by workers forked for one
step (a map), or by a team of workers that keep the notes they parsed for the checks.

Workers start with the session by fork; what travels is plain data: records of the notes
read, the vault after the vault-wide step (once, to a team), the diagnostics found.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from vaultlint.cache.store import NoteRecord
from vaultlint.disk.loader import LazyNotes, load_note
from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.engine.report import Report
from vaultlint.engine.rule import Rule, as_counting_rule, as_vault_rule
from vaultlint.model.note import Note
from vaultlint.run.parallel import (
    MIN_NOTES,
    Counted,
    Team,
    TeamError,
    can_fork,
    follow,
    map_chunks,
    workers,
)
from vaultlint.vault.summary import summarize
from vaultlint.vault.view import Vault

if TYPE_CHECKING:
    from vaultlint.run.session import Session

TEAM_CHUNK = 40  # notes per job sent to a worker: small enough to keep both cores busy to the end
# Below this, parsing every note twice (workers forked after the vault-wide step inherit its
# loaded dictionaries) costs no more than workers that keep their notes but load their own
# dictionaries (measurements: benchmarks/measurements.md).
TEAM_MIN_NOTES = 2000


class Workers:
    """The worker processes of a session: a map forked for one step, or a team that keeps the
    notes it parsed from the reading to the checks (``team``, ``held``)."""

    def __init__(self) -> None:
        self.team: Team | None = None
        self.held: dict[str, int] = {}  # note -> the worker holding it parsed
        # the counted keys of the notes parsed in this run, summed by the workers that parsed them
        self.parsed_sums: dict[str, Counter[str]] | None = None
        self.summed: set[str] = set()  # the notes whose keys are in ``parsed_sums``

    def read(
        self,
        session: Session,
        paths: list[str],
        ckeys: Mapping[str, str],
        notes: LazyNotes,
        progress: Callable[[Iterable[str]], Iterable[str]] | None,
        team: bool = False,
    ) -> dict[str, NoteRecord | None]:
        """Parse ``paths`` into records (None: the text is the one ``ckeys`` remembers).

        With ``team``, the workers that parse the notes stay, holding them for the checks
        (a note is then parsed once per run, not twice)."""
        if len(paths) >= MIN_NOTES and workers() > 1 and can_fork():
            if team and self.team is None and len(paths) >= TEAM_MIN_NOTES:
                kept = self._read_in_team(session, paths, ckeys, progress)
                if kept is not None:
                    return kept
            # Workers send back records (plain data), not notes: pickling a parsed note costs
            # as much as parsing it. The checks parse again, in parallel too.
            found = map_chunks(_record_of, (session, ckeys), paths, progress)
            return dict(zip(paths, found, strict=True))
        result: dict[str, NoteRecord | None] = {}
        for path in follow(paths, progress):
            note, record = _load_one(session, path, ckeys.get(path))
            result[path] = record
            if note is not None and len(paths) < MIN_NOTES:
                notes.keep(note)  # a small vault: keep the parsed notes for the checks
        return result

    def _read_in_team(
        self,
        session: Session,
        paths: list[str],
        ckeys: Mapping[str, str],
        progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
    ) -> dict[str, NoteRecord | None] | None:
        jobs = [
            (chunk, {p: ckeys[p] for p in chunk if p in ckeys})
            for chunk in (paths[i : i + TEAM_CHUNK] for i in range(0, len(paths), TEAM_CHUNK))
        ]
        result: dict[str, NoteRecord | None] = {}

        def arrivals(team: Team) -> Iterator[str]:
            for worker, (chunk, _), records in team.run(_team_read, [[]] * team.size, jobs):
                for path, record in zip(chunk, records, strict=True):
                    result[path] = record
                    if record is not None:
                        self.held[path] = worker
                    yield path

        try:
            self.team = Team(workers(), session)
            for _ in follow(Counted(len(paths), arrivals(self.team)), progress):
                pass
            sums = self.team.each(_team_counts, None)  # each worker counted as it parsed
        except TeamError:
            self.close()
            return None
        self.parsed_sums = {}
        self.summed = {path for path, record in result.items() if record is not None}
        for by_rule in sums:
            for code, counts in by_rule.items():
                self.parsed_sums.setdefault(code, Counter()).update(counts)
        return result

    def close(self) -> None:
        """Stop the workers, if any (they hold parsed notes)."""
        if self.team is not None:
            self.team.close()
        self.team, self.held = None, {}

    def check(self, session: Session, vault: Vault, targets: list[str]) -> list[Any] | None:
        """What each target's check found, from worker processes (None: check them here).
        What services learnt so far is set aside: workers start without it and send back
        theirs."""
        kept = _learnt(vault)
        try:
            if self.team is not None:
                found = self._check_in_team(vault, targets)
                self.close()
                if found is not None:
                    return found
            if len(targets) >= MIN_NOTES and workers() > 1:
                return map_chunks(_check_one, (session, vault), targets)
            return None
        finally:
            for name, data in kept.items():
                vault.services[name].import_learnt(data)

    def _check_in_team(self, vault: Vault, targets: list[str]) -> list[Any] | None:
        """Check ``targets`` in the workers that hold them parsed: each gets the vault as
        the vault-wide step left it (pickled once), then its own notes, then the others."""
        import pickle  # a run without workers (pre-commit) does not pay for it

        team = self.team
        assert team is not None
        try:
            shell = pickle.dumps(_worker_view(vault), pickle.HIGHEST_PROTOCOL)
        except Exception:  # something a rule keeps cannot travel
            return None
        held: list[list[str]] = [[] for _ in range(team.size)]
        others: list[str] = []
        for path in targets:
            worker = self.held.get(path)
            (others if worker is None else held[worker]).append(path)
        try:
            team.each(_team_receive, shell)
            done = team.dispatch(
                _team_check, [_check_jobs(paths) for paths in held], _check_jobs(others)
            )
        except TeamError:
            return None
        return [result for pairs in done for _, results in pairs for result in results]


def _worker_view(vault: Vault) -> Vault:
    """The vault as the checking workers receive it: without the per-note facts (the vault
    rules' states hold what their checks need) and without every note's link list, two thirds
    of the rest, which checks never read (the index resolves links; who links to a note is
    the parent's business, so ``linking_to`` says so rather than answer from lists that are
    not there)."""
    summaries = {
        path: dataclasses.replace(s, links=(), embeds=()) for path, s in vault.summaries.items()
    }
    return dataclasses.replace(
        vault, facts={}, linking=_no_backlinks_in_workers, summaries=summaries
    )


def _no_backlinks_in_workers(names: set[str]) -> set[str]:
    raise RuntimeError("Vault.linking_to is not available while checking in worker processes")


def _check_jobs(paths: list[str]) -> list[list[str]]:
    """Jobs of ``TEAM_CHUNK`` notes."""
    return [paths[i : i + TEAM_CHUNK] for i in range(0, len(paths), TEAM_CHUNK)]


def _team_read(
    session: Session, state: dict[str, Any], payload: tuple[list[str], Mapping[str, str]]
) -> list[NoteRecord | None]:
    """In a worker: read and parse notes, keep them, send back their records."""
    paths, ckeys = payload
    kept: dict[str, Note] = state.setdefault("notes", {})
    sums: dict[str, Counter[str]] = state.setdefault("counts", {})
    counting = [(r.META.code, as_counting_rule(r)) for r in session.rules]
    hooks = [(code, rule.count) for code, rule in counting if rule is not None]
    records = []
    for path in paths:
        note, record = _load_one(session, path, ckeys.get(path))
        if note is not None and record is not None:  # None: the stored text, not needed here
            kept[path] = note
            for code, hook in hooks:
                if code in record.facts:
                    count_keys(hook, [record.facts[code][1]], sums.setdefault(code, Counter()), 1)
        records.append(record)
    return records


def _team_counts(session: Session, state: dict[str, Any], payload: None) -> dict[str, Counter[str]]:
    """In a worker: the counted keys of the notes it parsed, summed (sent once, not per note)."""
    sums: dict[str, Counter[str]] = state.pop("counts", {})
    return sums


def _team_receive(session: Session, state: dict[str, Any], shell: bytes) -> None:
    """In a worker: the vault after the vault-wide step, with the notes this worker holds."""
    import pickle

    vault: Vault = pickle.loads(shell)
    notes = vault.notes
    if not isinstance(notes, LazyNotes):  # a small vault keeps a plain mapping
        notes = LazyNotes(session.root, list(notes), session.config.max_file_size)
    for note in state.pop("notes", {}).values():
        notes.keep(note)
    vault.notes = notes
    session.apply_fit(vault)
    state["vault"] = vault


def _team_check(session: Session, state: dict[str, Any], paths: list[str]) -> list[Checked]:
    """In a worker: check notes (parsing those it does not hold)."""
    vault: Vault = state["vault"]
    return [_check_one((session, vault), path) for path in paths]


def _load_one(
    session: Session, path: str, ckey: str | None
) -> tuple[Note | None, NoteRecord | None]:
    """Read and parse one note into what the cache keeps of it: its summary and the per-note
    facts rules asked for (``collect``). No record when its text hashes to ``ckey``."""
    note, key, stat = load_note(session.root, path, session.config.max_file_size, ckey)
    if note is None or key == ckey:  # the stored text: no need to parse it again
        return note, None
    facts: dict[str, list[Any]] = {}
    if note.read_error is None:
        effective = session.linter.effective(path)
        for rule in session.rules:
            hook = collector(rule)
            code = rule.META.code
            if hook is None or code not in effective.enabled:
                continue
            try:
                fact = hook(note, effective.options[code])
            except Exception:  # the rule's check will meet the same note and say so
                continue
            if fact is not None:
                facts[code] = [repr(effective.options[code]), fact]
    return note, NoteRecord(path, stat, key, summarize(note), facts)


def collector(rule: Rule) -> Callable[[Note, Any], Any] | None:
    """The rule's ``collect``, if it is a vault rule (``VaultRule``, ``CountingRule``)."""
    whole = as_vault_rule(rule)
    return whole.collect if whole is not None else None


def _record_of(context: tuple[Session, Mapping[str, str]], path: str) -> NoteRecord | None:
    session, ckeys = context
    return _load_one(session, path, ckeys.get(path))[1]


def count_keys(
    hook: Callable[[Any], Iterable[str]], facts: Iterable[Any], into: Counter[str], sign: int
) -> None:
    """Add (``sign`` 1) or take away (-1) each fact's counted keys; a fact of the wrong shape (a
    forged cache) counts for nothing."""
    for fact in facts:
        try:
            keys = hook(fact)
        except Exception:
            continue
        if sign > 0:
            into.update(keys)
        else:
            into.subtract(keys)


Crash = tuple[str, str, str, Exception]
Checked = tuple[str, list[Diagnostic], list[Crash], dict[str, Any], frozenset[str]]


def _check_one(context: tuple[Session, Vault], path: str) -> Checked:
    """One note checked in a worker: its path and diagnostics, the rules that crashed on it,
    what services learnt meanwhile (a worker's memory is lost when it ends; the parent keeps
    it for the next run), and the services it asked for (``Vault.asked``)."""
    session, vault = context
    note = vault.notes[path]
    local = Report(session.root)
    vault.asked.clear()
    pairs = session.linter.violations(note, vault, local)
    crashes = [(name, code, where, exc) for name, code, where, exc in local.crash_list]
    found = session.linter.diagnostics(note, pairs)
    asked = frozenset(vault.asked)
    release(vault, path)
    return path, found, crashes, _learnt(vault), asked


def _learnt(vault: Vault) -> dict[str, Any]:
    """What services learnt since last asked (``export_learnt``), by service name."""
    return {
        name: service.export_learnt()
        for name, service in vault.services.items()
        if hasattr(service, "export_learnt")
    }


def release(vault: Vault, path: str) -> None:
    if isinstance(vault.notes, LazyNotes):
        vault.notes.release(path)
