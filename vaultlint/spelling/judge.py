"""The typo rule's judgement: which words are mistakes, in which language, and what was meant.

Pure logic over the spelling service (``vaultlint.spelling.speller``) and the vault's own vocabulary.
The bar is about one false alarm per 1,000 words, so every doubt resolves to "not a typo":
capitalised words are names unless a list says otherwise, words the vault uses in several
notes are the vault's vocabulary, 1990 reform spellings and American spellings are accepted.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field

from vaultlint.model.note import Note
from vaultlint.parse.prose import Word, candidate
from vaultlint.spelling.language import LANGUAGES, declared_language, language_of
from vaultlint.spelling.speller import Speller, corrections, tech_words
from vaultlint.vault.tally import MemoryTally, Tally

_PREFIXES = frozenset(
    [
        "co",
        "re",
        "ré",
        "pré",
        "post",
        "anti",
        "auto",
        "néo",
        "neo",
        "multi",
        "non",
        "semi",
        "pseudo",
        "sous",
        "sur",
        "inter",
        "intra",
        "extra",
        "ex",
        "mini",
        "maxi",
        "micro",
        "macro",
        "méta",
        "meta",
        "bio",
        "éco",
        "eco",
        "e",
        "self",
        "pro",
    ]
)
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_FR_LETTERS = "abcdefghijklmnopqrstuvwxyzàâçéèêëîïôûùüœ"
# Each US ending and its GB form. The stem before "or" and "er" must have a vowel (and "er" a
# consonant right before it), a single "l" a syllable before it: "yor", "theer", "smeling"
# are slips of "your", "there", "smelling", not US spellings of them.
_US_TO_GB = (
    (
        re.compile(
            r"^(.*[aeiou][^aeiouy]{0,3})or(s|ed|ing|ful|ation|ations|able|ably|ite|ites|ant|ants|"
            r"less|ist|ists)?$"
        ),
        r"\1our\2",
    ),
    (re.compile(r"ic(ing|ed)$"), r"is\1"),
    (re.compile(r"^(.*[aeiouy][^aeiouy]*[^aeiouy])er(s?)$"), r"\1re\2"),
    (re.compile(r"yz(e|es|ed|ing|er|ers)$"), r"ys\1"),
    (re.compile(r"iz(e|es|ed|ing|ation|ations)$"), r"is\1"),
    (re.compile(r"og$"), "ogue"),
    # travel, dial, signal, counsel: the "l" of an unstressed syllable doubles in GB
    (
        re.compile(r"^(.*(?:[aeiou][^aeiou]+[aeiou]+|ia|ua|ue|io))l(ed|ing|er|ers|or|ors)$"),
        r"\1ll\2",
    ),
    (re.compile(r"^(.*[aeiou].*)ll(ment|ments|ful|fully)$"), r"\1l\2"),  # instalment
    (re.compile(r"ense$"), "ence"),
)
_NAME_WORD = re.compile(r"[\w'’]+")
_VOWEL = re.compile(r"[aeiouyàâäéèêëîïôöûùüÿœæ]")
_DERIVATION = re.compile(
    r"(?:re|ré|pré|dé|dés|multi|sur|sous|co|anti|auto|inter|contre|non|mini|micro|méta|hyper|"
    r"super|télé|bi|tri|poly|mono)-?"
)
_EN_DERIVATION = re.compile(r"(?:re|un|pre|de|non|over|under|sub|co|multi|mis)-?")
# Words that may get a dictionary-wide suggestion search (~15 ms each) in one run; the others
# get suggestions from the vault's own vocabulary. A count, not a time: output is repeatable.
SUGGESTION_BUDGET = 40
# From this length an unknown word one typing slip from a dictionary word is taken for a slip
# even when the vault never uses that word: shorter words have chance neighbours.
LONG_WORD = 8
# Up to this length a word is one edit from dozens of others: only a neighbour among the
# vault's commonest words ("wat" next to "what" in half the notes) says it is a slip.
SHORT_WORD = 4
# A few US/GB pairs the suffix patterns below miss (US form -> GB form).
_US_WORDS = {
    "artifact": "artefact",
    "checkered": "chequered",
    "tidbit": "titbit",
    "gray": "grey",
    "plow": "plough",
    "mold": "mould",
    "skeptic": "sceptic",
    "skeptical": "sceptical",
    "pajamas": "pyjamas",
    "aluminum": "aluminium",
    "jewelry": "jewellery",
    "maneuver": "manoeuvre",
    "fulfill": "fulfil",
    "enroll": "enrol",
    "program": "programme",
    "tire": "tyre",
    "curb": "kerb",
    "draft": "draught",
    "cozy": "cosy",
    "mustache": "moustache",
    "esthetic": "aesthetic",
    "pediatric": "paediatric",
    "encyclopedia": "encyclopaedia",
    "judgment": "judgement",
    "acknowledgment": "acknowledgement",
    "math": "maths",
    "carburetor": "carburettor",
    "snuck": "sneaked",
    "likable": "likeable",
    "sizable": "sizeable",
    "livable": "liveable",
}


def _compound(word: str, known: Callable[[str], bool]) -> bool:
    """Two known words of 3+ letters written as one (English closed compounds)."""
    return any(known(word[:i]) and known(word[i:]) for i in range(3, len(word) - 2))


def note_language(
    note: Note, configured: str, candidates: tuple[str, ...], tokens: list[str]
) -> str:
    """The note's ``lang:`` (or ``language:``) property, else the configured language, else
    the one its words tell among ``candidates``; ``""`` when nothing tells (the caller then
    uses the vault's main language)."""
    declared = declared_language(note)
    if declared:
        return declared
    if configured != "auto":
        return configured
    return language_of(tokens, candidates) or ""


NAME_KEY = "\0"  # tally keys of name words start with it; word keys never do
LANG_KEY = "\0\0lang:"  # tally keys counting each language's notes (no name word has "\0")


class _Accepted:
    def __init__(self, tally: Tally, extra: set[str]) -> None:
        self.tally, self.extra = tally, extra

    def __contains__(self, word: object) -> bool:
        return word in self.extra or (isinstance(word, str) and NAME_KEY + word in self.tally)


@dataclass
class Vocabulary:
    """What the vault itself says is a word: names, aliases, tags, link texts, common words.
    ``note_counts`` reads as casefolded word -> notes using it (0 when unknown)."""

    accepted: Container[str] = field(default_factory=set)  # casefolded
    note_counts: Tally = field(default_factory=MemoryTally)
    top: int = 0  # the largest count of a word
    explicit: frozenset[str] = frozenset()  # the ``words`` option, casefolded


def name_words(note: Note) -> set[str]:
    """The casefolded words of everything the note names: its file name, aliases,
    ``vaultlint-words``, tags and link targets."""
    names = [note.path.rsplit("/", 1)[-1]]
    names += _strings(note.data.get("aliases"))
    names += _strings(note.data.get("vaultlint-words"))
    names += [tag.name for tag in note.tags]
    names += [link.target for link in note.links]
    # one tokenisation of everything the note names, not one per link
    return set(_NAME_WORD.findall("\n".join(names).casefold()))


def build_vocabulary(tally: Tally, extra: Iterable[str]) -> Vocabulary:
    """The vocabulary from the tally of note words (and name words, keyed ``NAME_KEY`` + word)."""
    accepted = set(_NAME_WORD.findall("\n".join(extra).casefold()))
    return Vocabulary(
        _Accepted(tally, accepted), tally, tally.largest(NAME_KEY), frozenset(accepted)
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


@dataclass(frozen=True)
class Verdict:
    """A word's judgement: ``wrong`` (in no dictionary nor the vault's vocabulary). Whether a
    wrong word looks like a slip is ``Judge.likely``, asked apart: it costs more, and the
    processes that check the notes ask it of their notes' words only."""

    wrong: bool
    correction: str | None = None  # from a curated list: safe to apply


class Judge:
    def __init__(
        self,
        speller: Speller,
        vocabulary: Vocabulary,
        min_notes: int,
        extra_pairs: Mapping[str, str],
        languages: tuple[str, ...] = ("fr", "en"),
        variety: str = "both",
    ) -> None:
        self.languages = languages
        self.variety = variety
        self.main_language = ""  # the language of notes whose words do not tell
        self._alphabets: dict[str, frozenset[str] | None] = {}
        self._slip_of: dict[tuple[str, str], str] = {}  # a typo -> the dictionary word it slips
        # a likely typo's one-edit neighbours and those of them the vault uses, until used
        self._edits: dict[str, tuple[set[str], set[str]]] = {}
        self.speller = speller
        self.vocabulary = vocabulary
        self.min_notes = min_notes
        self.extra_pairs = {k.casefold(): v for k, v in extra_pairs.items()}
        self._memo: dict[tuple[str, str], Verdict] = {}
        self._likely: dict[tuple[str, str], bool] = {}
        self._good: dict[str, set[str]] = {}
        self._bad: dict[str, set[str]] = {}
        self._suggestions: dict[tuple[str, str], list[str]] = {}
        self._search: set[tuple[str, str]] = set()
        self._common = vocabulary.top // 10 + 1
        self._inputs: dict[str, str] = {}

    def __getstate__(self) -> dict[str, object]:
        """For a worker: without the kept neighbours (a thousand strings a typo; the worker
        computes those of its own notes' typos)."""
        state = dict(self.__dict__)
        state["_edits"] = {}
        return state

    def plan_suggestions(self, typos: Iterable[tuple[Iterable[str], str]]) -> list[str]:
        """Choose, once for the vault, the typos worth a dictionary-wide search for
        suggestions (~15 ms each): the most widespread ones. ``typos``: each note's flagged
        words (``flagged``) with its language. The others get suggestions from the vault's
        vocabulary. The choice depends on the vault only, so every run, in one process or
        several, prints the same messages."""
        seen: Counter[tuple[str, str]] = Counter()
        for words, lang in typos:
            seen.update((word, lang) for word in words)
        ranked = sorted(seen, key=lambda item: (-seen[item], item))
        self._search = set(ranked[:SUGGESTION_BUDGET])
        return sorted(f"{lang}:{word}" for word, lang in self._search)

    def keep_plan(self, plan: Iterable[str]) -> None:
        """The choice ``plan_suggestions`` made in an earlier run over the whole vault."""
        self._search = {(item.partition(":")[2], item.partition(":")[0]) for item in plan}

    def flagged(
        self, distinct: frozenset[str], lang: str, likely: bool | None = True
    ) -> frozenset[str]:
        """The words of ``distinct`` that are likely typos (``likely``), the other unknown
        words (``False``) or both (``None``); each word is judged once per run."""
        good = self._good.setdefault(lang, set())
        bad = self._bad.setdefault(lang, set())
        todo = distinct.difference(good, bad)
        prefetch = getattr(self.vocabulary.note_counts, "prefetch", None)
        if prefetch is not None and todo:  # counts read from the store: one query, not 2 a word
            folded = "\n".join(todo).casefold().split("\n")
            prefetch(folded + [NAME_KEY + word for word in folded])
        for word in todo:
            if candidate(word) and self.verdict(word, lang).wrong:
                bad.add(word)
            else:
                good.add(word)
        wrong = distinct & bad
        if likely is None:
            return wrong
        return frozenset(w for w in wrong if self.likely(w, lang) is likely)

    def _outshone(self, lower: str, used_in: int, lang: str, slips_only: bool = False) -> bool:
        """A repeated word with a dictionary neighbour one edit away that the vault uses far
        more: "whcih" in 6 notes next to "which" in 400 is a habit, not vocabulary. With
        ``slips_only``, only a doubled letter or two swapped letters count ("Aloong")."""
        counts = self.vocabulary.note_counts
        candidates = _slips(lower) if slips_only else _edits1(lower)
        prefetch = getattr(counts, "prefetch", None)
        if prefetch is not None:  # counts read from the store: one query for all neighbours
            prefetch(candidates)
        least = max(10 * used_in, 10)
        return any(
            counts[c] >= least and self._known_here(c, lang) for c in _used(candidates, counts)
        )

    def verdict(self, word: str, lang: str) -> Verdict:
        key = (word, lang)
        found = self._memo.get(key)
        if found is None:
            # "Pre\u0301sentation": a decomposed accent is judged as the composed letter
            text = word if word.isascii() else unicodedata.normalize("NFC", word)
            found = self._memo[key] = self._judge(text, lang)
        return found

    def likely(self, word: str, lang: str) -> bool:
        """Whether ``word`` is wrong and looks like a slip of a known word (``_evidence``)."""
        key = (word, lang)
        found = self._likely.get(key)
        if found is None:
            text = word if word.isascii() else unicodedata.normalize("NFC", word)
            found = self._likely[key] = self.verdict(word, lang).wrong and self._evidence(
                text, lang
            )
        return found

    def inputs(self, word: str) -> str:
        """What the vault's counts say of ``word`` and of every word its judgement may read
        (its parts; their neighbours one slip or edit away and a curated correction), as a
        text: the same text in two runs means the same evidence and suggestions for a word
        wrong in both, given the same options, dictionaries, languages and plan. Only what
        the judgement compares is kept: each neighbour's rank, its count as a message shows it
        (``notes_shown``), and which thresholds it reaches; a common word used in one note
        more changes none of them."""
        found = self._inputs.get(word)
        if found is None:
            text = word if word.isascii() else unicodedata.normalize("NFC", word)
            counts = self.vocabulary.note_counts
            stems = _stems(text)
            nears: dict[str, set[str]] = {}
            for stem in stems:
                near = {stem, _fold(stem), *_edits1(stem), *_slips(stem), *_accent_slips(stem)}
                near |= _typing_slips(stem, True)
                for lang in {*self.languages, self.main_language}:
                    right = self._correction(stem, lang) if stem else None
                    if right is not None:
                        near.add(right.casefold())
                nears[stem] = near
            prefetch = getattr(counts, "prefetch", None)
            if prefetch is not None:
                prefetch([*set().union(*nears.values()), *(NAME_KEY + s for s in stems)])
            said = []
            for stem, near in sorted(nears.items()):
                used_in = counts[stem]
                least, common = max(10 * used_in, 10), self._common
                ranked = sorted(_used(near, counts), key=lambda c: (-counts[c], c))
                said.append(
                    (
                        stem,
                        used_in,
                        stem in self.vocabulary.accepted,
                        [
                            (c, notes_shown(n), n >= least, n >= 10 * used_in, n >= common)
                            for c in ranked
                            for n in (counts[c],)
                        ],
                    )
                )
            found = self._inputs[word] = repr(said)
        return found

    def planned(self, word: str, lang: str) -> bool:
        """Whether the plan gives ``word`` a dictionary-wide search for suggestions."""
        return (word, lang) in self._search

    def unaccented(self, word: str, lang: str) -> bool:
        """Whether ``word`` is a word of ``lang`` written without one of its accents
        ("promocion"): a note typed without accents, not a foreign passage."""
        lower = word.casefold()
        return any(
            self.speller.known(v, lang) for v in (*_acute_slips(lower), *_accent_slips(lower))
        )

    def _alphabet(self, lang: str) -> frozenset[str] | None:
        """The letters of the note's language and of the vault's other languages (a French
        passage in an English note); None when one of them has no alphabet listed."""
        if lang not in self._alphabets:
            parts = [_ALPHABETS.get(other) for other in (lang, *self.languages)]
            letters = [part for part in parts if part is not None]
            self._alphabets[lang] = (
                frozenset().union(*letters) if len(letters) == len(parts) else None
            )
        return self._alphabets[lang]

    def _known_here(self, word: str, lang: str) -> bool:
        """A word of the note's language or of another language of the vault (a name the
        vault writes in lower case too: "american")."""
        return (
            self._is_word(word, lang)
            or self.speller.known(word.capitalize(), lang)
            or any(self.speller.known(word, other) for other in self.languages if other != lang)
        )

    def _is_word(self, word: str, lang: str) -> bool:
        """A dictionary word, or a regular French derivation of one (rationalisable)."""
        if self.speller.known(word, lang):
            return True
        return lang == "fr" and any(self.speller.known(s, "fr") for s in _french_stems(word))

    def _evidence(self, word: str, lang: str) -> bool:
        """Whether an unknown word looks like a slip of a known one: a curated pair, a word
        one edit away that the vault uses elsewhere, or, for a long word (where chance
        neighbours are rare), a dictionary word one typing slip away. A rare but correct
        word (a name, a neologism, jargon) has neither."""
        if self._correction(word, lang) is not None:
            return True
        if lang == "en" and any(
            self.speller.known(v, "en") for v in _british_variants(word.casefold())
        ):
            return False  # a US spelling (variety: gb): the other variety, never a slip
        elision = _ELISION.match(word)
        if elision:  # "l'emmergence": as its word would be
            rest = word[elision.end() :]
            return len(rest) >= 3 and self.likely(rest, lang)
        if "-" in word:  # "sea-lioning": a slip only if one of its parts is
            parts = word.split("-")
            # "anarcho-communist", "socio-economic": a first part ending in "o" is a
            # combining form, not a slip
            parts = [p for p in parts[:-1] if not p.endswith("o")] + parts[-1:]
            return any(self.likely(p, lang) for p in parts if len(p) > SHORT_WORD)
        lower = word.casefold()
        alphabet = self._alphabet(lang)
        if alphabet is not None and not alphabet.issuperset(lower.replace("-", "")):
            return False  # "saṅga", "brãhmana": a transliteration, not a slip of this language
        known = self._is_word
        for end in _ENDINGS.get(lang, ("s",)):
            stem = lower[: -len(end)]
            inflected = lower.endswith(end) and len(stem) >= 3 and _inflection(lower, stem, lang)
            if inflected and known(stem, lang):
                return False  # "contribuée": a form of a known word the dictionary lacks
        counts = self.vocabulary.note_counts
        used_in = counts[lower]
        # "ibn", "nro" in many notes: a word of the vault, however short, unless it is a
        # common word with a letter dropped or two letters swapped ("taht" in 16 notes next
        # to "that" in thousands): the vault-size-independent slips
        habit = len(lower) <= SHORT_WORD and used_in >= 5
        candidates = _edits1(lower)
        candidates.discard(lower)
        prefetch = getattr(counts, "prefetch", None)
        if prefetch is not None:
            prefetch(candidates)
        used = _used(candidates, counts)
        for near in sorted(used, key=lambda c: (-counts[c], c)):
            if len(lower) <= SHORT_WORD and counts[near] < self._common:
                continue  # "niv" next to "ni": a short word has neighbours by chance
            if habit and (counts[near] < 10 * used_in or not _dropped_or_swapped(lower, near)):
                continue  # "sii" next to "si": a letter added is a word of its own
            if near == lower[1:] or near[1:] == lower:
                continue  # "wstring", "fname": a prefix letter on a word, an identifier
            if lang == "fr" and _clipped(lower, near):
                continue  # "visio", "méthodo": a clipped word, not a slip
            if _inflection(lower, near, lang):
                continue  # "contribuée" next to "contribué": a form the dictionary lacks
            if self._known_here(near, lang):
                self._edits[lower] = (candidates, used)  # "did you mean" needs them again
                return True
        if len(lower) <= SHORT_WORD:
            return False  # "asso", "sisi": a short word is a slip of dozens of words
        if lang != "en" and any(known(slip, lang) for slip in _accent_slips(lower)):
            self._edits[lower] = (candidates, used)
            return True  # "ecole": an accent slip, the commonest French typo
        for slip in sorted(_typing_slips(lower, len(lower) >= LONG_WORD)):
            if _inflection(lower, slip, lang) or (lang == "fr" and _clipped(lower, slip)):
                continue
            if known(slip, lang):
                self._slip_of[(lower, lang)] = slip  # for "did you mean", without asking again
                self._edits[lower] = (candidates, used)
                return True
        return False

    def _correction(self, word: str, lang: str) -> str | None:
        lower = word.casefold()
        right = self.extra_pairs.get(lower) or corrections(lang).get(lower)
        if right is None:
            return None
        if word[0].isupper():
            right = right[0].upper() + right[1:]
        return right

    def _judge(self, word: str, lang: str) -> Verdict:
        lower = word.casefold()
        user_words = self.speller.user_words
        if lower in self.vocabulary.explicit or lower in user_words or word in user_words:
            return Verdict(False)  # accepted by name: even a curated misspelling
        correction = self._correction(word, lang)
        if correction is not None and correction[1:] == word[1:] and word[0].isupper():
            return Verdict(False)  # "Etre" for "Être": a capital without its accent
        if correction is not None:
            return Verdict(True, correction)
        if lower in self.vocabulary.accepted:
            return Verdict(False)
        used_in = self.vocabulary.note_counts[lower]
        if word[0].isupper() and not self._outshone(lower, max(used_in, 1), lang, True):
            # a name (the branch below says the same after the dictionaries): decided before
            # asking them, which costs a millisecond a word in German (compounds)
            return Verdict(False)
        if used_in >= max(self.min_notes, self._common):
            return Verdict(False)  # so common that no neighbour can be ten times commoner
        if used_in >= self.min_notes and (
            self.speller.known(word, lang) or not self._outshone(lower, used_in, lang)
        ):
            return Verdict(False)  # the vault's own vocabulary
        if (
            lower in self.speller.user_words
            or word in self.speller.user_words
            or lower in tech_words()
        ):
            return Verdict(False)
        known = self.speller.known
        if known(word, lang):
            return Verdict(False)
        if not _VOWEL.search(lower):
            return Verdict(False)  # "scf", "npm": an abbreviation, not a word
        if word[0].isupper():
            # A name (or "Etat" for "État"), unless a list says otherwise or the word is one
            # slip away from a word the vault uses all the time ("Aloong"); the rule then
            # reports it only at the start of a sentence, where names are rare.
            if not self._outshone(lower, max(used_in, 1), lang, slips_only=True):
                return Verdict(False)
            languages = {lang, *self.languages}
            if any(known(v, other) for v in (word, lower) for other in languages):
                return Verdict(False)
            if any(known(v, lang) for v in _capital_accents(word)):
                return Verdict(False)  # Etat, Egalement: a capital without its accent
            if self._outshone(lower, max(used_in, 1), lang, slips_only=True):
                return Verdict(True)
            return Verdict(False)
        if "'" in word or "’" in word:
            rest = _ELISION.sub("", word)
            if rest != word and (len(rest) < 3 or self.verdict(rest, lang).wrong is False):
                return Verdict(False)
            if known(word.replace("’", "'"), lang) or known(word.replace("'", "’"), lang):
                return Verdict(False)
        if "-" in word:
            parts = [p for p in word.split("-") if p]
            if all(
                p.casefold() in _PREFIXES or len(p) < 3 or not self.verdict(p, lang).wrong
                for p in parts
            ):
                return Verdict(False)
        if lang == "fr" and (
            any(known(v, "fr") for v in _reform_variants(word)) or known(word, "en")
        ):
            return Verdict(False)
        if lang == "fr" and any(known(stem, "fr") for stem in _french_stems(lower)):
            return Verdict(False)  # facilitante, rationalisable: regular derivations of known words
        prefix = _DERIVATION.match(lower)
        if (
            lang == "fr"
            and prefix
            and len(lower) - prefix.end() >= 4
            and known(lower[prefix.end() :], "fr")
        ):
            return Verdict(False)  # retélécharger, précompilé, dépublier: prefix + a known word
        if known(word.capitalize(), lang):
            return Verdict(False)  # a name written in lower case: paris
        if (
            lang == "en"
            and self.variety != "gb"
            and any(known(v, "en") for v in _british_variants(word))
        ):
            return Verdict(False)
        if any(known(word, other) for other in self.languages if other != lang):
            return Verdict(False)  # a vault in several languages: a word of any of them
        if (
            lang != "en"
            and "en" in self.languages
            and self.variety != "gb"
            and any(known(v, "en") for v in _british_variants(word))
        ):
            return Verdict(False)  # "child labor" quoted in a French note
        if lang == "en":
            prefix = _EN_DERIVATION.match(lower)
            if prefix and len(lower) - prefix.end() >= 4 and known(lower[prefix.end() :], "en"):
                return Verdict(False)  # redownloading, unindent: prefix + a known word
            if _compound(lower, lambda part: known(part, "en")):
                return Verdict(False)  # whitespace, tradeoffs, coworkers
        return Verdict(True)

    def suggestions(self, word: str, lang: str) -> list[str]:
        key = (word, lang)
        if key in self._suggestions:
            return self._suggestions[key]
        elision = _ELISION.match(word)
        head, stem = (word[: elision.end()], word[elision.end() :]) if elision else ("", word)
        lower = stem.casefold()
        found: list[str] = []
        correction = self._correction(word, lang)
        if correction:
            found.append(correction)
        kept = self._edits.pop(lower, None)
        candidates = kept[0] if kept is not None else _edits1(lower)
        counts = self.vocabulary.note_counts
        folded = _fold(lower)

        def rank(candidate: str) -> tuple[bool, int, str]:
            # an accent slip first (the commonest French typo), then the vault's usual words
            return (_fold(candidate) != folded, -counts[candidate], candidate)

        # English has no accents to slip on: no dictionary look-ups for "fîrst", "fïrst"...
        accent_slips = _accent_slips(lower) if lang != "en" else []
        prefetch = getattr(counts, "prefetch", None)
        if prefetch is not None:  # counts read from the cache: one query for all candidates
            prefetch(candidates)
        # those the vault uses, as the evidence found them (without the word itself)
        in_vault = kept[1] if kept is not None else _used(candidates, counts)
        in_vault.discard(lower)
        # Only the best few are shown: ask the dictionary about the neighbours in rank order
        # and stop at four known ones (three, and one the correction may repeat), rather
        # than about all of them (most typos have dozens of neighbours in a big vault).
        good: list[str] = []
        for choice in sorted(in_vault.union(accent_slips), key=rank):
            if self.speller.known(choice, lang):
                good.append(choice)
                if len(good) == 4:
                    break
        slip = self._slip_of.get((lower, lang))
        if len(good) < 3 and slip is not None:  # the slip that made it a likely typo
            good = sorted({slip, *good}, key=rank)
        if len(good) < 3 and (word, lang) in self._search:
            more = {c for c in candidates if c != lower and self.speller.known(c, lang)}
            good = sorted(more.union(good), key=rank)
        other_variety = set(_british_variants(lower))  # never "artifact" -> "artefact"
        found += [head + c for c in good if c not in other_variety]
        result = list(dict.fromkeys(found))[:3]
        self._suggestions[key] = result
        return result


# A quotation: between quotes or guillemets, in italics or in parentheses, on one line. Each
# branch starts with its opening character (the "_" of italics is looked behind, not before),
# so that the regex engine skips to the next opening instead of trying every branch at every
# position of the line.
_QUOTATION = re.compile(
    r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|«[^»\n]{1,300}»|\*[^*\n]{1,300}\*|"
    r"_(?<!\w_)[^_\n]{1,300}_(?!\w)|\([^()\n]{1,300}\)"
)


_QUOTE_WORD = re.compile(r"[^\W\d_]+")


def notes_shown(count: int) -> str:
    """A number of notes as a message says it: exact below 100, else rounded down to 1, 2 or
    5 times a power of ten ("more than 5,000"), so that one note more or less does not change
    the message of every typo next to a common word."""
    if count < 100:
        return str(count)
    step = 10 ** (len(str(count)) - 1)
    for lower in (5 * step, 2 * step, step, step // 2):
        if lower < count:
            return f"more than {lower:,}"
    return str(count)  # not reached: step // 2 < count


def foreign_quotation(text: str, word: Word, lang: str, speller: Speller) -> bool:
    """Whether ``word``, unknown in ``lang``, stands in a quotation (quotes, italics,
    parentheses) and is a word of another language: "(fidarsi è bene)" in a French note."""
    line_start = text.rfind("\n", 0, word.span.start) + 1
    line_end = text.find("\n", word.span.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    at = word.span.start - line_start
    quote = None
    for found in _QUOTATION.finditer(line):
        if found.start() >= at:
            break  # the quotations after it start after it
        if at < found.end():
            quote = found
            break
    if quote is None:
        return False
    # the quotation's own function words tell its language: one dictionary to ask, not six
    other = language_of(_QUOTE_WORD.findall(quote.group()), LANGUAGES, min_score=1.0)
    if other is None or other == lang or not speller.has(other):
        return False
    return any(speller.known(form, other) for form in dict.fromkeys([word.text, word.text.lower()]))


# A run of unknown words is a passage in a language without its dictionary or a
# transliteration ("mayi sarvam idam protam"), not slips: a slip stands among known words,
# or among other slips (a note typed in haste: "steriotypes, raical categories").
RUN_REACH = 60  # characters either side of a word, on its line
RUN_OTHERS = 2  # unknown words that near make a run


def in_unknown_run(text: str, word: Word, starts: list[int]) -> bool:
    """Whether ``word`` has ``RUN_OTHERS`` unknown words within ``RUN_REACH`` characters on
    its line; ``starts``: where the note's unknown words that are no slips start, sorted."""
    start, end = word.span.start, word.span.end
    low = max(start - RUN_REACH, text.rfind("\n", 0, start) + 1)
    line_end = text.find("\n", end)
    high = min(end + RUN_REACH, line_end if line_end >= 0 else len(text))
    return bisect.bisect_right(starts, high) - bisect.bisect_left(starts, low) >= RUN_OTHERS


_ACUTE = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú", "n": "ñ"}


def _acute_slips(word: str) -> list[str]:
    """The same word with one acute accent (or tilde) added: Spanish, Portuguese, Italian."""
    return [word[:i] + _ACUTE[c] + word[i + 1 :] for i, c in enumerate(word) if c in _ACUTE]


def beside_other_script(text: str, word: Word) -> bool:
    """Whether ``word``'s line holds a letter of a script other than Latin and Greek (Greek
    letters are maths symbols too): "मूर्छ् (murch)", "ஒரு குலம் | oru kulam", a word
    transliterated beside its original, not a slip."""
    start = text.rfind("\n", 0, word.span.start) + 1
    end = text.find("\n", word.span.end)
    line = text[start : end if end >= 0 else len(text)]
    if line.isascii() or max(line) < "\u0400":
        return False  # max(): the line's highest character, found in C, not letter by letter
    return any(
        ord(c) >= 0x0400
        and not 0x1E00 <= ord(c) <= 0x1EFF  # Latin with dots and macrons: ṛ, ṁ, ḥ
        and c.isalpha()
        and not unicodedata.name(c, "").startswith(("LATIN", "GREEK"))
        for c in line
    )


_ACCENTED = {
    "a": "àâä",
    "c": "ç",
    "e": "éèêë",
    "i": "îï",
    "o": "ôö",
    "u": "ùûü",
    "y": "ÿ",
}
for _base, _variants in list(_ACCENTED.items()):
    for _variant in _variants:
        _ACCENTED[_variant] = _base + _variants.replace(_variant, "")


def _stems(word: str) -> set[str]:
    """``word`` and every word its judgement reads (case-folded): the word after an elision,
    the parts of a hyphenated word, and theirs in turn ("l'arbra-vert": "arbra-vert",
    "l'arbra", "vert", "arbra")."""
    found: set[str] = set()
    todo = [word]
    while todo:
        text = todo.pop()
        if text.casefold() in found:
            continue
        found.add(text.casefold())
        elision = _ELISION.match(text)
        if elision:
            todo.append(text[elision.end() :])
        if "-" in text:
            todo += [part for part in text.split("-") if part]
    return found


def _used(words: set[str], counts: Tally) -> set[str]:
    """The ``words`` the vault uses: for counts in memory, a set operation in C rather than a
    loop over a typo's thousand one-letter edits."""
    if isinstance(counts, dict):
        return words & counts.keys()
    return {w for w in words if w in counts}


def _accent_slips(word: str) -> list[str]:
    """The same word with one letter's accent changed: the commonest French typo."""
    return [word[:i] + v + word[i + 1 :] for i, c in enumerate(word) for v in _ACCENTED.get(c, "")]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _reform_variants(word: str) -> list[str]:
    """1990 spellings the "classique" dictionary lacks (maitre -> maître, évènement ->
    événement, crédo -> credo, assoir -> asseoir), and "oe" typed for "œ" (noeud -> nœud)."""
    variants = [word.replace("oe", "œ")] if "oe" in word else []
    if "oi" in word:
        variants.append(word.replace("oi", "eoi"))  # assoir -> asseoir
    for i, char in enumerate(word):
        if char == "é":  # accents given to borrowed words: crédo, sénior, média
            variants.append(word[:i] + "e" + word[i + 1 :])
        if char in "iu":
            variants.append(word[:i] + ("î" if char == "i" else "û") + word[i + 1 :])
        if char == "è":
            variants.append(word[:i] + "é" + word[i + 1 :])
    return variants


def _british_variants(word: str) -> list[str]:
    """The GB spellings a US spelling may stand for (travelers -> travellers)."""
    for mark in ("'s", "’s"):
        if word.endswith(mark):  # neighbor's -> neighbour's
            return [v + mark for v in _british_variants(word[: -len(mark)])]
    stem, plural = (word[:-1], "s") if word.endswith("s") and word[:-1] in _US_WORDS else (word, "")
    found = [_US_WORDS[stem] + plural] if stem in _US_WORDS else []
    base, ending = word, ""
    if word.endswith("s") and not word.endswith("ss"):
        base, ending = word[:-1], "s"  # travelers -> traveller + s
    for pattern, replacement in _US_TO_GB:
        if pattern.search(word):
            found.append(pattern.sub(replacement, word))
        if ending and pattern.search(base):
            found.append(pattern.sub(replacement, base) + ending)
    return found


def _clipped(word: str, near: str) -> bool:
    """``word`` is ``near`` cut short and ended with an "o" (visio, méthodo, perso): a
    French habit."""
    stem = word[:-1] if word.endswith("s") else word
    return stem.endswith("o") and len(stem) >= 4 and near.startswith(stem[:-1])


_ASCII = "abcdefghijklmnopqrstuvwxyz'’"
# The letters of each language: a word with others is a name or a transliteration.
_ALPHABETS = {
    "en": frozenset(_ASCII),
    "fr": frozenset(_ASCII + "àâäçéèêëîïôöùûüÿœæ"),
    "de": frozenset(_ASCII + "äöüß"),
    "es": frozenset(_ASCII + "áéíóúüñ"),
    "it": frozenset(_ASCII + "àèéìíîòóùú"),
    "pt": frozenset(_ASCII + "áâãàçéêíóôõú"),
    "nl": frozenset(_ASCII + "äëïöüéèáóú"),
}
# Endings a dictionary may lack on a known word: French feminines and plurals, and the past
# participle of a verb made from a borrowed noun ("marketé", "reviewé").
_ENDINGS = {"fr": ("e", "s", "es", "x", "é", "ée", "és", "ées"), "en": ("s", "es")}


def _inflection(word: str, near: str, lang: str) -> bool:
    """``word`` is ``near`` with an ending the dictionary may lack (a feminine ``e``, a plural
    ``s``: "contribuée" next to "contribué"): the neighbour says nothing about a slip. Not a
    repeated letter ("pagee", "wordss": a stutter), nor an ``e`` after a noun in "-té"
    ("polaritée" is a slip)."""
    if not word.startswith(near):
        return False
    end = word[len(near) :]
    if end not in _ENDINGS.get(lang, ("s",)) or near.endswith(end[0]):
        return False
    return not (end[0] == "e" and near.endswith("té"))


def _typing_slips(word: str, long: bool) -> set[str]:
    """The commonest one-slip corrections of ``word`` (accent slips are asked apart): a
    doubled letter undoubled, a consonant doubled, two letters swapped (``jardinn``,
    ``embeded``); for a ``long`` word also a letter dropped, a vowel for another, a missing
    ``h``, a stutter ("présententation"). Never at the first letter (``javalent`` is a name,
    not "avalent"). A few dozen dictionary look-ups rather than a thousand."""
    n = len(word)
    found = {word[:i] + word[i + 1 :] for i in range(2, n) if word[i] == word[i - 1]}
    found |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, n - 1)}
    found |= {
        word[: i + 1] + word[i] + word[i + 1 :] for i in range(1, n) if word[i] not in "aeiouy"
    }
    if not long:
        found.discard(word)
        return found
    found |= {word[:i] + word[i + 1 :] for i in range(1, n)}
    found |= {word[:i] + "h" + word[i:] for i in range(1, n)}
    for i, char in enumerate(word):
        if char in "aeiou" and i > 0:
            found |= {word[:i] + v + word[i + 1 :] for v in "aeiou" if v != char}
        for size in (2, 3, 4):
            if word[i : i + size] == word[i + size : i + 2 * size] and i + 2 * size <= n:
                found.add(word[:i] + word[i + size :])
    found.discard(word)
    return found


def _french_stems(word: str) -> list[str]:
    """What a regular French derivation comes from: the feminine of a present participle
    (facilitante <- facilitant) and -able adjectives (optimisables <- optimiser)."""
    stems = []
    base = word[:-1] if word.endswith("s") else word
    if base.endswith("ante") and len(base) > 6:
        stems.append(base[:-1])
    if base.endswith("able") and len(base) > 7:
        stems.append(base[:-4] + "er")
    return stems


def _capital_accents(word: str) -> list[str]:
    accented = {"E": "ÉÈÊ", "A": "ÀÂ", "I": "Î", "O": "Ô", "U": "Ù", "C": "Ç"}
    return [v + word[1:] for v in accented.get(word[0], "")]


def _dropped_or_swapped(word: str, near: str) -> bool:
    """``word`` is ``near`` with one letter dropped or two neighbouring letters swapped, the
    first letter kept ("wre" for "were", "taht" for "that")."""
    if len(near) == len(word) + 1:
        return any(near[:i] + near[i + 1 :] == word for i in range(1, len(near)))
    if len(near) == len(word):
        return any(
            word[:i] + word[i + 1] + word[i] + word[i + 2 :] == near
            for i in range(1, len(word) - 1)
        )
    return False


def _slips(word: str) -> set[str]:
    doubled = {word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return doubled | swapped


def _edits1(word: str) -> set[str]:
    """Every word one letter inserted, replaced, deleted or two swapped away (one set filled
    split by split: no intermediate sets to merge)."""
    found: set[str] = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        # an f-string builds each edit at once (``head + c + tail`` builds two strings)
        found.update([f"{head}{c}{tail}" for c in _FR_LETTERS])
        if tail:
            rest = tail[1:]
            found.update([f"{head}{c}{rest}" for c in _FR_LETTERS])
            found.add(head + rest)
            if rest:
                found.add(head + rest[0] + tail[0] + rest[1:])
    return found
