"""Report a word written twice in a row ("the the", "pages pages"), and drop the repeat.

## What it does
Flags two equal words separated only by spaces or tabs on one line of prose (the prose the
``typo`` rule reads: not code, math, links' targets, HTML), the first capitalised at the
start of a sentence ("The the") or both alike. Only dictionary words of the note's language
or English count (not "lil lil" in a transliteration, nor "proc proc" in a command), and not
two capitalised words ("Hare Hare"), three in a row ("move move move"), non-Latin scripts or
words of one letter. The repeats languages use on purpose are left alone: French reflexives
("nous nous", "vous vous"), "tout en en parlant", reduplications ("gagnant gagnant",
"très très", "bla bla", "bye bye"), English "had had" and "that that", German and Dutch
relative pronouns after an article ("die die", "das das", "dat dat").

## Why it matters
A doubled word is the commonest slip of editing a sentence, and the eye skips it on reading.

## Example
``repeated word "the" ("the the")``

## Fix safety
Safe: the fix deletes the second word and the space before it, nothing else; it is offered
only when the original text between the two words is plain spaces (no markup in between).

## Options
- ``allow``: more words that may be repeated on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from vaultlint.engine.rule import (
    Edit,
    Fix,
    FixAvailability,
    RuleMeta,
    RuleOptions,
    Severity,
    Violation,
)
from vaultlint.model.note import Note, Span
from vaultlint.parse.prose import prose_text
from vaultlint.spelling.language import language_of_note
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL503",
    name="repeated-word",
    summary="A word written twice in a row",
    severity=Severity.WARNING,
    fix=FixAvailability.ALWAYS,
    needs=frozenset({"spelling"}),
)

# Repeats written on purpose (casefolded). When in doubt a word belongs here: a missed
# repeat costs less than a "fix" that breaks a sentence.
_ALLOWED = (
    # French: reflexive pronouns, "tout en en parlant", reduplications and interjections
    "nous vous en gagnant très si non oui bon bien ha ah oh hé hein pan toc tic "
    "bla blabla cui pouet couci dada fifi lolo nounou "
    # English: "had had", "that that", "is is" (what it is is), emphasis, interjections
    "had that is do very many far long so no yes well now there bye night knock tsk hush "
    "chop ha-ha blah xo ho hi hey wow tut you for happens billion million "
    # German and Dutch relative pronouns after an article, verbs closing a clause ("abgelegt
    # ist, ist ja"), Spanish/Italian emphasis
    "die der das dat sie ist sind muy molto più"
)
ALLOWED = frozenset(_ALLOWED.split())
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_REPEAT = re.compile(rf"(?<![\w'’-])([{_LATIN}]{{2,}})([ \t]+)(\1)(?![\w'’-])", re.IGNORECASE)


@dataclass(frozen=True)
class Options(RuleOptions):
    allow: tuple[str, ...] = ()


def check(note: Note, vault: Vault, options: Options) -> Iterator[Violation]:
    text = prose_text(note)
    allowed = ALLOWED.union(word.casefold() for word in options.allow)
    languages: list[str] = []  # the note's language(s), told once, when a repeat needs it
    for match in _REPEAT.finditer(text):
        first, gap, second = match.group(1), match.group(2), match.group(3)
        if first.casefold() in allowed:
            continue
        if first != second and not (first == second.capitalize() and _starts(text, match.start())):
            continue  # "le ET et le OU", "Tout tout": emphasis or a name, not a slip
        third = _NEXT_WORD.match(text, match.end())
        if (third and third.group(1).casefold() == first.casefold()) or _thrice_before(
            text, match.start(), first
        ):
            continue  # "move move move": three times is on purpose
        if note.text[match.start(2) : match.end(2)] != gap:
            continue  # markup between them ("[[a|the]] the"): not a plain repeat
        if not _whole(note.text, match.start(1), match.end(3)):
            continue  # "**the** the" or a word cut by markup: not what the reader sees twice
        if first[0].isupper() and second[0].isupper():
            continue  # "Hare Hare", "Purana Purana": a name or a chant
        if not _a_word(first, note, text, vault, languages):
            continue  # "lil lil", "proc proc": no dictionary word, so no telling it is a slip
        fix = Fix(
            f"Delete the repeated {second!r}",
            (Edit(match.end(1), match.end(3), ""),),
        )
        yield Violation(
            Span(match.start(1), match.end(3)),
            f'repeated word "{first}" ("{first}{gap}{second}")',
            fix,
        )


_NEXT_WORD = re.compile(r"[ \t]+(\w+)")


def _thrice_before(text: str, at: int, word: str) -> bool:
    before = text[max(0, at - len(word) - 4) : at].rstrip(" \t")
    return before.casefold().endswith(word.casefold()) and (
        len(before) == len(word) or not before[-len(word) - 1].isalnum()
    )


def _starts(text: str, at: int) -> bool:
    """``at`` begins a sentence: the start of a line or after ``.``, ``!``, ``?`` or ``:``
    (list markers and quotes aside)."""
    k = at
    while k > 0 and text[k - 1] in ' \t*_>#-+"«“(':
        k -= 1
    return k == 0 or text[k - 1] in "\n.!?:…"


def _a_word(word: str, note: Note, text: str, vault: Vault, languages: list[str]) -> bool:
    """A word of the note's language (or English), when the spelling service can tell.
    ``languages``: the note's, filled on first use (telling them reads the whole note)."""
    speller = vault.service("spelling")
    if speller is None or speller.unavailable:
        return True
    if not languages:
        lang = language_of_note(note, text=text) or "en"
        languages.extend([lang, "en"] if lang != "en" else ["en"])
    return any(
        speller.has(other) and speller.known(form, other)
        for other in languages
        for form in dict.fromkeys([word, word.lower()])
    )


def _whole(text: str, start: int, end: int) -> bool:
    """The words stand as they are in the note: no letter or markup glued to either end."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "*_=~[]|`" or after.isalnum() or after in "*_=~[]|`")
