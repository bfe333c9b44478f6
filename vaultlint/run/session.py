"""A run over a vault: load, the vault-wide step, check (and fix) each note, save what it learnt.

The session is the only part of a run that knows files, processes and the note store: it
reads the vault (``vaultlint.disk``), spreads the work (``executors``), keeps what it learnt
between runs (``vaultlint.cache.store``), and hands each note to the lint core
(``vaultlint.engine.lint.Linter``), which knows none of them.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.cache.store import NO_STAT, Changes, NoteRecord, Stat, Store, StoredSummaries, save
from vaultlint.disk.canvas import canvas_cards
from vaultlint.disk.discovery import select_paths
from vaultlint.disk.loader import LazyNotes, list_vault
from vaultlint.engine.config import Config
from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.engine.fit import Fitted, count_titles, fitted_defaults
from vaultlint.engine.lint import Linter
from vaultlint.engine.report import NoteOutcome, Report
from vaultlint.engine.rule import Rule, VaultFacts, as_counting_rule, as_vault_rule
from vaultlint.model.note import ReadError, unreadable_note
from vaultlint.run.executors import Workers, collector, count_keys, release
from vaultlint.run.reuse import DATED, KEYED, Unresolved, dated, decode, encode, note_keys
from vaultlint.vault.incoming import backlinks_of
from vaultlint.vault.summary import NoteSummary, summarize
from vaultlint.vault.tally import MemoryTally, StoredTally
from vaultlint.vault.view import Vault, link_name

if TYPE_CHECKING:
    from vaultlint.run.prefetch import Fetched

ServiceFactory = Callable[[Vault], Any]


class Session:
    """One run over a vault: load it, take the vault-wide step, check and fix its notes (in
    this process or in workers), and keep what it learnt in the store."""

    def __init__(
        self,
        root: Path,
        config: Config,
        rules: Sequence[Rule] | None = None,
        services: Mapping[str, ServiceFactory] | None = None,
        store: Store | None = None,
    ) -> None:
        self.root = root
        self.linter = Linter(config, rules)
        self.config = config
        self.rules = self.linter.rules
        self.service_factories = dict(services or {})
        self.lintable: set[str] = set()
        self.temporaries: list[str] = []  # vaultlint's own, left by a killed write
        self.store = store  # what is known of every note between runs
        self.records: list[NoteRecord] = []  # notes parsed in this run, for the store
        self.removed: list[str] = []  # stored notes that are gone
        self.touched: dict[str, tuple[Stat, str]] = {}  # new mtime, same text
        self.count_changes: dict[str, Counter[str]] = {}
        self._old_facts: dict[str, dict[str, list[Any]]] = {}
        self._remembered = False
        self.ckeys: dict[str, str] = {}  # each note's text hash, where known
        # new findings to keep, by note: encoded only as the store writes them (the report
        # holds the same diagnostics meanwhile)
        self.findings: dict[str, tuple[str, list[Diagnostic], str]] = {}
        self.kept_findings: set[str] = set()
        # the vault's files and what "did you mean" offered, for the next run (``Unresolved``)
        self.suggested: tuple[list[str], dict[str, str | None]] | None = None
        self.workers = Workers()  # the processes that read and check notes, if any
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
        counts are the stored ones plus what changed. Otherwise every note's facts are
        gathered: from the cache for unchanged notes, by parsing for the others. ``fetched``:
        the vault's files as a helper process listed them (see ``prefetch``)."""
        files = list_vault(self.root, self.config, fetched)
        self.lintable = files.lintable
        self.linter.linked, self.temporaries = files.linked, files.temporaries
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
        # a note read only to be hashed, when its stored facts count: after a config change
        # every note is parsed anyway
        ckeys = {p: stored[p][1] for p in changed if p in stored} if facts_valid else {}
        records = self.workers.read(
            self, changed, ckeys, notes, progress if not partial else None, not partial
        )
        same = [p for p in changed if records.get(p) is None]  # touched, text unchanged
        parsed = {p: r for p, r in records.items() if r is not None}
        unchanged = [p for p in files.notes if p not in parsed]
        self.removed = sorted(set(stored) - set(files.notes))
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
                for path, record in self.workers.read(self, missing, {}, notes, None).items():
                    if record is not None:
                        parsed[path] = record
                        fresh[path] = record.summary
                        facts[path] = record.facts
            summaries = {**found, **fresh}
        # what the stored counts hold of the notes parsed now (those re-read for a damaged
        # row too), taken away before their new keys are added
        old_facts = store.facts(list(parsed) + self.removed) if store is not None else {}
        if partial and store is not None and store.rejected:
            # a damaged facts row: the stored counts it went into cannot be corrected note
            # by note, and a partial run reads them; this run counts every note afresh (as
            # after a config change: ``accept`` now says the facts do not count)
            return self.load(progress, focus, fetched)
        for path in same:  # a touch: keep the stored row, with the new mtime
            if path not in parsed:
                self.touched[path] = (files.stats.get(path, NO_STAT), stored[path][1])
        self.records = list(parsed.values())
        self.ckeys = {p: stored[p][1] for p in unchanged if p in stored and p not in parsed}
        self.ckeys.update((p, r.ckey) for p, r in parsed.items())
        vault = Vault.from_summaries(
            self.root, notes, summaries, files.notes + files.attachments, lazy=partial
        )
        vault.complete = not partial
        vault.setup = files.setup
        vault.kept = dict(store.carried) if store is not None else {}
        if partial and store is not None:
            vault.linking = _linking(store, fresh, set(files.notes))
            vault.focus = set(focused or ())
        for path, by_code in facts.items():
            for code, (_, value) in by_code.items():
                vault.facts.setdefault(code, {})[path] = value
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
        counted = vault.kept.get("fit.titles")
        if vault.complete or not (isinstance(counted, list) and len(counted) == 2):
            lintable = self.lintable
            summaries = vault.summaries
            counted = list(count_titles(summaries[p] for p in summaries if p in lintable))
            vault.kept["fit.titles"] = counted
        self.apply_fit(vault)

    def apply_fit(self, vault: Vault) -> None:
        """The defaults ``fit`` decided, from what it left on the vault (workers that forked
        before it ran receive the vault, not the decision)."""
        counted = vault.kept.get("fit.titles") or [0, 0]
        self.fitted = fitted_defaults(int(counted[0]), int(counted[1]), vault.setup)
        self.config.fit({code: fitted.on for code, fitted in self.fitted.items()})

    def facts_keys(self, paths: Iterable[str]) -> dict[str, str]:
        """The collecting rules of this run, each with what its facts depend on: the
        configuration file (rule options, and which notes a rule is on for). The command
        line's selection is left out: ``--select`` does not change what a rule collects."""
        base = self.config.digest(selection=False)
        if not self.config.per_path:  # every note has the same rules: ask for one
            paths = list(itertools.islice(paths, 1))
        variants = {self.linter.effective(p).enabled for p in paths}
        return {
            rule.META.code: base
            for rule in self.rules
            if collector(rule) is not None and any(rule.META.code in v for v in variants)
        }

    def close(self) -> None:
        """Stop the workers, if any (they hold parsed notes)."""
        self.workers.close()

    def count(self, vault: Vault, partial: bool = False) -> None:
        """Sum the keys each note counts for, for the counting rules (``CountingRule.count``).
        A partial run reads the stored sums and applies what its parsed notes changed."""
        self.count_changes = {}
        parsed = {r.path for r in self.records}
        for rule in self.rules:
            counting = as_counting_rule(rule)
            if counting is None:
                continue
            hook = counting.count
            code = rule.META.code
            # the parsed notes' keys: summed by the workers that parsed them, or here
            fresh = Counter((self.workers.parsed_sums or {}).get(code, {}))
            own = (r for r in self.records if r.path not in self.workers.summed and code in r.facts)
            count_keys(hook, (r.facts[code][1] for r in own), fresh, 1)
            if self.store is not None and self.store.facts_valid:
                # what this run changes in the stored sums, note by note (the keys of all
                # notes at once would be millions of small strings); a cold run has no stored
                # sums to change: it writes its whole counts instead
                change: Counter[str] = Counter(fresh)
                old = (f[code][1] for f in self._old_facts.values() if code in f)
                count_keys(hook, old, change, -1)
                self.count_changes[code] = Counter({k: n for k, n in change.items() if n})
            if partial:
                vault.counts[code] = StoredTally(self.store, code, self.count_changes[code])
                continue
            total = vault.counts[code] = MemoryTally(fresh)
            facts = vault.facts.get(code, {})
            count_keys(hook, (fact for path, fact in facts.items() if path not in parsed), total, 1)
        self.workers.parsed_sums, self.workers.summed = None, set()

    def prepare(self, vault: Vault, codes: Iterable[str]) -> None:
        """The vault-wide step: each vault rule's ``prepare`` makes its state from the facts
        of every note (the store's for the notes this run did not parse); a counting rule's,
        once per session, from the vault's counts and the facts of the notes to check."""
        wanted = set(codes)
        root = self.linter.effective("")
        for rule in self.rules:
            code = rule.META.code
            if code not in wanted or code not in root.options:
                continue
            counting = as_counting_rule(rule)
            if counting is not None:
                if code not in vault.states:  # a staged run checks twice: judged once
                    counts = vault.counts.get(code)
                    found = VaultFacts(
                        vault.facts.pop(code, {}),  # the state keeps what the checks need
                        counts if counts is not None else MemoryTally(),
                        vault.complete,
                        _Kept(vault.kept, code),
                    )
                    vault.states[code] = counting.prepare(vault, root.options[code], found)
                continue
            whole = as_vault_rule(rule)
            if whole is not None:
                facts = self._facts_of_every_note(vault, code)
                vault.states[code] = whole.prepare(vault, root.options[code], facts)

    def _facts_of_every_note(self, vault: Vault, code: str) -> dict[str, Any]:
        known = vault.facts.get(code, {})
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
        parsed and the counts (once, as soon as they are complete, so their memory can go
        before the checks), then the dictionary's answers and the grammar findings."""
        if self.store is None:
            return
        keys = (self.store.facts_keys, self.store.dictionary)
        if self._remembered:
            if known or grammar or self.findings or self.suggested:
                rows = self.findings.items()
                changes = Changes(
                    known=known,
                    grammar=grammar,
                    findings=((p, key, encode(found), asks) for p, (key, found, asks) in rows),
                    suggestions=self.suggested,
                )
                save(self.root, keys, changes)
                self.findings, self.suggested = {}, None
            return
        replace = not self.store.facts_valid
        counts: dict[str, Counter[str]] = dict(self.count_changes)
        if replace:
            counts = {
                code: Counter(t) for code, t in vault.counts.items() if isinstance(t, Counter)
            }
        changes = Changes(
            self.records,
            self.removed,
            self.touched,
            counts,
            replace,
            vault.kept if vault.complete else None,
            known,
            grammar,
        )
        save(self.root, keys, changes)
        self._remembered = True
        self.records, self.count_changes, self._old_facts = [], {}, {}

    # -- checking --------------------------------------------------------------------------

    def reuse(self, vault: Vault, targets: list[str], report: Report) -> dict[str, str]:
        """Take the findings the store kept for the targets whose key is unchanged
        (``reuse``); the keys of all targets that can be kept, for the ones checked now."""
        self.kept_findings = set()
        store = self.store
        if store is None or not vault.complete or not (store.usable or store.writable):
            return {}
        unresolved = Unresolved(vault, store.suggestions() if store.usable else None)
        keys = note_keys(self, vault, targets, self.ckeys, unresolved)
        if unresolved.news():
            self.suggested = (unresolved.paths, unresolved.offered)
        stored = store.findings(keys) if store.usable else {}
        for path, (key, text, asks) in stored.items():
            expected = keys.get(path)
            if expected is not None and asks == DATED:
                expected = dated(expected, vault, path)
            if expected != key:
                continue
            found = decode(path, text)
            if found is not None:
                report.diagnostics.extend(found)
                self.kept_findings.add(path)
        report.notes_checked += len(self.kept_findings)
        report.notes_reused += len(self.kept_findings)
        return keys

    def keep(
        self,
        vault: Vault,
        path: str,
        keys: Mapping[str, str],
        found: list[Diagnostic],
        asked: Iterable[str],
    ) -> None:
        """Keep a checked note's findings for the next run: with the history's say when its
        check asked for it (``reuse.dated``); not at all when it asked for a service the key
        knows nothing of (``reuse.KEYED``)."""
        key = keys.get(path)
        services = set(asked)
        if key is None or not services <= KEYED:
            return
        dated_by = DATED in services
        key = dated(key, vault, path) if dated_by else key
        self.findings[path] = (key, found, DATED if dated_by else "")

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
            enabled |= self.linter.effective(path).enabled
        self.provide_services(vault, enabled)
        self.gather_backlinks(vault, targets, enabled)
        self.prepare(vault, enabled)
        self.remember(vault)
        keys = self.reuse(vault, targets, report) if not fix else {}
        if keys:
            targets = [p for p in targets if p not in self.kept_findings]
        if not fix and targets:
            checked = self.workers.check(self, vault, targets)
            if checked is not None:
                for path, diagnostics, crashes, gained, asked in checked:
                    report.diagnostics.extend(diagnostics)
                    for crash in crashes:
                        report.crash(*crash)
                    for name, data in gained.items():  # e.g. dictionary answers, for the cache
                        vault.services[name].import_learnt(data)
                    if not crashes:
                        self.keep(vault, path, keys, diagnostics, asked)
                report.notes_checked += len(targets)
                targets = []
        self.close()  # a fix, or nothing to check: the workers' notes are not needed
        for path in targets:
            note = vault.notes[path]
            if fix:
                outcome = self.linter.fix_note(note, vault, unsafe)
                if outcome.changed and commit is not None:
                    outcome.error = commit(outcome)
                    outcome.unwritten = outcome.error is not None
                if outcome.changed or outcome.error:
                    report.outcomes.append(outcome)
                note = outcome.after if outcome.changed else note
            crashed = len(report.crash_list)
            vault.asked.clear()
            pairs = self.linter.violations(note, vault, report)
            found = self.linter.diagnostics(note, pairs)
            report.diagnostics.extend(found)
            report.notes_checked += 1
            if not fix and len(report.crash_list) == crashed:
                self.keep(vault, path, keys, found, vault.asked)
            release(vault, path)
        report.diagnostics.sort(key=Diagnostic.sort_key)
        messages = vault.services.get("messages")
        if isinstance(messages, list):
            report.messages.extend(messages)
        return report


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


class _Kept(MutableMapping[str, Any]):
    """A counting rule's part of what a full run keeps (``Vault.kept``), its keys prefixed with
    the rule's code."""

    def __init__(self, kept: dict[str, Any], code: str) -> None:
        self.kept, self.prefix = kept, f"{code}."

    def __getitem__(self, key: str) -> Any:
        return self.kept[self.prefix + key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.kept[self.prefix + key] = value

    def __delitem__(self, key: str) -> None:
        del self.kept[self.prefix + key]

    def __iter__(self) -> Iterator[str]:
        n = len(self.prefix)
        return (key[n:] for key in list(self.kept) if key.startswith(self.prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)
