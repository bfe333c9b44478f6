"""The spelling rules' vault-wide step (``typo``, ``unknown-word``): what each note says, what
it adds to the vault's counts, and the whole vault judged once, with the choice of the typos
worth a dictionary-wide search for suggestions (the plan) kept for the runs that check only a
few notes. The rules grade and word what this finds (``rules/typo.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from vaultlint.model.note import Note
from vaultlint.parse.prose import prose
from vaultlint.spelling.judge import LANG_KEY, NAME_KEY, Judge, build_vocabulary, name_words
from vaultlint.spelling.language import decide, declared_language, scores
from vaultlint.spelling.speller import Speller
from vaultlint.vault.tally import Tally

UNLISTED = "?"  # the language of a note whose prose is in none of the candidates
FOREIGN_TOKENS = 40  # words enough to say a note is in none of the candidate languages


class SpellingOptions(Protocol):
    """The options of the spelling rules that the vault-wide step reads."""

    @property
    def language(self) -> str: ...

    @property
    def languages(self) -> tuple[str, ...]: ...

    @property
    def words(self) -> tuple[str, ...]: ...

    @property
    def corrections(self) -> Mapping[str, str]: ...

    @property
    def min_notes(self) -> int: ...

    @property
    def variety(self) -> str: ...


def note_words(note: Note, language: str, languages: tuple[str, ...]) -> list[str]:
    """What the spelling rules keep of one note (their fact): its language (``""``: its words
    do not tell), its distinct words, the same case-folded, and the words of what it names
    (file name, aliases, tags, link targets), one per line."""
    found = prose(note)
    lang = declared_language(note) or ("" if language == "auto" else language)
    if not lang:
        points = scores(found.opening, languages)
        # a note in two languages: the main one
        lang = decide(points) or decide(points, margin=1.0) or ""
    if not lang and len(found.opening) >= FOREIGN_TOKENS:
        lang = UNLISTED  # prose enough to tell, and none of the candidates: not checked
    names = "\n".join(sorted(name_words(note)))
    return [lang, found.distinct, found.folded, names]


def counted_keys(fact: list[str]) -> list[str]:
    """What one note adds to the vault's counts: its words, its name words and its language,
    each marked apart."""
    lang, _, folded, names = fact
    keys = folded.split("\n") if folded else []
    if names:
        keys += [NAME_KEY + name for name in names.split("\n")]
    if lang:
        keys.append(LANG_KEY + lang)
    return keys


def main_language(counts: Tally, candidates: tuple[str, ...]) -> str:
    """The language most notes are in: the language of the notes whose own words do not
    tell. In a vault where no note tells (a few short notes), the first candidate; in one
    written in none of the candidates, ``UNLISTED`` (not checked)."""
    best = max((*candidates, UNLISTED), key=lambda lang: counts[LANG_KEY + lang])
    return best if counts[LANG_KEY + best] > 0 else candidates[0] if candidates else ""


@dataclass(frozen=True)
class NoteWords:
    """What a note's check needs of its fact: its language and its distinct words, or only
    those that are wrong (``judged``, with the options of ``Judging.judged_with``), one per
    line. Far less to send to the processes that check the notes than every distinct word."""

    lang: str
    words: str
    judged: bool

    def distinct(self) -> frozenset[str]:
        return frozenset(self.words.split("\n")) if self.words else frozenset()

    @classmethod
    def of(cls, fact: list[str]) -> NoteWords:
        return cls(fact[0], fact[1], False)


@dataclass
class Judging:
    """A spelling rule's state for a run: the judge of each options met (the vault's first),
    each checked note's words, and the suggestion plan.

    Judges of a note's own options (``per-path``) are made on demand, with the vault's plan:
    a cache, the same whichever process makes it."""

    counts: Tally
    plan: list[str]
    words: dict[str, NoteWords]
    judged_with: str | None = None  # the options the whole vault was judged with, if it was
    judges: dict[str, Judge] = field(default_factory=dict)  # repr(options) -> its judge

    def judge_for(self, speller: Speller, options: SpellingOptions) -> Judge:
        """The judge of ``options``, made once per process."""
        key = repr(options)
        judge = self.judges.get(key)
        if judge is None:
            judge = self.judges[key] = _judge(speller, options, self.counts)
            judge.keep_plan(self.plan)
        return judge

    def note_key(self, path: str, options: SpellingOptions) -> str | None:
        """What the checks of note ``path`` take from this state (``VaultRule.depends``):
        the note's wrong words and, for each, what the vault's counts and the plan say of
        it and of its neighbours; None when that cannot be said (a run over a few notes, or
        a note with options of its own)."""
        fact = self.words.get(path)
        if fact is None or not fact.judged or self.judged_with != repr(options):
            return None
        judge = self.judges[self.judged_with]
        lang = fact.lang or judge.main_language
        wrong = sorted(fact.distinct())
        langs = sorted({lang, *options.languages})
        parts = [
            self.judged_with,
            fact.lang,
            judge.main_language,
            repr(judge.languages),
            *(f"{w}\t{judge.inputs(w)}\t{[judge.planned(w, x) for x in langs]}" for w in wrong),
        ]
        return hashlib.sha1("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _judge(speller: Speller, options: SpellingOptions, counts: Tally) -> Judge:
    """A judge with the vault's vocabulary (``counts``) and ``options``."""
    # other languages a word may belong to: English (loanwords are everywhere) and those
    # of the vault's notes, not every candidate (each is a dictionary to load)
    present = [lang for lang in options.languages if counts[LANG_KEY + lang] > 0]
    others = tuple(dict.fromkeys([*present, *(["en"] if "en" in options.languages else [])]))
    judge = Judge(
        speller,
        build_vocabulary(counts, options.words),
        options.min_notes,
        options.corrections,
        others or options.languages[:1],
        options.variety,
    )
    judge.main_language = main_language(counts, options.languages)
    return judge


def prepare_judging(
    speller: Speller | None,
    options: SpellingOptions,
    facts: Mapping[str, list[str]],
    counts: Tally,
    complete: bool,
    kept: MutableMapping[str, Any],
) -> Judging:
    """The vault-wide step. On a run over the whole vault (``complete``), every note's words
    are judged here, the checks keep only the wrong ones, and the plan is chosen and kept
    (in ``kept``) for the runs that follow; a run over a few notes takes the plan kept."""
    if speller is None or speller.unavailable:  # the checks say nothing
        return Judging(counts, [], {path: NoteWords.of(fact) for path, fact in facts.items()})
    judge = _judge(speller, options, counts)
    main = judge.main_language
    plan_key = f"plan.{options!r}"
    if not complete:
        plan = kept.get(plan_key, [])
        judge.keep_plan(plan)
        words = {path: NoteWords.of(fact) for path, fact in facts.items()}
        return Judging(counts, plan, words, None, {repr(options): judge})
    typos = {
        path: judge.flagged(_distinct(fact), fact[0] or main, None)
        for path, fact in facts.items()
        if speller.has(fact[0] or main)
    }
    plan = kept[plan_key] = judge.plan_suggestions(
        (typos[path], fact[0] or main) for path, fact in facts.items() if path in typos
    )
    words = {
        path: NoteWords(fact[0], "\n".join(sorted(typos.get(path, ()))), True)
        for path, fact in facts.items()
    }
    return Judging(counts, plan, words, repr(options), {repr(options): judge})


def _distinct(fact: list[str]) -> frozenset[str]:
    """The note's distinct words, kept one per line (a tenth of the memory of a set)."""
    return frozenset(fact[1].split("\n")) if fact[1] else frozenset()
