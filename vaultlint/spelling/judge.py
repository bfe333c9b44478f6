"""The typo rule's judgement: which words are mistakes, in which language, and what was meant.

Pure logic over the spelling service (``vaultlint.spelling.speller``) and the vault's own vocabulary.
The bar is about one false alarm per 1,000 words, so every doubt resolves to "not a typo":
capitalised words are names unless a list says otherwise, words the vault uses in several
notes are the vault's vocabulary, 1990 reform spellings and American spellings are accepted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field

from vaultlint.model.note import Note
from vaultlint.parse.prose import candidate
from vaultlint.spelling.speller import Speller, corrections, tech_words
from vaultlint.vault.tally import MemoryTally, Tally

FR_MARKERS = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "est",
        "une",
        "dans",
        "pour",
        "pas",
        "qui",
        "que",
        "avec",
        "sur",
        "mais",
        "nous",
        "vous",
        "sont",
        "cette",
        "aux",
        "du",
        "au",
        "et",
        "ou",
        "il",
        "elle",
        "ce",
        "ces",
        "son",
        "sa",
        "ses",
        "ne",
        "plus",
        "tout",
        "être",
        "fait",
        "comme",
    ]
)
EN_MARKERS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "in",
        "that",
        "it",
        "for",
        "with",
        "was",
        "on",
        "are",
        "this",
        "be",
        "as",
        "not",
        "you",
        "have",
        "from",
        "by",
        "or",
        "but",
        "an",
        "they",
        "which",
        "we",
        "can",
        "will",
        "your",
    ]
)
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
_US_TO_GB = (
    (re.compile(r"or(s|ed|ing|ful|ation|ations)?$"), r"our\1"),
    (re.compile(r"ic(ing|ed)$"), r"is\1"),
    (re.compile(r"er(s?)$"), r"re\1"),
    (re.compile(r"yz(e|es|ed|ing)$"), r"ys\1"),
    (re.compile(r"iz(e|es|ed|ing|ation|ations)$"), r"is\1"),
    (re.compile(r"og$"), "ogue"),
    (re.compile(r"el(ed|ing|er)$"), r"ell\1"),
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


def _compound(word: str, known: Callable[[str], bool]) -> bool:
    """Two known words of 3+ letters written as one (English closed compounds)."""
    return any(known(word[:i]) and known(word[i:]) for i in range(3, len(word) - 2))


def detect_language(note_words: Iterable[str], candidates: tuple[str, ...]) -> str:
    """French or English by function words; the first candidate when nothing tells."""
    lowered = " ".join(note_words).casefold().split()
    scores = {
        "fr": sum(map(FR_MARKERS.__contains__, lowered)),
        "en": sum(map(EN_MARKERS.__contains__, lowered)),
    }
    ranked = [lang for lang in candidates if lang in scores]
    if not ranked or not any(scores.values()):
        return candidates[0]
    return max(ranked, key=lambda lang: (scores[lang], -candidates.index(lang)))


# A language code (``fr``, ``en-GB``, ``pt_BR``): a note's ``lang:`` names a dictionary file,
# so anything else (``../../tmp/x``) is not a language.
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?")


def note_language(
    note: Note, configured: str, candidates: tuple[str, ...], tokens: list[str]
) -> str:
    for key in ("lang", "language"):
        value = note.data.get(key)
        if isinstance(value, str) and LANGUAGE_CODE.fullmatch(value.strip().lower()):
            return value.strip().lower().replace("-", "_").split("_")[0]
    if configured != "auto":
        return configured
    return detect_language(tokens, candidates)


NAME_KEY = "\0"  # tally keys of name words start with it; word keys never do


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
    return Vocabulary(_Accepted(tally, accepted), tally, tally.largest(NAME_KEY))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


@dataclass(frozen=True)
class Verdict:
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
    ) -> None:
        self.languages = languages
        self.speller = speller
        self.vocabulary = vocabulary
        self.min_notes = min_notes
        self.extra_pairs = {k.casefold(): v for k, v in extra_pairs.items()}
        self._memo: dict[tuple[str, str], Verdict] = {}
        self._good: dict[str, set[str]] = {}
        self._bad: dict[str, set[str]] = {}
        self._suggestions: dict[tuple[str, str], list[str]] = {}
        self._search: set[tuple[str, str]] = set()
        self._common = vocabulary.top // 10 + 1

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

    def flagged(self, distinct: frozenset[str], lang: str) -> frozenset[str]:
        """The words of ``distinct`` that are typos; each word is judged once per run."""
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
        return distinct & bad

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
            counts[c] >= least and self.speller.known(c, lang) for c in _used(candidates, counts)
        )

    def verdict(self, word: str, lang: str) -> Verdict:
        key = (word, lang)
        found = self._memo.get(key)
        if found is None:
            found = self._judge(word, lang)
            self._memo[key] = found
        return found

    def _correction(self, word: str, lang: str) -> str | None:
        lower = word.casefold()
        right = self.extra_pairs.get(lower) or corrections(lang).get(lower)
        if right is None:
            return None
        if word[0].isupper():
            right = right[0].upper() + right[1:]
        return right

    def _judge(self, word: str, lang: str) -> Verdict:
        correction = self._correction(word, lang)
        if correction is not None:
            return Verdict(True, correction)
        lower = word.casefold()
        if lower in self.vocabulary.accepted:
            return Verdict(False)
        used_in = self.vocabulary.note_counts[lower]
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
        if lang == "en" and any(known(v, "en") for v in _british_variants(word)):
            return Verdict(False)
        if any(known(word, other) for other in self.languages if other != lang):
            return Verdict(False)  # a vault in several languages: a word of any of them
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
        candidates = _edits1(lower)
        counts = self.vocabulary.note_counts
        folded = _fold(lower)

        def rank(candidate: str) -> tuple[bool, int, str]:
            # an accent slip first (the commonest French typo), then the vault's usual words
            return (_fold(candidate) != folded, -counts[candidate], candidate)

        accent_slips = _accent_slips(lower)
        prefetch = getattr(counts, "prefetch", None)
        if prefetch is not None:  # counts read from the cache: one query for all candidates
            prefetch(candidates)
        in_vault = _used(candidates, counts)
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
        if len(good) < 3 and (word, lang) in self._search:
            more = {c for c in candidates if c != lower and self.speller.known(c, lang)}
            good = sorted(more.union(good), key=rank)
        found += [head + c for c in good]
        result = list(dict.fromkeys(found))[:3]
        self._suggestions[key] = result
        return result


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
    événement), and "oe" typed for "œ" (noeud -> nœud)."""
    variants = [word.replace("oe", "œ")] if "oe" in word else []
    for i, char in enumerate(word):
        if char in "iu":
            variants.append(word[:i] + ("î" if char == "i" else "û") + word[i + 1 :])
        if char == "è":
            variants.append(word[:i] + "é" + word[i + 1 :])
    return variants


def _british_variants(word: str) -> list[str]:
    return [
        pattern.sub(replacement, word) for pattern, replacement in _US_TO_GB if pattern.search(word)
    ]


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


def _slips(word: str) -> set[str]:
    doubled = {word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return doubled | swapped


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _FR_LETTERS}
    inserts = {a + c + b for a, b in splits for c in _FR_LETTERS}
    return deletes | transposes | replaces | inserts
