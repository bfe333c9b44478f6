"""The lint pass and the fix loop. The engine knows no rule: it runs what the registry gives it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .config import Config, Effective
from .diagnostic import Diagnostic
from .factcache import FactCache
from .fixes import apply_fixes
from .loader import list_vault, load_note
from .model import Note, Position, ReadError, unreadable_note
from .note import parse_note
from .parallel import MIN_NOTES, map_chunks, workers
from .reader import decode
from .registry import builtin_rules
from .report import NoteOutcome, Report
from .rule import Fix, Rule, Safety, Violation
from .suppress import parse_suppressions
from .tally import MemoryTally
from .vault import Vault

MAX_FIX_PASSES = 10
ServiceFactory = Callable[[Vault], Any]


class Engine:
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
        self.facts: FactCache | None = None  # per-note parse results kept between runs

    # -- loading ---------------------------------------------------------------------------

    def load(self, progress: Callable[[Iterable[str]], Iterable[str]] | None = None) -> Vault:
        files = list_vault(self.root, self.config)
        self.lintable = files.lintable
        # Parsing stays in this process: sending parsed notes back from workers (pickling
        # hundreds of thousands of small objects) costs as much as parsing them here.
        paths = progress(files.notes) if progress is not None else files.notes
        loaded = [_load_one(self, p) for p in paths]
        if self.facts is not None:
            self.facts.save()
        notes = {note.path: note for note, _ in loaded}
        vault = Vault.build(self.root, notes, files.notes + files.attachments)
        for note, facts in loaded:
            for code, value in facts.items():
                vault.collected.setdefault(code, {})[note.path] = value
        self.count(vault)
        for path, problem in files.problems.items():
            if path.lower().endswith(".md"):
                notes[path] = unreadable_note(path, ReadError(problem))
                files.lintable.add(path)
        return vault

    def count(self, vault: Vault) -> None:
        """Sum the per-note keys of rules that keep vault-wide counts (``tally``)."""
        for rule in self.rules:
            hook = getattr(rule, "tally", None)
            facts = vault.collected.get(rule.META.code)
            if hook is None or facts is None:
                continue
            counts = vault.tallies[rule.META.code] = MemoryTally()
            for path, fact in list(facts.items()):
                try:
                    counts.update(hook(fact))
                except Exception:  # a fact of the wrong shape (a forged cache): collect again
                    note = vault.notes.get(path)
                    collect = getattr(rule, "collect", None)
                    if note is None or collect is None:
                        del facts[path]
                        continue
                    facts[path] = collect(note, self.effective(path).options[rule.META.code])
                    counts.update(hook(facts[path]))

    def prepare(self, vault: Vault, codes: Iterable[str]) -> None:
        """Let rules that gathered per-note facts (``collect``) digest them (``prepare``)."""
        wanted = set(codes)
        root = self.effective("")
        for rule in self.rules:
            hook = getattr(rule, "prepare", None)
            if rule.META.code in wanted and hook is not None and rule.META.code in root.options:
                hook(vault, root.options[rule.META.code], vault.collected.get(rule.META.code, {}))

    def provide_services(self, vault: Vault, codes: Iterable[str]) -> None:
        wanted = {code for code in codes}
        for rule in self.rules:
            if rule.META.code not in wanted:
                continue
            for name in rule.META.needs:
                if name not in vault.services and name in self.service_factories:
                    vault.services[name] = self.service_factories[name](vault)

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
                results = list(rule.check(note, vault, effective.options[meta.code]))
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
                    fix=violation.fix,
                    source=note.text[span.start : span.end] or violation.message,
                    data=violation.data,
                )
            )
        return result

    # -- fixing ----------------------------------------------------------------------------

    def fix_note(self, note: Note, vault: Vault, unsafe: bool) -> NoteOutcome:
        outcome = NoteOutcome(note.path, note, note)
        if note.read_error is not None:
            return outcome
        seen = {note.text}
        current = note
        for _ in range(MAX_FIX_PASSES):
            pairs = self.violations(current, vault)
            fixes = [
                v.fix
                for _, v in pairs
                if v.fix is not None and (v.fix.safety is Safety.SAFE or unsafe)
            ]
            if not fixes:
                return outcome
            if current.source.mixed_newlines:
                outcome.error = "mixed line endings: not rewritten (normalise them first)"
                return outcome
            new_text, applied = apply_fixes(current.text, fixes)
            if new_text == current.text:
                return outcome
            problem = _regression(current, new_text)
            if isinstance(problem, str):
                outcome.error = f"{_titles(applied)} not applied: {problem}"
                return outcome
            if new_text in seen:
                outcome.error = "fixes did not converge (they undo each other); nothing written"
                outcome.after, outcome.applied = note, 0
                return outcome
            seen.add(new_text)
            current = problem
            outcome.after = current
            outcome.applied += len(applied)
        outcome.error = f"fixes did not converge after {MAX_FIX_PASSES} passes; nothing written"
        outcome.after, outcome.applied = note, 0
        return outcome

    # -- the whole run ---------------------------------------------------------------------

    def run(
        self,
        vault: Vault,
        only: set[str] | None = None,
        fix: bool = False,
        unsafe: bool = False,
    ) -> Report:
        report = Report(self.root)
        targets = sorted(p for p in self.lintable if only is None or p in only)
        enabled: set[str] = set()
        for path in targets:
            enabled |= self.effective(path).enabled
        self.provide_services(vault, enabled)
        self.prepare(vault, enabled)
        if not fix and len(targets) >= MIN_NOTES and workers() > 1:
            for diagnostics, crashes in map_chunks(_check_one, (self, vault), targets):
                report.diagnostics.extend(diagnostics)
                for crash in crashes:
                    report.crash(*crash)
            report.notes_checked += len(targets)
            targets = []
        for path in targets:
            note = vault.notes[path]
            if fix:
                outcome = self.fix_note(note, vault, unsafe)
                if outcome.changed or outcome.error:
                    report.outcomes.append(outcome)
                note = outcome.after if outcome.changed else note
            pairs = self.violations(note, vault, report)
            report.diagnostics.extend(self.diagnostics(note, pairs))
            report.notes_checked += 1
        report.diagnostics.sort(key=Diagnostic.sort_key)
        messages = vault.services.get("messages")
        if isinstance(messages, list):
            report.messages.extend(messages)
        return report


def _load_one(engine: Engine, path: str) -> tuple[Note, dict[str, Any]]:
    """Read and parse one note, and gather the per-note facts rules asked for (``collect``)."""
    cache = engine.facts
    note, scanned, key = load_note(engine.root, path, engine.config.max_file_size, cache)
    facts: dict[str, Any] = {}
    remembered: dict[str, list[Any]] = {}
    if note.read_error is None:
        effective = engine.effective(path)
        for rule in engine.rules:
            hook = getattr(rule, "collect", None)
            code = rule.META.code
            if hook is None or code not in effective.enabled:
                continue
            options_key = repr(effective.options[code])
            hit, value = cache.fact(path, key, code, options_key) if cache else (False, None)
            if not hit:
                try:
                    value = hook(note, effective.options[code])
                except Exception:  # the rule's check will meet the same note and say so
                    continue
            facts[code] = value
            remembered[code] = [options_key, value]
        if cache is not None and scanned is not None:
            cache.remember(path, key, scanned, remembered)
    return note, facts


def _check_one(
    context: tuple[Engine, Vault], path: str
) -> tuple[list[Diagnostic], list[tuple[str, str, str, Exception]]]:
    engine, vault = context
    note = vault.notes[path]
    local = Report(engine.root)
    pairs = engine.violations(note, vault, local)
    crashes = [(name, code, where, exc) for name, code, where, exc in local.crash_list]
    return engine.diagnostics(note, pairs), crashes


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
