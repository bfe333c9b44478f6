"""What a grammar checker should read in a note: its prose, cut into passages (paragraphs,
list items, headings, table cells), each character at the note offset it came from.

It starts from the spelling rule's prose (``vaultlint.parse.prose``: no frontmatter but the title,
no code, comments, URLs, link targets, tags...). Every substitution keeps the length of what it
replaces, so a passage offset plus the passage start is the note offset, exactly:
- inline code and inline math become the placeholder word "X" (padded with spaces), so that
  "lancez `npm install` pour" still reads as a sentence rather than "lancez pour";
- an inline tag reads as its name ("la #gouvernance est…");
- a wikilink without an alias reads as its target ("les [[Notes permanentes]]"), the part that
  is a note's name being remembered in ``names``: a name is not the author's sentence to fix;
- Markdown markers (emphasis, list bullets, heading hashes, quote and callout bars, table
  pipes, link brackets) become spaces, and a passage's line breaks become spaces; an HTML
  block tag (``<li>``, ``<p>``, ``<br>``...) ends a passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vaultlint.model.note import LinkKind, Note, Span, TagSource
from vaultlint.parse.prose import prose_text

PLACEHOLDER = "X"  # neutral for Grammalecte: no gender, no number, not a verb

_EMPHASIS = re.compile(r"\*+|==|~~|(?<![^\W_])_+|_+(?![^\W_])|[\[\]]")
# what opens a block on its line: quote/callout bars, a bullet or number, a task box, hashes
_BLOCK = re.compile(
    r"[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[.\][ \t]+)?|#{1,6}[ \t]+)?"
)
_TABLE_RULE = re.compile(r"[\s|:-]*")
_HTML_BLOCK = re.compile(
    r"</?(?:p|div|li|ul|ol|br|hr|tr|td|th|table|h[1-6]|blockquote|section|details|summary)\b"
    r"[^<>\n]*>",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Passage:
    start: int  # note offset of the passage's first character
    text: str  # as long as the note range it reads: offset ``i`` is note offset ``start + i``
    cell: bool = False  # a table cell

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Reading:
    """A note as a grammar checker reads it."""

    passages: tuple[Passage, ...]
    names: tuple[Span, ...]  # note names shown as link text
    emphasis: tuple[Span, ...]  # **bold**, *italic*, ==highlight== spans, markers included

    def texts(self) -> list[str]:
        return [p.text for p in self.passages]


def reading(note: Note) -> Reading:
    text = prose_text(note)
    chars = list(text)
    for span in note.code:
        if (
            note.text.startswith(("`", "$"), span.start)
            and "\n" not in note.text[span.start : span.end]
        ):
            if note.text.startswith(("```", "~~~", "$$"), span.start):
                continue  # a block on one line: no word of the sentence
            chars[span.start : span.end] = _padded(PLACEHOLDER, span.end - span.start)
    names: list[Span] = []
    for link in note.links:
        if link.kind is not LinkKind.WIKILINK or link.display is not None or link.comment:
            continue
        target = link.target_span
        if target.end <= target.start or "\n" in note.text[target.start : target.end]:
            continue
        chars[target.start : target.end] = note.text[target.start : target.end]
        names.append(target)
    for tag in note.tags:
        if tag.source is TagSource.INLINE and note.text.startswith("#", tag.span.start):
            # "la #gouvernance est…": a tag in a sentence is one of its words
            chars[tag.span.start + 1 : tag.span.end] = note.text[tag.span.start + 1 : tag.span.end]
    if "<" in note.text:
        for match in _HTML_BLOCK.finditer(note.text, note.body_start):
            chars[match.start() : match.start() + 2] = "\n\n"  # a paragraph ends there
    emphasis = _emphasis_spans(note.text, note.body_start)
    text = "".join(chars)
    text = _EMPHASIS.sub(lambda m: " " * len(m.group()), text)
    return Reading(tuple(_passages(text, note.text)), tuple(names), tuple(emphasis))


def _padded(word: str, length: int) -> list[str]:
    return list((word + " " * length)[:length]) if length >= len(word) else [" "] * length


_EMPHASIS_SPAN = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|\*[^*\n]+\*|==[^=\n]+==")


def _emphasis_spans(text: str, start: int) -> list[Span]:
    return [Span(m.start(), m.end()) for m in _EMPHASIS_SPAN.finditer(text, start)]


def _passages(text: str, original: str) -> list[Passage]:
    """Paragraphs (lines joined), list items, headings, callout titles and table cells, each
    as its own passage."""
    found: list[Passage] = []
    chars = list(text)
    current: list[int] = []  # [start, end] of the paragraph being built
    quoted = False  # the previous line was inside a quote

    def close() -> None:
        if current:
            start, end = current
            chunk = "".join(chars[start:end]).replace("\n", " ")
            if chunk.strip():
                found.append(Passage(start, chunk))
            current.clear()

    offset = 0
    for line in text.split("\n"):
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        if not line.strip():
            close()
            quoted = False
            continue
        marker = _BLOCK.match(line)
        head = line[: marker.end()] if marker else ""
        chars[line_start : line_start + len(head)] = " " * len(head)
        rest = line[len(head) :]
        if rest.lstrip().startswith("|") or rest.count("|") >= 2:
            close()
            if not _TABLE_RULE.fullmatch(rest):
                cell_start = line_start + len(head)
                for part in rest.split("|"):
                    if part.strip():
                        found.append(Passage(cell_start, part, cell=True))
                    cell_start += len(part) + 1
            quoted = ">" in head
            continue
        bars = ">" in head
        own = "#" in head or "[!" in original[line_start:line_end]  # a heading, a callout title
        opens = own or bool(head.replace(">", "").strip()) or (bars != quoted) or not current
        quoted = bars
        if opens:
            close()
            current[:] = [line_start + len(head), line_end]
        else:
            current[1] = line_end  # a continuation line: the same paragraph
        if own:
            close()
    close()
    return found
