"""The grammar service: Grammalecte, found where it is installed, and its answers per note.

Grammalecte (French, GPL-3, by Olivier R.) is never a dependency of vaultlint (MIT): it is
used when it can be imported, and also found where Debian and Ubuntu's ``python3-grammalecte``
puts it (the system Python's ``dist-packages``, which a virtual environment does not see). It
is pure Python (standard library only), so the package is loaded from there into this
interpreter, whatever its version: only that one package, never the whole ``dist-packages``
(whose compiled modules are built for the system Python and would shadow ours).

This is a vault service (it imports and runs a program); the ``grammar`` rule asks it
questions. Answers are kept per note, keyed by the text Grammalecte read, its version and
the options: workers send back what they learnt, the store keeps it between runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vaultlint.engine.config import Config
    from vaultlint.engine.rule import Rule

NAME, CODE = "grammar", "VL504"  # the rule that asks for this service

# Where distributions install the package for their own Python; ``VAULTLINT_GRAMMALECTE``
# (a folder holding the ``grammalecte`` package, e.g. Grammalecte's unpacked zip) comes first.
SYSTEM_DIRS = ("/usr/lib/python3/dist-packages", "/usr/share/grammalecte")
ENV = "VAULTLINT_GRAMMALECTE"
INSTALL_HINT = (
    "the grammar rule needs Grammalecte (GPL-3, not on PyPI): install it with "
    "`sudo apt-get install python3-grammalecte` (Debian/Ubuntu), or unpack Grammalecte's "
    f"Python zip and set {ENV} to the folder holding its grammalecte/ package"
)
# The option groups that pay: agreement, conjugation, past participles. Typography,
# capitals, commas, style and the rest are off; "md" is Grammalecte's own Markdown clean-up.
GROUPS = ("gn", "conj", "ppas")
KNOWN_GROUPS = ("gn", "conj", "ppas", "conf", "loc", "infi", "imp", "inte", "vmode")
# In every stored answer's key, beside Grammalecte's version and the groups: change it when the
# way findings are made changes (``Grammar._load``'s options, ``_parse``), as stored answers
# outlive a vaultlint upgrade (``vaultlint.cache.store``).
FINDINGS_FORMAT = "2"


def _candidates() -> list[Path]:
    dirs = [os.environ[ENV]] if os.environ.get(ENV) else []
    return [Path(d) for d in [*dirs, *SYSTEM_DIRS]]


def locate() -> Path | None:
    """The folder of the ``grammalecte`` package to load, without loading it (None: the
    interpreter imports it itself, or there is none: see ``available``)."""
    for base in _candidates():
        if (base / "grammalecte" / "fr" / "gc_engine.py").is_file():
            return base / "grammalecte"
    return None


def available() -> bool:
    """Whether Grammalecte can be loaded (cheap: nothing is imported)."""
    if "grammalecte" in sys.modules or locate() is not None:
        return True
    try:
        return importlib.util.find_spec("grammalecte") is not None
    except (ImportError, ValueError):
        return False


def missing(config: Config, rules: Sequence[Rule]) -> str | None:
    """What to tell a user who named the grammar rule (``--select grammar``, ``VL504`` in the
    config) when Grammalecte is not installed (None: nothing). A rule turned on only by
    ``ALL`` or a prefix is skipped with a message instead: the run goes on."""
    lists = [config.select or (), config.extend_select]
    for override in config.per_path:
        lists += [override.select or (), override.extend_select]
    named = any(s.strip().lower() in (NAME, CODE.lower()) for found in lists for s in found)
    if not named or available():
        return None
    if CODE in config.for_path("", rules).enabled or config.per_path:
        return INSTALL_HINT
    return None


def _import_engine() -> ModuleType:
    """Grammalecte's French engine, importing the package from ``locate()`` when the
    interpreter does not see it."""
    if "grammalecte" not in sys.modules:
        folder = locate()
        if folder is None:
            importlib.import_module("grammalecte")  # installed for this interpreter, or fails
        else:
            spec = importlib.util.spec_from_file_location(
                "grammalecte", folder / "__init__.py", submodule_search_locations=[str(folder)]
            )
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot load Grammalecte from {folder}")
            module = importlib.util.module_from_spec(spec)
            sys.modules["grammalecte"] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules["grammalecte"]
                raise
    return importlib.import_module("grammalecte.fr.gc_engine")


@dataclass(frozen=True)
class Finding:
    """One error Grammalecte found, in the passage it read: ``passage`` is the passage's index
    in the note, ``start``/``end`` offsets in it; ``rule`` its rule id, ``group`` its option."""

    passage: int
    start: int
    end: int
    rule: str
    group: str
    message: str
    suggestions: tuple[str, ...]

    def encode(self) -> list[Any]:
        return [
            self.passage,
            self.start,
            self.end,
            self.rule,
            self.group,
            self.message,
            list(self.suggestions),
        ]

    @classmethod
    def decode(cls, raw: Any) -> Finding:
        passage, start, end, rule, group, message, suggestions = raw
        if not all(isinstance(v, int) for v in (passage, start, end)):
            raise TypeError("bad offsets")
        return cls(passage, start, end, str(rule), str(group), str(message), tuple(suggestions))


Remembered = Callable[[str], tuple[str, str] | None]  # path -> (key, findings as JSON)


class Grammar:
    """Grammalecte behind a cache: ``findings(path, passages)`` parses a note's passages once
    per text, engine version and option groups."""

    def __init__(self, groups: Iterable[str] = GROUPS) -> None:
        self.groups = tuple(sorted(set(groups)))
        self.unavailable: str | None = None if available() else INSTALL_HINT
        self._engine: ModuleType | None = None
        self._options: dict[str, bool] = {}
        self._version: str | None = None
        self.known: dict[str, tuple[str, str]] = {}  # path -> (key, findings JSON)
        self.remembered: Remembered | None = None  # a partial run: asks the store per note
        self.learnt: dict[str, tuple[str, str]] = {}  # answers computed in this run
        self.parsed = 0  # notes parsed by Grammalecte in this process (for tests and timing)
        self._siblings: dict[tuple[str, ...], Grammar] = {}

    def __getstate__(self) -> dict[str, Any]:
        """For a worker process: the answers known so far, not the engine (the worker
        imports its own if a note needs it)."""
        state = dict(self.__dict__)
        state.update(_engine=None, learnt={}, remembered=None, _siblings={})
        return state

    def with_groups(self, groups: Iterable[str]) -> Grammar:
        """The same engine with other option groups (a note with options of its own)."""
        wanted = tuple(sorted(set(groups)))
        if wanted == self.groups:
            return self
        sibling = self._siblings.get(wanted)
        if sibling is None:
            sibling = self._siblings[wanted] = Grammar(wanted)
            # one cache for all: a note's entry is keyed by its groups too
            sibling.known, sibling.learnt, sibling.remembered = (
                self.known,
                self.learnt,
                self.remembered,
            )
        return sibling

    @property
    def version(self) -> str:
        """Grammalecte's version, read from its source without loading it."""
        if self._version is None:
            self._version = _read_version()
        return self._version

    def key(self, passages: list[str]) -> str:
        digest = hashlib.sha256()
        digest.update(f"{FINDINGS_FORMAT}\0{self.version}\0{','.join(self.groups)}\0".encode())
        digest.update("\0".join(passages).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:24]

    def findings(self, path: str, passages: list[str]) -> list[Finding]:
        key = self.key(passages)
        stored = self.known.get(path)
        if stored is None and self.remembered is not None:
            stored = self.remembered(path)
        if stored is not None and stored[0] == key:
            try:
                return [Finding.decode(raw) for raw in json.loads(stored[1])]
            except (ValueError, TypeError):
                pass  # a damaged row: parse again
        found = self._parse(passages)
        entry = (key, json.dumps([f.encode() for f in found], ensure_ascii=False))
        self.known[path] = self.learnt[path] = entry
        return found

    def _load(self) -> ModuleType:
        if self._engine is None:
            engine = _import_engine()
            engine.load("Python")
            _lemmas_in_order(engine.getSpellChecker())
            options = {name: False for name in engine.getDefaultOptions()}
            options.update({group: True for group in self.groups if group in options})
            options["md"] = True  # its Markdown clean-up, which raises nothing
            self._engine, self._options = engine, options
        return self._engine

    def _parse(self, passages: list[str]) -> list[Finding]:
        engine = self._load()
        self.parsed += 1
        found: list[Finding] = []
        for index, text in enumerate(passages):
            if not text.strip():
                continue
            for error in engine.parse(text, "FR", False, self._options, False):
                found.append(
                    Finding(
                        index,
                        int(error["nStart"]),
                        int(error["nEnd"]),
                        str(error.get("sRuleId", "")),
                        str(error.get("sType", "")),
                        str(error.get("sMessage", "")),
                        tuple(str(s) for s in error.get("aSuggestions", ())),
                    )
                )
        found.sort(key=lambda f: (f.passage, f.start, f.end, f.rule))
        return found

    def export_learnt(self) -> dict[str, tuple[str, str]]:
        """The answers computed since the last call (a worker sends them back)."""
        learnt = dict(self.learnt)
        self.learnt.clear()  # the same dict as the siblings'
        return learnt

    def import_learnt(self, learnt: dict[str, tuple[str, str]]) -> None:
        for path, entry in learnt.items():
            self.known[path] = self.learnt[path] = (entry[0], entry[1])


def _lemmas_in_order(speller: Any) -> None:
    """Grammalecte's spell checker answers a word's lemmas as a set, and its suggestions are
    built lemma by lemma: in the order of Python's string hashes, which changes with every
    process. Sorted, the same text gets the same suggestions in the same order in every run
    (a message that changes from run to run would break baselines and stored answers)."""
    lemmas = getattr(speller, "getLemma", None)
    if lemmas is None or getattr(lemmas, "vaultlint_sorted", False):
        return

    def in_order(word: str) -> list[str]:
        return sorted(lemmas(word))

    in_order.vaultlint_sorted = True  # type: ignore[attr-defined]
    speller.getLemma = in_order


def _read_version() -> str:
    """``version = "2.1.2"`` from the engine's source (importing it costs a second)."""
    folder = locate()
    if folder is None:
        spec = None
        with contextlib.suppress(ImportError, ValueError):
            spec = importlib.util.find_spec("grammalecte")
        if spec is None or not spec.submodule_search_locations:
            return "unknown"
        folder = Path(next(iter(spec.submodule_search_locations)))
    try:
        with open(folder / "fr" / "gc_engine.py", encoding="utf-8") as source:
            for line in source:
                if line.startswith("version = "):
                    return line.split("=", 1)[1].strip().strip("\"'")
    except OSError:
        pass
    return "unknown"
