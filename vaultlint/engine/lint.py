"""The lint pass and the fix loop. The engine knows no rule: it runs what the registry gives it."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.cache.store import NO_STAT, Changes, NoteRecord, Stat, Store, StoredSummaries, save
from vaultlint.disk.canvas import canvas_cards
from vaultlint.disk.discovery import select_paths
from vaultlint.disk.loader import LazyNotes, list_vault, load_note
from vaultlint.edit.apply import apply_fixes
from vaultlint.engine.config import Config, Effective
from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.engine.fit import Fitted, count_titles, fitted_defaults
from vaultlint.engine.registry import builtin_rules
from vaultlint.engine.report import NoteOutcome, Report
from vaultlint.engine.rule import Fix, Rule, Safety, Violation, as_vault_rule
from vaultlint.engine.suppress import parse_suppressions
from vaultlint.model.note import Note, Position, ReadError, unreadable_note
from vaultlint.parse.decode import decode
from vaultlint.parse.note import parse_note
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
from vaultlint.vault.incoming import backlinks_of
from vaultlint.vault.summary import NoteSummary, summarize
from vaultlint.vault.tally import MemoryTally, StoredTally
from vaultlint.vault.view import Vault, link_name

if TYPE_CHECKING:
    from vaultlint.run.prefetch import Fetched

MAX_FIX_PASSES = 10
TEAM_CHUNK = 40  # notes per job sent to a worker: small enough to keep both cores busy to the end
# Below this, parsing every note twice (workers forked after the vault-wide step inherit its
# loaded dictionaries) costs no more than workers that keep their notes but load their own
# dictionaries (measurements: benchmarks/measurements.md).
TEAM_MIN_NOTES = 2000
ServiceFactory = Callable[[Vault], Any]


class Engine:
    """One run over a vault: load, the vault-wide step, check and fix each note (it still also
    drives the worker processes and the note store: issue 16)."""

    def __init__(
        self,
        root: Path,
        config: Config,
        rules: Sequence[Rule] | None = None,
        services: Mapping[str, ServiceFactory] | None = None,
    ) -> None:
        self.root = root
        self.config = config
        self.rules = tuple(rules) if rules is not None else builtin_rules()
        self.service_factories = dict(services or {})
        self.lintable: set[str] = set()
        self.linked: set[str] = set()  # notes reached through a symlink: never rewritten
        self.temporaries: list[str] = []  # vaultlint's own, left by a killed write
        self.store: Store | None = None  # what is known of every note between runs
        self.records: list[NoteRecord] = []  # notes parsed in this run, for the store
        self.removed: list[str] = []  # stored notes that are gone
        self.touched: dict[str, tuple[Stat, str]] = {}  # new mtime, same text
        self.tally_changes: dict[str, Counter[str]] = {}
        self._old_facts: dict[str, dict[str, list[Any]]] = {}
        self._remembered = False
        # workers that parsed the notes while reading them, and keep them for the checks
        self.team: Team | None = None
        self.held: dict[str, int] = {}  # note -> the worker holding it parsed
        # the tally keys of the notes parsed in this run, summed by the workers that parsed them
        self.parsed_sums: dict[str, Counter[str]] | None = None
        self.summed: set[str] = set()  # the notes whose keys are in ``parsed_sums``
        self.fitted: dict[str, Fitted] = {}  # rule defaults fitted to the vault, with reasons

    # -- loading ---------------------------------------------------------------------------

    def load(
        self,
        progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
        focus: list[str] | None = None,
        fetched: Fetched | None = None,
    ) -> Vault:
        """The vault: every note summarised, the notes to check parsed when asked for.

        With a ``focus`` (the few notes a pre-commit run checks) and a cache of the whole
        vault, only changed notes are read: the others are known by their stored summary, and
        tallies are the stored ones plus what changed. Otherwise every note's facts are
        gathered: from the cache for unchanged notes, by parsing for the others. ``fetched``:
        the vault's files as a helper process listed them (see ``prefetch``)."""
        files = list_vault(self.root, self.config, fetched)
        self.lintable = files.lintable
        self.linked, self.temporaries = files.linked, files.temporaries
        focused = select_paths(files.notes, focus)
        store = self.store
        if store is not None:
            store.accept(self.facts_keys(files.notes))
        stored = store.stats() if store is not None else {}
        facts_valid = store is not None and store.facts_valid
        partial = focused is not None and facts_valid and bool(stored) and store is not None
        notes = LazyNotes(self.root, files.notes, self.config.max_file_size)
        changed = [
            p
            for p in files.notes
            if not facts_valid or p not in stored or stored[p][0] != files.stats.get(p)
        ]
        ckeys = {p: stored[p][1] for p in changed if p in stored}
        records = self._read(changed, ckeys, notes, progress if not partial else None, not partial)
        same = [p for p in changed if records.get(p) is None]  # touched, text unchanged
        parsed = {p: r for p, r in records.items() if r is not None}
        unchanged = [p for p in files.notes if p not in parsed]
        self.removed = sorted(set(stored) - set(files.notes))
        old_facts = store.facts(list(parsed) + self.removed) if store is not None else {}
        fresh = {p: r.summary for p, r in parsed.items()}
        summaries: Mapping[str, NoteSummary]
        if partial:
            assert focused is not None and store is not None
            summaries = StoredSummaries(store, files.notes, fresh, lambda p: summarize(notes[p]))
            wanted = [p for p in focused if p not in parsed]
            facts = {**store.facts(wanted), **{p: r.facts for p, r in parsed.items()}}
        else:
            found = store.summaries(unchanged) if store is not None else {}
            facts = store.facts(unchanged) if store is not None else {}
            facts.update({p: r.facts for p, r in parsed.items()})
            missing = [p for p in unchanged if p not in found or p not in facts]
            if missing:  # a damaged cache row: parse the note after all
                for path, record in self._read(missing, {}, notes, None).items():
                    if record is not None:
                        parsed[path] = record
                        fresh[path] = record.summary
                        facts[path] = record.facts
            summaries = {**found, **fresh}
        for path in same:  # a touch: keep the stored row, with the new mtime
            if path not in parsed:
                self.touched[path] = (files.stats.get(path, NO_STAT), stored[path][1])
        self.records = list(parsed.values())
        vault = Vault.from_summaries(
            self.root, notes, summaries, files.notes + files.attachments, lazy=partial
        )
        vault.complete = not partial
        vault.setup = files.setup
        vault.carried = dict(store.carried) if store is not None else {}
        if partial and store is not None:
            vault.linking = _linking(store, fresh, set(files.notes))
            vault.focus = set(focused or ())
        for path, by_code in facts.items():
            for code, (_, value) in by_code.items():
                vault.collected.setdefault(code, {})[path] = value
        for path, problem in files.problems.items():
            if path.lower().endswith(".md"):
                notes.keep(unreadable_note(path, ReadError(problem)))
                files.lintable.add(path)
            elif problem.startswith("folder not readable"):  # its notes would be missed silently
                vault.services.setdefault("messages", []).append(f"{path}/: {problem}")
        self._old_facts = old_facts
        self.fit(vault)
        self.count(vault, partial)
        return vault

    def fit(self, vault: Vault) -> None:
        """Defaults that fit the vault (``fit``): decided from every note's summary on a full
        run, which leaves the counts for the partial runs that follow."""
        counted = vault.carried.get("fit.titles")
        if vault.complete or not (isinstance(counted, list) and len(counted) == 2):
            lintable = self.lintable
            summaries = vault.summaries
            counted = list(count_titles(summaries[p] for p in summaries if p in lintable))
            vault.carried["fit.titles"] = counted
        self.apply_fit(vault)

    def apply_fit(self, vault: Vault) -> None:
        """The defaults ``fit`` decided, from what it left on the vault (workers that forked
        before it ran receive the vault, not the decision)."""
        counted = vault.carried.get("fit.titles") or [0, 0]
        self.fitted = fitted_defaults(int(counted[0]), int(counted[1]), vault.setup)
        self.config.fit({code: fitted.on for code, fitted in self.fitted.items()})

    def facts_keys(self, paths: Iterable[str]) -> dict[str, str]:
        """The collecting rules of this run, each with what its facts depend on: the
        configuration file (rule options, and which notes a rule is on for). The command
        line's selection is left out: ``--select`` does not change what a rule collects."""
        base = self.config.digest(selection=False)
        if not self.config.per_path:  # every note has the same rules: ask for one
            paths = list(itertools.islice(paths, 1))
        variants = {self.effective(p).enabled for p in paths}
        return {
            rule.META.code: base
            for rule in self.rules
            if _collector(rule) is not None and any(rule.META.code in v for v in variants)
        }

    def _read(
        self,
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
                kept = self._read_in_team(paths, ckeys, progress)
                if kept is not None:
                    return kept
            # Workers send back records (plain data), not notes: pickling a parsed note costs
            # as much as parsing it. The checks parse again, in parallel too.
            found = map_chunks(_record_of, (self, ckeys), paths, progress)
            return dict(zip(paths, found, strict=True))
        result: dict[str, NoteRecord | None] = {}
        for path in follow(paths, progress):
            note, record = _load_one(self, path, ckeys.get(path))
            result[path] = record
            if note is not None and len(paths) < MIN_NOTES:
                notes.keep(note)  # a small vault: keep the parsed notes for the checks
        return result

    def _read_in_team(
        self,
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
            self.team = Team(workers(), self)
            for _ in follow(Counted(len(paths), arrivals(self.team)), progress):
                pass
            sums = self.team.each(_team_tallies, None)  # each worker counted as it parsed
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

    def count(self, vault: Vault, partial: bool = False) -> None:
        """Sum the per-note keys of rules that keep vault-wide counts (``tally``). A partial
        run reads the stored sums and applies what its parsed notes changed."""
        self.tally_changes = {}
        parsed = {r.path for r in self.records}
        for rule in self.rules:
            hook = getattr(rule, "tally", None)
            if hook is None:
                continue
            code = rule.META.code
            # the parsed notes' keys: summed by the workers that parsed them, or here
            fresh = Counter((self.parsed_sums or {}).get(code, {}))
            own = (r for r in self.records if r.path not in self.summed and code in r.facts)
            _count(hook, (r.facts[code][1] for r in own), fresh, 1)
            if self.store is not None and self.store.facts_valid:
                # what this run changes in the stored sums, note by note (the keys of all
                # notes at once would be millions of small strings); a cold run has no stored
                # sums to change: it writes its whole tallies instead
                change: Counter[str] = Counter(fresh)
                old = (f[code][1] for f in self._old_facts.values() if code in f)
                _count(hook, old, change, -1)
                self.tally_changes[code] = Counter({k: n for k, n in change.items() if n})
            if partial:
                vault.tallies[code] = StoredTally(self.store, code, self.tally_changes[code])
                continue
            total = vault.tallies[code] = MemoryTally(fresh)
            facts = vault.collected.get(code, {})
            _count(hook, (fact for path, fact in facts.items() if path not in parsed), total, 1)
        self.parsed_sums, self.summed = None, set()

    def prepare(self, vault: Vault, codes: Iterable[str]) -> None:
        """The vault-wide step: each whole-vault rule's ``prepare`` makes its state from the
        facts of every note (the store's for the notes this run did not parse)."""
        wanted = set(codes)
        root = self.effective("")
        for rule in self.rules:
            code = rule.META.code
            if code not in wanted or code not in root.options:
                continue
            whole = as_vault_rule(rule)
            if whole is not None:
                facts = self._facts_of_every_note(vault, code)
                vault.states[code] = whole.prepare(vault, root.options[code], facts)
                continue
            hook = getattr(rule, "prepare", None)  # LEGACY hook (typo, unknown-word): see ``Rule``
            if hook is not None:
                hook(vault, root.options[code], vault.collected.get(code, {}))

    def _facts_of_every_note(self, vault: Vault, code: str) -> dict[str, Any]:
        known = vault.collected.get(code, {})
        if vault.complete or self.store is None:
            return dict(known)
        missing = [path for path in vault.summaries if path not in known]
        stored = self.store.facts(missing if len(missing) < 500 else None)
        facts = {path: by_code[code][1] for path, by_code in stored.items() if code in by_code}
        facts.update(known)
        return {path: facts[path] for path in vault.summaries if path in facts}

    def gather_backlinks(self, vault: Vault, targets: Iterable[str], codes: Iterable[str]) -> None:
        """Who links to each note to check, when an enabled rule asks (``META.needs``)."""
        wanted = set(codes)
        if any("backlinks" in r.META.needs for r in self.rules if r.META.code in wanted):
            canvases = [p for p in vault.index.all_paths() if p.lower().endswith(".canvas")]
            cards = canvas_cards(self.root, canvases, self.config.max_file_size)
            vault.backlink_map = backlinks_of(vault, targets, cards)

    def provide_services(self, vault: Vault, codes: Iterable[str]) -> None:
        wanted = {code for code in codes}
        for rule in self.rules:
            if rule.META.code not in wanted:
                continue
            for name in rule.META.needs:
                if name not in vault.services and name in self.service_factories:
                    vault.services[name] = self.service_factories[name](vault)

    def remember(
        self,
        vault: Vault,
        known: Mapping[str, Mapping[str, bool]] | None = None,
        grammar: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        """Keep what this run learnt for the next one (nothing without a store): the notes it
        parsed and the tallies (once, as soon as they are complete, so their memory can go
        before the checks), then the dictionary's answers and the grammar findings."""
        if self.store is None:
            return
        keys = (self.store.facts_keys, self.store.dictionary)
        if self._remembered:
            if known or grammar:
                save(self.root, keys, Changes(known=known, grammar=grammar))
            return
        replace = not self.store.facts_valid
        tallies: dict[str, Counter[str]] = dict(self.tally_changes)
        if replace:
            tallies = {
                code: Counter(t) for code, t in vault.tallies.items() if isinstance(t, Counter)
            }
        changes = Changes(
            self.records,
            self.removed,
            self.touched,
            tallies,
            replace,
            vault.carried if vault.complete else None,
            known,
            grammar,
        )
        save(self.root, keys, changes)
        self._remembered = True
        self.records, self.tally_changes, self._old_facts = [], {}, {}

    # -- checking --------------------------------------------------------------------------

    def effective(self, path: str) -> Effective:
        return self.config.for_path(path, self.rules)

    def violations(
        self, note: Note, vault: Vault, report: Report | None = None
    ) -> list[tuple[Rule, Violation]]:
        effective = self.effective(note.path)
        suppressions = parse_suppressions(note)
        found: list[tuple[Rule, Violation]] = []
        for rule in self.rules:
            meta = rule.META
            if meta.code not in effective.enabled:
                continue
            if note.read_error is not None and not meta.reads_unreadable:
                continue
            if meta.needs_valid_frontmatter and not note.frontmatter_valid:
                continue  # never read or rewrite properties Obsidian itself cannot read
            try:
                options = effective.options[meta.code]
                whole = as_vault_rule(rule)
                if whole is not None:
                    results = list(whole.check(note, vault, options, vault.states[meta.code]))
                else:
                    results = list(rule.check(note, vault, options))
            except Exception as exc:  # one rule's bug must not hide every other finding
                if report is not None:
                    report.crash(meta.name, meta.code, note.path, exc)
                continue
            for violation in results:
                position = note.lines.position(violation.span.start)
                if suppressions.suppressed(rule, violation.span.start, position.line):
                    continue
                found.append((rule, violation))
        return found

    def diagnostics(self, note: Note, pairs: Sequence[tuple[Rule, Violation]]) -> list[Diagnostic]:
        effective = self.effective(note.path)
        # a note --fix will not rewrite offers no fix: "[*]" and the fixable count must not
        # promise what the fix run then refuses
        fixable = self._not_rewritten(note) is None if note.read_error is None else False
        result = []
        for rule, violation in pairs:
            meta = rule.META
            span = violation.span
            if note.read_error is not None:  # no text to count in: the reader's own position
                start = end = Position(note.read_error.line, note.read_error.column)
            else:
                start = note.lines.position(span.start)
                end = note.lines.position(span.end)
            result.append(
                Diagnostic(
                    path=note.path,
                    start=start,
                    end=end,
                    code=meta.code,
                    rule=meta.name,
                    severity=effective.severity[meta.code],
                    message=violation.message,
                    fix=violation.fix if fixable else None,
                    source=note.text[span.start : span.end] or violation.message,
                    data=violation.data,
                )
            )
        return result

    # -- fixing ----------------------------------------------------------------------------

    def fix_note(self, note: Note, vault: Vault, unsafe: bool) -> NoteOutcome:
        """Apply fixes to a fixed point. A fix whose result would not read back is left out
        (with a warning), never the others with it; unsafe fixes that do not converge leave
        the safe ones to be applied alone."""
        outcome = NoteOutcome(note.path, note, note)
        if note.read_error is not None:
            return outcome
        seen = {note.text}
        current = note
        refused: set[Fix] = set()
        for _ in range(MAX_FIX_PASSES):
            pairs = self.violations(current, vault)
            fixes = [
                v.fix
                for _, v in pairs
                if v.fix is not None
                and (v.fix.safety is Safety.SAFE or unsafe)
                and v.fix not in refused
            ]
            if not fixes:
                return _settled(outcome)
            refusal = self._not_rewritten(current)
            if refusal is not None:
                outcome.error = refusal
                return outcome
            new_text, applied = apply_fixes(current.text, fixes)
            if new_text == current.text:
                return _settled(outcome)
            after = _regression(current, new_text)
            if isinstance(after, str):
                alone = [
                    (fix, _regression(current, apply_fixes(current.text, [fix])[0]))
                    for fix in applied
                ]
                bad = [(fix, why) for fix, why in alone if isinstance(why, str)]
                for fix, why in bad or [(fix, after) for fix in applied]:
                    refused.add(fix)
                    outcome.warnings.append(f"{_titles([fix])} not applied: {why}")
                continue  # the same note again, without the fixes that broke it
            if new_text in seen:
                return self._unconverged(outcome, note, vault, unsafe, "they undo each other")
            seen.add(new_text)
            current = after
            outcome.after = current
            outcome.applied += len(applied)
        return self._unconverged(outcome, note, vault, unsafe, f"after {MAX_FIX_PASSES} passes")

    def _unconverged(
        self, outcome: NoteOutcome, note: Note, vault: Vault, unsafe: bool, why: str
    ) -> NoteOutcome:
        if unsafe:  # the safe fixes alone may settle: they are not lost with the others
            safe = self.fix_note(note, vault, False)
            if safe.error is None:
                safe.warnings.append(f"unsafe fixes did not converge ({why}); not applied")
                return safe
        outcome.error = f"fixes did not converge ({why}); nothing written"
        outcome.after, outcome.applied = note, 0
        return outcome

    def _not_rewritten(self, note: Note) -> str | None:
        """Why a note with fixes to make must be left as it is, if it must."""
        if note.source.mixed_newlines:
            return "mixed line endings: not rewritten (normalise them first)"
        if not note.frontmatter_valid:
            return "invalid frontmatter: not rewritten (correct the YAML first)"
        if note.path in self.linked:
            return "reached through a symlink: not rewritten (its target is fixed by its own name)"
        return None

    # -- the whole run ---------------------------------------------------------------------

    def run(
        self,
        vault: Vault,
        only: set[str] | None = None,
        fix: bool = False,
        unsafe: bool = False,
        commit: Callable[[NoteOutcome], str | None] | None = None,
    ) -> Report:
        """Check (and with ``fix``, fix) the notes. ``commit`` writes a fixed note and says why
        it could not: that note is then checked as it was."""
        report = Report(self.root)
        targets = sorted(p for p in self.lintable if only is None or p in only)
        enabled: set[str] = set()
        for path in targets:
            enabled |= self.effective(path).enabled
        self.provide_services(vault, enabled)
        self.gather_backlinks(vault, targets, enabled)
        self.prepare(vault, enabled)
        self.remember(vault)
        if not fix and targets:
            checked = self._check_in_workers(vault, targets)
            if checked is not None:
                for diagnostics, crashes, learnt in checked:
                    report.diagnostics.extend(diagnostics)
                    for crash in crashes:
                        report.crash(*crash)
                    for name, data in learnt.items():  # e.g. dictionary answers, for the cache
                        vault.services[name].import_learnt(data)
                report.notes_checked += len(targets)
                targets = []
        self.close()  # a fix, or nothing to check: the workers' notes are not needed
        for path in targets:
            note = vault.notes[path]
            if fix:
                outcome = self.fix_note(note, vault, unsafe)
                if outcome.changed and commit is not None:
                    outcome.error = commit(outcome)
                    outcome.unwritten = outcome.error is not None
                if outcome.changed or outcome.error:
                    report.outcomes.append(outcome)
                note = outcome.after if outcome.changed else note
            pairs = self.violations(note, vault, report)
            report.diagnostics.extend(self.diagnostics(note, pairs))
            report.notes_checked += 1
            _release(vault, path)
        report.diagnostics.sort(key=Diagnostic.sort_key)
        messages = vault.services.get("messages")
        if isinstance(messages, list):
            report.messages.extend(messages)
        return report

    def _check_in_workers(self, vault: Vault, targets: list[str]) -> list[Any] | None:
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
                return map_chunks(_check_one, (self, vault), targets)
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
                _team_check,
                [_check_jobs(vault, paths) for paths in held],
                _check_jobs(vault, others),
            )
        except TeamError:
            return None
        return [result for pairs in done for _, results in pairs for result in results]


def _worker_view(vault: Vault) -> Vault:
    """The vault as the checking workers receive it: without the per-note facts (each job
    brings its own) and without every note's link list, two thirds of the rest, which checks
    never read (the index resolves links; who links to a note is the parent's business, so
    ``linking_to`` says so rather than answer from lists that are not there)."""
    summaries = {
        path: dataclasses.replace(s, links=(), embeds=()) for path, s in vault.summaries.items()
    }
    return dataclasses.replace(
        vault, collected={}, linking=_no_backlinks_in_workers, summaries=summaries
    )


def _no_backlinks_in_workers(names: set[str]) -> set[str]:
    raise RuntimeError("Vault.linking_to is not available while checking in worker processes")


def _check_jobs(vault: Vault, paths: list[str]) -> list[tuple[list[str], dict[str, Any]]]:
    """Jobs of ``TEAM_CHUNK`` notes, each with the facts rules collected from them."""
    jobs = []
    for i in range(0, len(paths), TEAM_CHUNK):
        chunk = paths[i : i + TEAM_CHUNK]
        facts = {
            code: {p: by_path[p] for p in chunk if p in by_path}
            for code, by_path in vault.collected.items()
        }
        jobs.append((chunk, facts))
    return jobs


def _team_read(
    engine: Engine, state: dict[str, Any], payload: tuple[list[str], Mapping[str, str]]
) -> list[NoteRecord | None]:
    """In a worker: read and parse notes, keep them, send back their records."""
    paths, ckeys = payload
    kept: dict[str, Note] = state.setdefault("notes", {})
    sums: dict[str, Counter[str]] = state.setdefault("tallies", {})
    hooks = [(r.META.code, r.tally) for r in engine.rules if hasattr(r, "tally")]
    records = []
    for path in paths:
        note, record = _load_one(engine, path, ckeys.get(path))
        if note is not None and record is not None:  # None: the stored text, not needed here
            kept[path] = note
            for code, hook in hooks:
                if code in record.facts:
                    _count(hook, [record.facts[code][1]], sums.setdefault(code, Counter()), 1)
        records.append(record)
    return records


def _team_tallies(engine: Engine, state: dict[str, Any], payload: None) -> dict[str, Counter[str]]:
    """In a worker: the tally keys of the notes it parsed, summed (sent once, not per note)."""
    sums: dict[str, Counter[str]] = state.pop("tallies", {})
    return sums


def _team_receive(engine: Engine, state: dict[str, Any], shell: bytes) -> None:
    """In a worker: the vault after the vault-wide step, with the notes this worker holds."""
    import pickle

    vault: Vault = pickle.loads(shell)
    notes = vault.notes
    if not isinstance(notes, LazyNotes):  # a small vault keeps a plain mapping
        notes = LazyNotes(engine.root, list(notes), engine.config.max_file_size)
    for note in state.pop("notes", {}).values():
        notes.keep(note)
    vault.notes = notes
    engine.apply_fit(vault)
    state["vault"] = vault


def _team_check(
    engine: Engine, state: dict[str, Any], payload: tuple[list[str], dict[str, dict[str, Any]]]
) -> list[tuple[list[Diagnostic], list[tuple[str, str, str, Exception]], dict[str, Any]]]:
    """In a worker: check notes (parsing those it does not hold) with their collected facts."""
    paths, facts = payload
    vault: Vault = state["vault"]
    vault.collected = facts
    return [_check_one((engine, vault), path) for path in paths]


def _load_one(engine: Engine, path: str, ckey: str | None) -> tuple[Note | None, NoteRecord | None]:
    """Read and parse one note into what the cache keeps of it: its summary and the per-note
    facts rules asked for (``collect``). No record when its text hashes to ``ckey``."""
    note, key, stat = load_note(engine.root, path, engine.config.max_file_size, ckey)
    if note is None or key == ckey:  # the stored text: no need to parse it again
        return note, None
    facts: dict[str, list[Any]] = {}
    if note.read_error is None:
        effective = engine.effective(path)
        for rule in engine.rules:
            hook = _collector(rule)
            code = rule.META.code
            if hook is None or code not in effective.enabled:
                continue
            try:
                fact = hook(note, effective.options[code])
            except Exception:  # the rule's check will meet the same note and say so
                continue
            if fact is not None or not rule.META.whole_vault:
                facts[code] = [repr(effective.options[code]), fact]
    record = NoteRecord(path, stat, key, summarize(note), facts)
    if engine.store is not None:
        record.encode()  # here, in parallel, rather than in the parent that saves it
    return note, record


def _collector(rule: Rule) -> Callable[[Note, Any], Any] | None:
    """The rule's ``collect``: declared by a whole-vault rule, or the LEGACY hook (typo, unknown-word)."""
    whole = as_vault_rule(rule)
    if whole is not None:
        return whole.collect
    hook: Callable[[Note, Any], Any] | None = getattr(rule, "collect", None)
    return hook


def _record_of(context: tuple[Engine, Mapping[str, str]], path: str) -> NoteRecord | None:
    engine, ckeys = context
    return _load_one(engine, path, ckeys.get(path))[1]


def _linking(
    store: Store, fresh: Mapping[str, NoteSummary], present: set[str]
) -> Callable[[set[str]], set[str]]:
    """Notes linking to names: from the store, but this run's summaries for notes it parsed."""

    def linking(names: set[str]) -> set[str]:
        found = store.linking(names) - set(fresh)
        found |= {
            path
            for path, summary in fresh.items()
            if any(link_name(target) in names for target, _ in summary.links)
        }
        return found & present

    return linking


def _count(
    hook: Callable[[Any], Iterable[str]], facts: Iterable[Any], into: Counter[str], sign: int
) -> None:
    """Add (``sign`` 1) or take away (-1) each fact's tally keys; a fact of the wrong shape (a
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


def _check_one(
    context: tuple[Engine, Vault], path: str
) -> tuple[list[Diagnostic], list[tuple[str, str, str, Exception]], dict[str, Any]]:
    """One note checked in a worker, with what services learnt meanwhile (a worker's memory is
    lost when it ends; the parent keeps it for the next run)."""
    engine, vault = context
    note = vault.notes[path]
    local = Report(engine.root)
    pairs = engine.violations(note, vault, local)
    crashes = [(name, code, where, exc) for name, code, where, exc in local.crash_list]
    found = engine.diagnostics(note, pairs)
    _release(vault, path)
    return found, crashes, _learnt(vault)


def _learnt(vault: Vault) -> dict[str, Any]:
    """What services learnt since last asked (``export_learnt``), by service name."""
    return {
        name: service.export_learnt()
        for name, service in vault.services.items()
        if hasattr(service, "export_learnt")
    }


def _release(vault: Vault, path: str) -> None:
    if isinstance(vault.notes, LazyNotes):
        vault.notes.release(path)


def _settled(outcome: NoteOutcome) -> NoteOutcome:
    """A note whose every fix was refused: say so as the reason it was not written."""
    if outcome.after is outcome.before and outcome.warnings:
        outcome.error = outcome.warnings.pop(0)
    return outcome


def _titles(fixes: Sequence[Fix]) -> str:
    titles = sorted({f.title for f in fixes})
    return "fix " + ", ".join(repr(t) for t in titles[:3])


def _regression(before: Note, new_text: str) -> Note | str:
    """The re-parsed note, or why the new text must not be written."""
    data = before.source.encode(new_text)
    decoded = decode(data, max_bytes=1 << 62)
    if isinstance(decoded, ReadError) or decoded.text != new_text:
        return "the result would not read back as the same text"
    after = parse_note(before.path, dataclasses.replace(before.source, text=new_text))
    if before.frontmatter is not None and after.frontmatter is None:
        return "the result would lose its frontmatter"
    if before.frontmatter_valid and not after.frontmatter_valid:
        return "the result would have invalid YAML frontmatter"
    return after
