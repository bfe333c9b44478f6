"""Report likely agreement and conjugation mistakes in French prose (with Grammalecte).

## What it does
Reads the prose of each French note (the note language the ``typo`` rule would choose: its
``lang:`` property, else the ``language`` option, else guessed from its function words) with
Grammalecte, the French grammar checker of LibreOffice's and Firefox's extensions, limited to
the rule groups that find real mistakes in notes: agreement of nouns and adjectives (``gn``),
of verbs with their subject (``conj``) and of past participles (``ppas``). Typography,
capitals, commas and style are off. It reads the same prose as ``typo`` (not code, links'
targets, URLs, frontmatter but the title); inline code reads as the word "X", a wikilink as
its text; paragraphs, list items, headings and table cells are read apart.

To stay quiet on correct text it leaves out what Grammalecte gets wrong in notes: a mistake
inside a capitalised note name shown as a link (a proper name); a word in a short capitalised **bold** or *italic* label
(``la section **Avancé**``: the label of a button, not an adjective); an agreement with an
acronym (``un CSS``) or next to an English word (``une pull request``); the first word of a
table cell (``| Arrondit le nombre |``: a description, not an imperative); a capitalised word
inside a sentence (``la page Général``: a name); a passage in English (a quotation, an abstract); a verb right after a bold label (``**Toutes
les vues** applique``); a verb quoted as a word (``préférer « sélectionnez »``).

Grammalecte (GPL-3) is not installed with vaultlint (MIT), and this rule is off by default:
``apt-get install python3-grammalecte`` (Debian, Ubuntu), or Grammalecte's Python zip with
``VAULTLINT_GRAMMALECTE`` naming its folder. Selecting the rule without Grammalecte stops
the run with exit code 2 and says how to install it.

## Why it matters
Most mistakes in French notes are real words in the wrong form ("les bonne personnes", "je
me rend", "elle peuvent"): no spell checker can see them.

## Example
``grammar: "bonne" — Accord de nombre erroné : « bonne » devrait être au pluriel. (→ "bonnes")``

## Fix safety
No fix. Agreement mistakes often have two corrections that mean different things (``une
vrai`` → ``un vrai`` or ``une vraie``), and about one flag in four is a false alarm: applied
in bulk, the first suggestion would rewrite correct sentences. The message shows it instead.

## Options
- ``language``, ``languages``: as for ``typo`` (default ``auto`` among ``[fr, en]``).
- ``groups``: Grammalecte's option groups (default ``[gn, conj, ppas]``; also ``conf``,
  ``loc``, ``infi``, ``imp``, ``inte``, ``vmode``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from vaultlint.engine.rule import FixAvailability, RuleMeta, RuleOptions, Severity, Violation
from vaultlint.grammar.grammalecte import GROUPS, KNOWN_GROUPS, Finding
from vaultlint.grammar.reading import Reading, reading
from vaultlint.model.note import Note, Span
from vaultlint.parse.prose import prose
from vaultlint.spelling.judge import note_language
from vaultlint.spelling.language import STOPWORDS
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL504",
    name="grammar",
    summary="A likely agreement or conjugation mistake in French prose (Grammalecte)",
    severity=Severity.WARNING,
    default_on=False,
    fix=FixAvailability.NONE,
    needs=frozenset({"grammar", "spelling"}),
)


@dataclass(frozen=True)
class Options(RuleOptions):
    language: str = "auto"
    languages: tuple[str, ...] = ("fr", "en")
    groups: tuple[str, ...] = GROUPS

    def __post_init__(self) -> None:
        unknown = [g for g in self.groups if g not in KNOWN_GROUPS]
        if unknown:
            raise ValueError(
                f'option "groups": unknown group {unknown[0]!r} (groups: {", ".join(KNOWN_GROUPS)})'
            )


def check(note: Note, vault: Vault, options: Options) -> Iterator[Violation]:
    engine = vault.service("grammar")
    if engine is None or engine.unavailable or note.read_error is not None:
        return
    opening = list(prose(note).opening)
    # a note too short to tell is read as the first candidate (French, by default)
    lang = note_language(note, options.language, options.languages, opening) or options.languages[0]
    if lang != "fr":
        return
    read = reading(note)
    if not read.passages:
        return
    if tuple(sorted(options.groups)) != engine.groups:
        engine = engine.with_groups(options.groups)
    # Grammalecte also runs a few checks no option turns off (large numbers, abbreviations)
    wanted = set(engine.groups)
    findings = [f for f in engine.findings(note.path, read.texts()) if f.group in wanted]
    speller = vault.service("spelling")
    for group in _grouped(findings):
        spans = [_span(read, f) for f in group]
        whole = Span(min(s.start for s in spans), max(s.end for s in spans))
        if _false_alarm(note, read, group, spans, speller):
            continue
        yield Violation(whole, _message(note, group, spans, whole), data=_data(group))


def _grouped(findings: list[Finding]) -> list[list[Finding]]:
    """One mistake per group: Grammalecte reports "une vrai" twice (the determiner, or the
    adjective), as actions of one rule on one passage."""
    groups: dict[tuple[int, str], list[Finding]] = {}
    for finding in findings:
        rule = re.sub(r"_a\d+_\d+$", "", finding.rule)
        groups.setdefault((finding.passage, rule), []).append(finding)
    merged: list[list[Finding]] = []
    for group in groups.values():
        group.sort(key=lambda f: f.start)
        # one rule can fire at several places of a passage: an action pair is adjacent
        current = [group[0]]
        for finding in group[1:]:
            if finding.start - current[-1].end <= 40 and len(current) < 2:
                current.append(finding)
            else:
                merged.append(current)
                current = [finding]
        merged.append(current)
    merged.sort(key=lambda g: (g[0].passage, g[0].start))
    return merged


def _span(read: Reading, finding: Finding) -> Span:
    passage = read.passages[finding.passage]
    return Span(passage.start + finding.start, passage.start + finding.end)


def _message(note: Note, group: list[Finding], spans: list[Span], whole: Span) -> str:
    words = " ".join(note.text[whole.start : whole.end].split())
    explanation = " ".join(group[0].message.replace("\u00a0", " ").split())
    message = f'"{words}": {explanation}'
    options = []
    for finding, span in zip(group, spans, strict=True):
        if finding.suggestions:
            before = note.text[whole.start : span.start]
            after = note.text[span.end : whole.end]
            options.append(" ".join(f"{before}{finding.suggestions[0]}{after}".split()))
    if options:
        message += " (→ " + " or ".join(f'"{o}"' for o in dict.fromkeys(options)) + ")"
    return message


def _data(group: list[Finding]) -> dict[str, Any]:
    return {
        "grammalecte-rule": group[0].rule,
        "group": group[0].group,
        "suggestions": [list(f.suggestions) for f in group],
    }


# -- filters: the false-alarm classes Grammalecte raises in notes ------------------------------

_QUOTED_WORD = re.compile(r"«\s*([^»]+?)\s*»|“([^”]+)”")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _false_alarm(
    note: Note, read: Reading, group: list[Finding], spans: list[Span], speller: Any
) -> bool:
    if any(
        _inside(span, name) and note.text[name.start : name.start + 1].isupper()
        for span in spans
        for name in read.names
    ):
        return True  # a capitalised note name shown as the link's text: a proper name
    if _label(note, read, spans):
        return True
    if _foreign(note, group, spans, speller):
        return True
    if _named(note, read, group, spans):
        return True
    if _labelled_subject(note, read, group, spans):
        return True
    if _mention(note, group, spans):
        return True
    if _english_passage(read, group):
        return True
    return _cell_start(read, group)


def _inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def _label(note: Note, read: Reading, spans: list[Span]) -> bool:
    """A word in a short capitalised emphasis (``**Avancé**``, ``*Fichiers récents*``): the
    name of a button, a setting or a menu, whose form is not the sentence's to choose."""
    for span in spans:
        for emphasis in read.emphasis:
            if _inside(span, emphasis):
                inner = note.text[emphasis.start : emphasis.end].strip("*_= ")
                words = _WORD.findall(inner)
                if words and len(words) <= 4 and inner[:1].isupper():
                    return True
    return False


def _foreign(note: Note, group: list[Finding], spans: list[Span], speller: Any) -> bool:
    """An agreement with an acronym ("un CSS") or with an English term ("une pull request"):
    Grammalecte gives them the gender of a French homograph, or none."""
    words: list[str] = []
    for finding, span in zip(group, spans, strict=True):
        words += _WORD.findall(note.text[span.start : span.end])
        for match in _QUOTED_WORD.finditer(finding.message):
            words += _WORD.findall(match.group(1) or match.group(2) or "")
    if any(len(w) >= 2 and w.isupper() for w in words):
        return True
    if speller is None or getattr(speller, "unavailable", None):
        return False
    # the words around the flagged ones: "pull" is French, "request" next to it is not
    start, end = min(s.start for s in spans), max(s.end for s in spans)
    line_start = note.text.rfind("\n", 0, start) + 1
    line_end = note.text.find("\n", end)
    before = _WORD.findall(note.text[line_start:start])[-1:]
    after = _WORD.findall(note.text[end : line_end if line_end >= 0 else len(note.text)])[:1]
    for word in [*words, *before, *after]:
        if len(word) < 3 or not word.isalpha():
            continue
        lower = word.lower()
        english = speller.known(lower, "en")
        if english and not speller.known(lower, "fr") and not speller.known(word, "fr"):
            return True
    return False


def _cell_start(read: Reading, group: list[Finding]) -> bool:
    """The first word of a table cell ("| Arrondit le nombre |"): tables of functions and
    commands describe them in the third person, which Grammalecte reads as a wrong
    imperative or a verb without subject."""
    passage = read.passages[group[0].passage]
    if not passage.cell:
        return False
    first = _WORD.search(passage.text)
    return first is not None and any(f.start <= first.start() < f.end for f in group)


_SENTENCE_END = re.compile(r"[.!?…:;]\W*$")


def _named(note: Note, read: Reading, group: list[Finding], spans: list[Span]) -> bool:
    """A capitalised word inside a sentence ("la page Général", "les icônes Lucide"): the
    name of a product, a page or a setting, whose form the sentence does not choose."""
    for finding, span in zip(group, spans, strict=True):
        passage = read.passages[finding.passage]
        for word in _WORD.finditer(note.text, span.start, span.end):
            if not word.group()[0].isupper() or word.group().isupper():
                continue
            before = passage.text[: word.start() - passage.start]
            if before.strip() and not _SENTENCE_END.search(before):
                return True
    return False


_LABEL_BEFORE = re.compile(r"(\*\*|__|\*|==)\s*$")


def _labelled_subject(note: Note, read: Reading, group: list[Finding], spans: list[Span]) -> bool:
    """A verb right after an emphasised label ("**Toutes les vues** applique les filtres"):
    the label names an option, and the verb agrees with the option, not with its words."""
    if group[0].group != "conj":
        return False
    start = min(s.start for s in spans)
    line_start = note.text.rfind("\n", 0, start) + 1
    before = note.text[line_start:start]
    if not _LABEL_BEFORE.search(before):
        return False
    return any(e.end <= start and not note.text[e.end : start].strip() for e in read.emphasis)


_QUOTE = re.compile(r"«[^«»\n]{1,40}»|“[^“”\n]{1,40}”|\"[^\"\n]{1,40}\"")


def _mention(note: Note, group: list[Finding], spans: list[Span]) -> bool:
    """A verb quoted as a word ("préférer « sélectionnez » à « cliquez »"): a mention, whose
    person is not the sentence's."""
    if group[0].group != "conj":
        return False
    start, end = min(s.start for s in spans), max(s.end for s in spans)
    line_start = note.text.rfind("\n", 0, start) + 1
    line_end = note.text.find("\n", end)
    line = note.text[line_start : line_end if line_end >= 0 else len(note.text)]
    for quote in _QUOTE.finditer(line):
        inside = quote.group()[1:-1]
        if (
            line_start + quote.start() < start
            and end < line_start + quote.end()
            and len(_WORD.findall(inside)) <= 3
        ):
            previous = _WORD.findall(line[: quote.start()])[-1:]
            # 'je ne "comprend" pas': a verb of the sentence, only put in quotes
            return not (previous and previous[0].lower() in _SUBJECTS)
    return False


_SUBJECTS = frozenset(
    {"je", "j", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "ne", "n", "se"}
    | {"s", "me", "m", "te", "t", "qui", "ce", "ça", "cela"}
)


def _english_passage(read: Reading, group: list[Finding]) -> bool:
    """A passage in English inside a French note (a quotation, an abstract): Grammalecte
    reads "he argues" as French."""
    words = [w.casefold() for w in _WORD.findall(read.passages[group[0].passage].text)]
    english = sum(w in STOPWORDS["en"] for w in words)
    french = sum(w in STOPWORDS["fr"] for w in words)
    return english >= 3 and english > 2 * french
