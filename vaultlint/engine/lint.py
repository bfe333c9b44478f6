"""The lint pass of one note and the fix loop. The linter knows no rule: it runs what the
registry gives it, and no process, file or cache: the run layer (``vaultlint.run``) brings it
the notes and the vault."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from vaultlint.edit.apply import apply_fixes
from vaultlint.engine.config import Config, Effective
from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.engine.registry import builtin_rules
from vaultlint.engine.report import NoteOutcome, Report
from vaultlint.engine.rule import Fix, Rule, Safety, Violation, as_vault_rule
from vaultlint.engine.suppress import parse_suppressions
from vaultlint.model.note import Note, Position, ReadError
from vaultlint.parse.decode import decode
from vaultlint.parse.note import parse_note
from vaultlint.vault.view import Vault

MAX_FIX_PASSES = 10


class Linter:
    """The rules of a run with their configuration: what they find in one note, and that note
    fixed to a fixed point."""

    def __init__(
        self,
        config: Config,
        rules: Sequence[Rule] | None = None,
        linked: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        self.config = config
        self.rules = tuple(rules) if rules is not None else builtin_rules()
        self.linked = linked  # notes reached through a symlink: never rewritten

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
