"""The note model: what a parsed note is made of.

Every position inside vaultlint is a 0-based, half-open character offset into the note's
text (newlines normalised to ``\\n``, BOM removed). ``LineIndex`` is the one place that turns
an offset into a 1-based ``line:column`` for output.
"""

from __future__ import annotations

import bisect
import enum
from dataclasses import dataclass, field
from typing import Any


def without_md(path: str) -> str:
    """A note's path or name without its ``.md`` extension (any case), as links write it."""
    return path[:-3] if path.lower().endswith(".md") else path


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def __contains__(self, offset: object) -> bool:
        return isinstance(offset, int) and self.start <= offset < self.end


@dataclass(frozen=True, slots=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based, in code points


class LineIndex:
    """Offset -> 1-based (line, column); built lazily because most notes report nothing."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            find = self._text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._starts = starts
        return self._starts

    def position(self, offset: int) -> Position:
        starts = self._line_starts()
        offset = max(0, min(offset, len(self._text)))
        line = bisect.bisect_right(starts, offset) - 1
        return Position(line + 1, offset - starts[line] + 1)


class LinkKind(enum.Enum):
    WIKILINK = "wikilink"
    EMBED = "embed"
    MARKDOWN = "markdown"
    MARKDOWN_EMBED = "markdown-embed"
    FRONTMATTER = "frontmatter"


@dataclass(frozen=True, slots=True)
class Link:
    """A link as written. ``target`` is the linkpath ("" for a link to the note itself)."""

    kind: LinkKind
    span: Span  # the whole link, from ``[[``, ``![[`` or ``[``
    raw: str  # the source text of the whole link
    target: str  # linkpath, decoded (markdown links are percent-decoded)
    subpath: str  # "" or the part after the first "#", without that "#"
    display: str | None  # text after "|" for wikilinks, the link text for markdown links
    target_span: Span  # where the linkpath is written, for fixes
    comment: str | None = None  # "%%" inside an Obsidian comment, "html" inside <!-- -->
    key: str | None = None  # frontmatter property that holds it

    @property
    def block_id(self) -> str | None:
        return self.subpath[1:] if self.subpath.startswith("^") else None


class TagSource(enum.Enum):
    INLINE = "inline"
    FRONTMATTER = "frontmatter"


@dataclass(frozen=True, slots=True)
class Tag:
    name: str  # without "#", as written
    span: Span  # the "#tag" in the body, or the value in the frontmatter
    source: TagSource

    @property
    def folded(self) -> str:
        return self.name.casefold()


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str  # raw inline text, formatting and links included
    span: Span  # the whole heading line


@dataclass(frozen=True, slots=True)
class BlockId:
    id: str
    span: Span  # the "^id"


@dataclass(frozen=True, slots=True)
class FrontmatterError:
    message: str
    offset: int  # where in the note text the problem is


@dataclass(frozen=True, slots=True)
class Frontmatter:
    span: Span  # from the opening "---" to the end of the closing "---" line (newline included)
    yaml_span: Span  # the YAML text between the delimiters
    data: dict[str, Any] | None  # None when the YAML is invalid
    error: FrontmatterError | None = None
    key_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> 0-based line in YAML


@dataclass(frozen=True, slots=True)
class ReadError:
    """Why a file could not be turned into a note."""

    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded note with what is needed to write it back byte for byte."""

    text: str  # newlines normalised to "\n", BOM stripped
    bom: bool = False
    newline: str = "\n"  # "\n" or "\r\n"
    mixed_newlines: bool = False  # both styles (or a lone "\r"): never rewritten

    def encode(self, text: str) -> bytes:
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        data = text.encode("utf-8")
        return b"\xef\xbb\xbf" + data if self.bom else data


@dataclass(frozen=True, slots=True)
class Note:
    """One parsed note. Built once by ``vaultlint.parse.note.parse_note`` and never mutated."""

    path: str  # vault-relative, "/"-separated, NFC
    source: SourceText
    frontmatter: Frontmatter | None
    body_start: int
    links: tuple[Link, ...]
    tags: tuple[Tag, ...]
    headings: tuple[Heading, ...]
    block_ids: tuple[BlockId, ...]
    code: tuple[Span, ...]  # fenced, indented and inline code, math: no links, tags or words
    comments: tuple[Span, ...]  # %% ... %% and <!-- ... --> regions
    lines: LineIndex
    read_error: ReadError | None = None  # set when the file could not be read as a note

    @property
    def text(self) -> str:
        return self.source.text

    @property
    def name(self) -> str:
        """The note name Obsidian shows: the file name without ``.md``."""
        return without_md(self.path.rsplit("/", 1)[-1])

    @property
    def data(self) -> dict[str, Any]:
        fm = self.frontmatter
        return fm.data if fm is not None and fm.data is not None else {}

    @property
    def frontmatter_valid(self) -> bool:
        return self.frontmatter is None or self.frontmatter.error is None


def unreadable_note(path: str, error: ReadError) -> Note:
    """A stand-in for a ``.md`` file that could not be read: only engine rules look at it."""
    return Note(path, SourceText(""), None, 0, (), (), (), (), (), (), LineIndex(""), error)
