"""The resolution index: which file a link points to, the way Obsidian decides.

Spec: ``obsidian-markdown.md`` §2.1 (rules 1-14) and §3. In order: relative ``./``/``../``
paths against the source folder; an exact vault path (with or without ``.md``); otherwise
every file whose path ends with ``/<linkpath>``, preferring the source's own folder, then the
shortest path string; a remaining tie is *ambiguous*. Matching is case-insensitive on
NFC-normalised strings; aliases never resolve; a linkpath without extension only matches
``.md`` notes; dot-folders are not in the vault.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field

_HEADING_PUNCTUATION = re.compile(r"[!\"#$%&()*+,.:;<=>?@^`{|}~/\[\]\\]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Comparison key for file names: NFC, then case-folded."""
    return unicodedata.normalize("NFC", text).casefold()


def _fold_all(paths: list[str]) -> list[str]:
    """``fold`` of every path, in one call when no path holds a newline (10,000 paths: a
    pre-commit run's link index is built in a third of the time)."""
    joined = "\n".join(paths)
    if not paths or joined.count("\n") != len(paths) - 1:
        return [fold(p) for p in paths]
    folded = fold(joined).split("\n")
    return folded if len(folded) == len(paths) else [fold(p) for p in paths]


def normalize_heading(text: str, case_sensitive: bool = False) -> str:
    """Obsidian's ``stripHeading``: punctuation becomes space, runs of space shrink (spec §3.1)."""
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", _HEADING_PUNCTUATION.sub(" ", text)).strip()
    return text if case_sensitive else text.casefold()


@dataclass(frozen=True, slots=True)
class Resolution:
    path: str | None  # the file the link goes to, or None
    candidates: tuple[str, ...] = ()  # equal-standing files when the choice is ambiguous

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


@dataclass
class NoteTargets:
    """What inside a note a ``#subpath`` can point to."""

    headings: list[str] = field(default_factory=list)  # raw heading texts in order
    block_ids: set[str] = field(default_factory=set)
    readable: bool = True
    _normalized: dict[bool, set[str]] = field(default_factory=dict)

    def normalized_headings(self, case_sensitive: bool) -> set[str]:
        found = self._normalized.get(case_sensitive)
        if found is None:
            found = {normalize_heading(h, case_sensitive) for h in self.headings}
            self._normalized[case_sensitive] = found
        return found


class LinkIndex:
    def __init__(self, files: Iterable[str]) -> None:
        self.files: dict[str, list[str]] = {}  # folded path -> real paths
        self.by_name: dict[str, list[str]] = {}  # folded last component -> real paths
        paths = list(files)
        by_path, by_name = self.files, self.by_name
        for path, key in zip(paths, _fold_all(paths), strict=True):  # 10,000 paths: kept lean
            by_path.setdefault(key, []).append(path)
            by_name.setdefault(key.rsplit("/", 1)[-1], []).append(path)
        self.targets: MutableMapping[str, NoteTargets] = {}
        self._cache: dict[tuple[str, str], Resolution] = {}
        self._anywhere: dict[str, Resolution] = {}

    def set_targets(self, path: str, targets: NoteTargets) -> None:
        self.targets[path] = targets

    def all_paths(self) -> list[str]:
        return [p for paths in self.files.values() for p in paths]

    def resolve(self, linkpath: str, source: str) -> Resolution:
        """Resolve ``linkpath`` written in note ``source``; "" is the note itself."""
        if not linkpath.strip():
            return Resolution(source)
        # most links resolve the same from every folder: one answer per linkpath for those
        found = self._anywhere.get(linkpath)
        if found is not None:
            return found
        key = (linkpath, posixpath.dirname(source))
        found = self._cache.get(key)
        if found is None:
            found, local = self._resolve(linkpath.strip(), source)
            if local:
                self._cache[key] = found
            else:
                self._anywhere[linkpath] = found
        return found

    def _resolve(self, linkpath: str, source: str) -> tuple[Resolution, bool]:
        """The resolution, and whether it depends on the source's folder."""
        if not linkpath:
            return Resolution(source), True
        folded = fold(linkpath).lstrip("/") if not linkpath.startswith("./") else fold(linkpath)
        if folded.startswith(("./", "../")):
            joined = posixpath.normpath(posixpath.join(fold(posixpath.dirname(source)), folded))
            if joined.startswith("../") or joined == "..":
                return Resolution(None), True  # outside the vault
            return self._exact(joined) or Resolution(None), True
        if any(part.startswith(".") for part in folded.split("/")[:-1]) or folded.startswith("."):
            return Resolution(None), False  # dot-folders are outside the vault
        exact = self._exact(folded, linkpath)
        if exact is not None:
            return exact, False
        return self._suffix(folded, source)

    def _exact(self, folded: str, written: str | None = None) -> Resolution | None:
        for key in (folded, folded + ".md"):
            paths = self.files.get(key)
            if paths:
                return Resolution(self._prefer_case(paths, written))
        return None

    @staticmethod
    def _prefer_case(paths: list[str], written: str | None) -> str:
        if len(paths) > 1 and written is not None:
            nfc = unicodedata.normalize("NFC", written)
            for path in paths:
                if path in (nfc, nfc + ".md"):
                    return path
        return sorted(paths)[0]

    def _suffix(self, folded: str, source: str) -> tuple[Resolution, bool]:
        name = folded.rsplit("/", 1)[-1]
        # the files of that name, then the notes of that name ("x" is "x.md" as a linkpath)
        candidates = [*self.by_name.get(name, ()), *self.by_name.get(name + ".md", ())]
        if "/" in folded:
            tails = ("/" + folded, "/" + folded + ".md")
            candidates = [p for p in candidates if fold(p).endswith(tails)]
        if not candidates:
            return Resolution(None), False
        if len(candidates) == 1:
            return Resolution(candidates[0]), False
        folder = posixpath.dirname(source)
        own = [p for p in candidates if posixpath.dirname(p) == folder]
        if own:
            candidates = own
        shortest = min(len(p) for p in candidates)
        best = sorted(p for p in candidates if len(p) == shortest)
        return Resolution(best[0], tuple(best) if len(best) > 1 else ()), True

    def subpath_found(self, path: str, subpath: str, case_sensitive: bool = False) -> bool | None:
        """Whether ``#subpath`` exists in note ``path``; None when that cannot be known."""
        targets = self.targets.get(path)
        if targets is None or not targets.readable:
            return None
        if subpath.startswith("^"):
            wanted = subpath[1:].strip()
            if case_sensitive:
                return wanted in targets.block_ids
            return wanted.casefold() in {b.casefold() for b in targets.block_ids}
        segments = [s for s in subpath.split("#") if s.strip()]
        if not segments:
            return True
        wanted = normalize_heading(segments[-1], case_sensitive)
        return wanted in targets.normalized_headings(case_sensitive)
