"""Report every word no dictionary knows (off by default: a full spell check).

## What it does
The words the ``typo`` rule judges unknown but has no evidence of being a slip: no word one
edit away that the vault uses, no curated correction, no dictionary word one typing slip
away (long words). Names, neologisms, jargon and words of other languages end up here; turn
the rule on for a full spell check, and accept the vault's words at once with ``vaultlint
words add --all-unknown``. Everything else (which prose is read, in which language, what
is accepted) is the ``typo`` rule's: see ``vaultlint rule typo``.

## Why it matters
Nothing is lost when ``typo`` reports only what it can back: this rule lists the rest.

## Example
``unknown word "stigmergique"; `vaultlint words add WORD` accepts it (.vaultlint-words.txt)``

## Fix safety
No fix: an unknown word has no known correction.

## Options
The ``typo`` rule's options (``language``, ``languages``, ``words``, ``min-notes``,
``suggest``, ``variety``; ``corrections`` is unused here), set under this rule's own name:
a rule's options are its own. Words in ``.vaultlint-words.txt`` count for both rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.engine.rule import FixAvailability, RuleMeta, Severity, VaultFacts, Violation
from vaultlint.model.note import Note
from vaultlint.spelling.judging import Judging
from vaultlint.vault.view import VaultView

from .typo import Options, check_grade, collect, count, depends, prepare_grade, valid_fact

__all__ = ["META", "Options", "check", "collect", "count", "depends", "prepare", "valid_fact"]

META = RuleMeta(
    code="VL502",
    name="unknown-word",
    summary="A word no dictionary knows, with no sign of being a slip (a full spell check)",
    severity=Severity.INFO,
    default_on=False,
    fix=FixAvailability.NONE,
    needs=frozenset({"spelling"}),
    whole_vault=True,
    counts=True,
)


def prepare(vault: VaultView, options: Options, found: VaultFacts[list[str]]) -> Judging:
    """Once per run: the same judgement as ``typo``'s, graded the other way by the checks."""
    return prepare_grade(vault, options, found)


def check(note: Note, vault: VaultView, options: Options, state: Judging) -> Iterator[Violation]:
    return check_grade(note, vault, options, state, False)
