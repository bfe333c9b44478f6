"""The resolution index: which file a link points to, the way Obsidian decides.

Spec: ``obsidian-markdown.md`` §2.1 (rules 1-13, read from Obsidian's own resolver,
``MetadataCache.getLinkpathDest``). The candidates are the files whose name is the linkpath's
last segment (a name without a dot: that name plus ``.md``); a relative ``./``/``../`` path is
tried at the folder it reaches (never above the vault root), then goes on rewritten; an exact
vault path wins (a leading ``/`` allows nothing else); otherwise every candidate whose path ends
with the linkpath, as a plain string, matches: those under the source's folder (a plain string
prefix) first, then the shortest path. A tie in the winning group is *ambiguous*. When all
that finds nothing, the linkpath is tried once more with ``.md`` added. Matching is
case-insensitive on NFC-normalised strings; aliases never resolve; dot-folders are not in the
vault, so nothing there (or outside the vault) is ever a target.
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


def normalize_heading(text: str) -> str:
    """Obsidian's ``stripHeading``: punctuation becomes space, runs of space shrink (spec §3.1);
    folded, since a heading link matches whatever the case."""
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", _HEADING_PUNCTUATION.sub(" ", text)).strip().casefold()


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
    _normalized: set[str] | None = None

    def normalized_headings(self) -> set[str]:
        if self._normalized is None:
            self._normalized = {normalize_heading(h) for h in self.headings}
        return self._normalized


def _relative(folded: str, folder: str) -> tuple[str, str]:
    """Rule 3: a ``./``/``../`` linkpath written from ``folder``, as a vault path, and the folder
    it reached (with a trailing ``/`` unless it is the root). At the root, ``..`` is the root."""
    if folded.startswith("./../"):
        folded = folded[2:]
    if folded.startswith("./"):
        folded = folded[2:]
    else:
        while folded.startswith("../"):
            folded = folded[3:]
            folder = posixpath.dirname(folder)
    if folder:
        folder += "/"
    return folder + folded, folder


class LinkIndex:
    """Every file of the vault by folded path and by folded name, and the notes' link targets."""

    def __init__(self, files: Iterable[str]) -> None:
        self.files: dict[str, list[str]] = {}  # folded path -> real paths
        self.by_name: dict[str, list[str]] = {}  # folded last component -> real paths
        paths = list(files)
        by_path, by_name = self.files, self.by_name
        # once per file of the vault: kept lean
        for path, key in zip(paths, _fold_all(paths), strict=True):
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

    def same_everywhere(self, linkpath: str) -> bool:
        """Whether ``linkpath``, once resolved, resolves the same from every note."""
        return linkpath in self._anywhere

    def _resolve(self, linkpath: str, source: str) -> tuple[Resolution, bool]:
        """The resolution, and whether it depends on the source's folder (rule 2: the
        linkpath as written, then with ``.md`` added; a name without a dot only reaches notes)."""
        folded = fold(linkpath)
        if "." in folded.rsplit("/", 1)[-1]:
            found, local = self._candidates(folded, linkpath, source)
            if found.path is not None:
                return found, local
            retry, local_retry = self._candidates(folded + ".md", linkpath + ".md", source)
            return retry, local or local_retry
        return self._candidates(folded + ".md", linkpath + ".md", source)

    def _candidates(self, folded: str, written: str, source: str) -> tuple[Resolution, bool]:
        """Rules 3-7 among the files named like the linkpath's last segment."""
        candidates = self.by_name.get(folded.rsplit("/", 1)[-1])
        if not candidates:
            return Resolution(None), False
        if "/" not in folded and len(candidates) == 1:
            return Resolution(candidates[0]), False  # a unique name: the same from everywhere
        folder = fold(posixpath.dirname(source))
        local = False
        if folded.startswith(("./", "../")):
            local = True
            folded, folder = _relative(folded, folder)
            exact = self._exact(folded, written)
            if exact is not None:
                return exact, True
        rooted = folded.startswith("/")
        if rooted:
            folded = folded[1:]
        exact = self._exact(folded, written)
        if exact is not None:
            return exact, local
        if rooted:
            return Resolution(None), local  # rule 4: a vault-root path has no fallback
        matches = [p for p in candidates if fold(p).endswith(folded)]
        if not matches:
            return Resolution(None), local
        if len(matches) == 1:
            return Resolution(matches[0]), local
        # rule 6: under the source's folder (plain prefix: at the root, every file) first
        near = [p for p in matches if fold(p).startswith(folder)]
        group = near or matches
        shortest = min(len(p) for p in group)
        best = sorted(p for p in group if len(p) == shortest)
        if len(best) > 1 and len({fold(p) for p in best}) == 1:
            best = [self._prefer_case(best, written)]  # rule 9: names differing only by case
        return Resolution(best[0], tuple(best) if len(best) > 1 else ()), True

    def _exact(self, folded: str, written: str) -> Resolution | None:
        """Rule 4: the file at exactly that vault path (its name is the candidates' name)."""
        paths = self.files.get(folded)
        return Resolution(self._prefer_case(paths, written)) if paths else None

    @staticmethod
    def _prefer_case(paths: list[str], written: str) -> str:
        if len(paths) > 1:
            nfc = unicodedata.normalize("NFC", written).lstrip("/")
            for path in paths:
                if path == nfc or path.endswith("/" + nfc):
                    return path
        return sorted(paths)[0]

    def subpath_found(self, path: str, subpath: str) -> bool | None:
        """Whether ``#subpath`` exists in note ``path``; None when that cannot be known."""
        targets = self.targets.get(path)
        if targets is None or not targets.readable:
            return None
        if subpath.startswith("^"):
            wanted = subpath[1:].strip()
            return wanted.casefold() in {b.casefold() for b in targets.block_ids}
        segments = [s for s in subpath.split("#") if s.strip()]
        if not segments:
            return True
        return normalize_heading(segments[-1]) in targets.normalized_headings()
