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

from collections.abc import Iterator, Mapping
from typing import Any

from vaultlint.engine.rule import FixAvailability, RuleMeta, Scope, Severity, Violation
from vaultlint.model.note import Note
from vaultlint.vault.view import Vault

from .typo import Options, check_grade, collect, prepare_grade, tally, valid_fact

__all__ = ["META", "Options", "check", "collect", "prepare", "tally", "valid_fact"]

META = RuleMeta(
    code="VL502",
    name="unknown-word",
    summary="A word no dictionary knows, with no sign of being a slip (a full spell check)",
    severity=Severity.INFO,
    default_on=False,
    fix=FixAvailability.NONE,
    scope=Scope.VAULT,
    needs=frozenset({"spelling"}),
)


def prepare(vault: Vault, options: Options, collected: Mapping[str, Any]) -> None:
    """Once per run: the judge (shared with ``typo`` when both run with the same options)."""
    prepare_grade(vault, options, collected, META.code, False)


def check(note: Note, vault: Vault, options: Options) -> Iterator[Violation]:
    return check_grade(note, vault, options, META.code, False)
