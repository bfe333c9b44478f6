"""The body scanner: code regions, comments, headings, block ids, links and tags with exact spans.

A full Markdown parse of every note is too slow for a 10,000-note vault (see issue 8), and
Markdown parsers give no source positions. This scanner does one pass over the lines for
block structure (fences, indented code, math blocks, headings, block ids), then regular
expressions over a *masked* copy of the text, in which code is blanked out with spaces so
that every offset stays the offset of the original text.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from urllib.parse import unquote

from vaultlint.model.note import BlockId, Heading, Link, LinkKind, Span, Tag, TagSource

_QUOTE_PREFIX = re.compile(r"[ \t]{0,3}(?:>[ \t]?)+")
_FENCE_OPEN = re.compile(r"(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
# The opening hashes only: the closing sequence is taken off by hand (``_atx_text``), as a
# lazy ``(.*?)`` before ``[ \t]*$`` retries the trailing blanks at every character.
_ATX = re.compile(r"[ \t]{0,3}(#{1,6})(?:[ \t]|$)")
_SETEXT = re.compile(r"[ \t]{0,3}(=+|-+)[ \t]*$")
_THEMATIC = re.compile(r"[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE_LEADS = frozenset("`~")
_LIST_LEADS = frozenset("-+*0123456789")
_THEMATIC_LEADS = frozenset("*-_")
_BLOCK_ID = re.compile(r"(?:^|(?<=\s)|(?<=\]\]))\^([A-Za-z0-9-]+)[ \t]*$")

_MATH_BLOCK = re.compile(r"\$\$(?:[^$]|\$(?!\$))+?\$\$")
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?![\s$])[^$\n]*?(?<![\s\\$])\$(?![\d$])")
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_OBSIDIAN_COMMENT = re.compile(r"%%.*?(?:%%|\Z)", re.DOTALL)

WIKILINK = re.compile(r"(!?)\[\[((?:[^\[\]\n]|\[(?!\[)|\](?!\]))*)\]\]")
# The same without the optional "!": a pattern that starts with a literal is searched for
# much faster; the "!" is looked at by hand.
# The loop is unrolled (plain* (bracket plain*)*) so that a "[[" never closed costs linear
# time: a nested quantifier would backtrack exponentially.
_WIKILINK_BODY = re.compile(r"\[\[([^\[\]\n]*(?:(?:\[(?!\[)|\](?!\]))[^\[\]\n]*)*)\]\]")
_MD_LINK_START = re.compile(r"(!?)\[((?:[^\[\]\n\\]|\\.|\[[^\[\]\n]*\])*)\]\(")
_PLAIN_DEST = re.compile(r"[^\s()<>\\\"']*\)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
# "#" first, for speed; that whitespace (or nothing) comes before it is checked by hand
_TAG = re.compile(
    r"#([^\s!\"#$%&'()*+,.:;<=>?@\[\\\]^`{|}~\u2018\u2019\u201c\u201d\u00ab\u00bb"
    r"\u2026\u2013\u2014\u3001\u3002\uff0c]+)"
)


@dataclass(frozen=True, slots=True)
class ScanResult:
    code: tuple[Span, ...]
    comments: tuple[Span, ...]
    headings: tuple[Heading, ...]
    block_ids: tuple[BlockId, ...]
    links: tuple[Link, ...]
    tags: tuple[Tag, ...]


_START = operator.attrgetter("start")
_NOT_NEWLINE = re.compile(r"[^\n]")


# Characters that most notes never hold: looking for one of them is a single-character search,
# far faster in Python than a search for a longer string, and rules out every string with it.
_RARE = "^%{<$@&~|\\"


def holds(text: str, needle: str) -> bool:
    """``needle in text``, first ruled out by a search for its first rare character (a
    ``"<%"`` is looked for only in the notes that hold a ``"<"``)."""
    for char in needle:
        if char in _RARE:
            return char in text and needle in text
    return needle in text


def blank(text: str, spans: list[Span]) -> str:
    """Replace each span by spaces, keeping newlines, so offsets are unchanged."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for span in sorted(spans, key=_START):
        if span.end <= pos:
            continue
        start = max(span.start, pos)
        parts.append(text[pos:start])
        chunk = text[start : span.end]
        parts.append(_NOT_NEWLINE.sub(" ", chunk) if "\n" in chunk else " " * len(chunk))
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def _indent_width(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


class _BlockScan:
    """Line pass: fenced and indented code, headings and block ids outside code."""

    def __init__(self, text: str, start: int) -> None:
        self.code: list[Span] = []
        self.headings: list[Heading] = []
        self.block_ids: list[BlockId] = []
        self._scan(text, start)

    def _scan(self, text: str, start: int) -> None:
        fence: tuple[str, int] | None = None  # (fence char, length)
        fence_start = 0
        indented_start = -1
        prev_blank = True
        in_list = False
        paragraph: list[tuple[int, str]] = []  # lines of the open paragraph: (offset, text)
        pos = start
        length = len(text)
        while pos <= length:
            nl = text.find("\n", pos)
            end = length if nl == -1 else nl
            line = text[pos:end]
            next_pos = end + 1
            if fence is not None:
                stripped = line.lstrip(" \t>")
                char, size = fence
                if stripped.startswith(char * size) and not stripped.strip(char).strip():
                    self.code.append(Span(fence_start, end))
                    fence = None
                    prev_blank = False
                pos = next_pos
                if nl == -1:
                    break
                continue
            is_blank = not line.strip()
            if indented_start >= 0 and not is_blank and _indent_width(line) < 4:
                self._close_indented(text, indented_start, pos)
                indented_start = -1
            if is_blank:
                prev_blank = True
                paragraph = []
                pos = next_pos
                if nl == -1:
                    break
                continue
            content = line
            # a quote marker is within the first four characters: most lines have none
            quote = _QUOTE_PREFIX.match(line) if ">" in line[:4] else None
            if quote is not None and quote.end() > 0 and ">" in quote.group():
                content = line[quote.end() :]
            offset_in_line = len(line) - len(content)
            indent = _indent_width(content) if content[:1] in " \t" else 0
            if indented_start < 0 and indent >= 4 and prev_blank and not in_list and not paragraph:
                indented_start = pos
            if indented_start >= 0:
                prev_blank = False
                pos = next_pos
                if nl == -1:
                    self._close_indented(text, indented_start, length)
                    indented_start = -1
                    break
                continue
            # The first visible character decides which block patterns can match at all:
            # most lines are prose, and skipping five regex calls per line is most of the pass.
            lead = content.lstrip(" \t")[:1]
            opened = _FENCE_OPEN.match(content) if lead in _FENCE_LEADS else None
            if opened is not None and (in_list or _indent_width(opened.group("indent")) <= 3):
                fence_text = opened.group("fence")
                if not (fence_text[0] == "`" and "`" in opened.group("info")):
                    fence = (fence_text[0], len(fence_text))
                    fence_start = pos
                    paragraph = []
                    prev_blank = False
                    pos = next_pos
                    if nl == -1:
                        self.code.append(Span(fence_start, length))
                        fence = None
                        break
                    continue
            item = lead in _LIST_LEADS and _LIST_ITEM.match(content) is not None
            if item:
                in_list = True
            elif indent == 0 and prev_blank:
                in_list = False
            self._line(content, pos + offset_in_line, paragraph, lead, item)
            prev_blank = False
            pos = next_pos
            if nl == -1:
                break
        if fence is not None:
            self.code.append(Span(fence_start, length))
        if indented_start >= 0:
            self._close_indented(text, indented_start, length)

    def _close_indented(self, text: str, start: int, end: int) -> None:
        # trailing blank lines belong to the text after the code block
        while end > start and text[end - 1] in " \t\n":
            end -= 1
        self.code.append(Span(start, end))

    def _line(
        self, content: str, offset: int, paragraph: list[tuple[int, str]], lead: str, item: bool
    ) -> None:
        atx = _ATX.match(content) if lead == "#" else None
        if atx is not None:
            heading_text = _atx_text(content[atx.end(1) :])
            self.headings.append(
                Heading(len(atx.group(1)), heading_text, Span(offset, offset + len(content)))
            )
            paragraph.clear()
            return
        setext = _SETEXT.match(content) if paragraph and lead in "=-" else None
        if setext is not None:
            level = 1 if setext.group(1)[0] == "=" else 2
            first = paragraph[0][0]
            heading_text = " ".join(part.strip() for _, part in paragraph)
            self.headings.append(Heading(level, heading_text, Span(first, offset + len(content))))
            paragraph.clear()
            return
        if lead in _THEMATIC_LEADS and _THEMATIC.match(content):
            paragraph.clear()
            return
        block = _BLOCK_ID.search(content) if "^" in content else None
        if block is not None:
            at = offset + block.start(1) - 1
            self.block_ids.append(BlockId(block.group(1), Span(at, offset + block.end(1))))
        if item or content.lstrip().startswith(("|", "<")):
            paragraph.clear()
        else:
            paragraph.append((offset, content))


def _atx_text(rest: str) -> str:
    """The text of an ATX heading from what follows its opening hashes, without the optional
    closing sequence (blanks, then hashes)."""
    body = rest.lstrip(" \t")
    if not body:
        return ""
    trimmed = body.rstrip(" \t")
    if trimmed.endswith("#"):
        before = trimmed.rstrip("#")
        if before[-1:] in (" ", "\t"):
            trimmed = before
    return trimmed.strip()


def delimited(text: str, opening: str, closing: str, start: int) -> list[Span]:
    """The spans from each ``opening`` to the next ``closing`` (both included), left to right,
    as ``opening.*?closing`` finds them, but in linear time: an opening never closed ends the
    search, as none after it can close either (the regex would rescan the rest for each)."""
    spans: list[Span] = []
    at = text.find(opening, start)
    while at >= 0:
        close = text.find(closing, at + len(opening))
        if close < 0:
            break
        end = close + len(closing)
        spans.append(Span(at, end))
        at = text.find(opening, end)
    return spans


def _inline_code(masked: str, start: int) -> list[Span]:
    """Code spans, read left to right: inside ``[[...]]`` and inside a Markdown link destination
    ``](...)`` a backtick is an ordinary character (spec §2.1, "Where the link text is read"),
    but a code span that opens first hides the link."""
    spans: list[Span] = []
    runs = [m for m in _BACKTICKS.finditer(masked, start)]
    # without a backtick there is no code span for a link to hold
    literal = _link_texts(masked, start) if runs and ("[[" in masked or "](" in masked) else []
    if literal:
        runs = _outside_links(runs, literal)
    i = 0
    while i < len(runs):
        opening = runs[i]
        if opening.start() > 0 and masked[opening.start() - 1] == "\\":
            i += 1
            continue
        size = opening.end() - opening.start()
        for j in range(i + 1, len(runs)):
            closing = runs[j]
            if _BLANK_LINE.search(masked, opening.end(), closing.start()):
                break
            if closing.end() - closing.start() == size:
                spans.append(Span(opening.start(), closing.end()))
                i = j
                break
        i += 1
    return spans


# Each branch starts with a plain character, so that the regex engine skips to the next of
# those three characters instead of trying every branch at every position.
_LINK_OPENERS = re.compile(r"``*|\[\[|\]\(")


def _link_texts(masked: str, start: int) -> list[Span]:
    """The wikilink bodies and Markdown destinations holding a backtick that no code span
    opened before them hides."""
    found: list[Span] = []
    pos = start
    length = len(masked)
    while pos < length:
        match = _LINK_OPENERS.search(masked, pos)
        if match is None:
            break
        token = match.group()
        at = match.start()
        if token[0] == "`":
            if at > 0 and masked[at - 1] == "\\":
                pos = match.end()
                continue
            closing = _closing_run(masked, match.end(), len(token))
            pos = match.end() if closing < 0 else closing
            continue
        if token == "[[":
            link = _WIKILINK_BODY.match(masked, at)
            if link is None:
                pos = at + 1
                continue
            end = link.end()
        else:
            parsed = _md_destination(masked, at + 2)
            if parsed is None:
                pos = at + 2
                continue
            end = parsed[2]
        if masked.find("`", at, end) >= 0:
            found.append(Span(at, end))
        pos = end
    return found


def _closing_run(masked: str, pos: int, size: int) -> int:
    """Where the code span opened by ``size`` backticks ending at ``pos`` ends; -1: it does not."""
    for run in _BACKTICKS.finditer(masked, pos):
        if _BLANK_LINE.search(masked, pos, run.start()):
            return -1
        if run.end() - run.start() == size:
            return run.end()
    return -1


def _outside_links(runs: list[re.Match[str]], links: list[Span]) -> list[re.Match[str]]:
    return [run for run in runs if not any(s.start <= run.start() < s.end for s in links)]


def _wikilinks(masked: str, text: str, start: int, comments: _Comments) -> list[Link]:
    links: list[Link] = []
    for match in _WIKILINK_BODY.finditer(masked, start):
        at = match.start()
        embed = at > start and masked[at - 1] == "!"
        if embed:
            at -= 1
        if at > 0 and masked[at - 1] == "\\":
            continue
        content = match.group(1)
        body_start = match.start(1)
        pipe = content.find("|")
        if pipe >= 0:
            linktext = content[:pipe]
            display: str | None = content[pipe + 1 :]
            if linktext.endswith("\\"):
                linktext = linktext[:-1]
        else:
            linktext, display = content, None
        hash_at = linktext.find("#")
        path = linktext if hash_at < 0 else linktext[:hash_at]
        subpath = "" if hash_at < 0 else linktext[hash_at + 1 :].strip()
        target = path.strip()
        if not target and not subpath.strip("#^ "):
            continue  # [[]], [[ ]], [[|x]]: not links
        lead = len(path) - len(path.lstrip())
        target_span = Span(body_start + lead, body_start + lead + len(target))
        kind = LinkKind.EMBED if embed else LinkKind.WIKILINK
        span = Span(at, match.end())
        links.append(
            Link(
                kind,
                span,
                text[at : match.end()],
                target,
                subpath,
                display,
                target_span,
                _comment_kind(at, comments),
            )
        )
    return links


class _Finder:
    """``text.find(char, pos)`` remembering its last answer per character: the links of a line
    are parsed left to right, so a ``<`` or a title never closed is searched for once, not
    once per link after it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._last: dict[str, tuple[int, int]] = {}

    def find(self, char: str, pos: int) -> int:
        last = self._last.get(char)
        if last is not None and last[0] <= pos and (last[1] < 0 or last[1] >= pos):
            return last[1]  # nothing between where that search began and what it found
        found = self.text.find(char, pos)
        self._last[char] = (pos, found)
        return found


# Nested parentheses in a destination, as markdown-it (Obsidian's parser) allows: past it the
# destination is not one, and a line of "[a](" is not rescanned to its end for each link.
_MAX_PAREN_DEPTH = 32


def _md_destination(
    text: str, pos: int, finder: _Finder | None = None
) -> tuple[str, int, int] | None:
    """Parse a CommonMark link destination after ``](``: (destination, start, end of link)."""
    find = (finder or _Finder(text)).find
    length = len(text)
    while pos < length and text[pos] in " \t":
        pos += 1
    fast = _PLAIN_DEST.match(text, pos)
    if fast is not None:
        return text[pos : fast.end() - 1], pos, fast.end()
    if pos < length and text[pos] == "<":
        close = find(">", pos)
        newline = find("\n", pos)
        if close < 0 or (0 <= newline < close):
            return None
        dest, dest_start, pos = text[pos + 1 : close], pos + 1, close + 1
    else:
        dest_start = pos
        depth = 0
        while pos < length:
            char = text[pos]
            if char in " \t\n":
                break
            if char == "\\" and pos + 1 < length:
                pos += 2
                continue
            if char == "(":
                depth += 1
                if depth > _MAX_PAREN_DEPTH:
                    return None
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            pos += 1
        dest = text[dest_start:pos]
    while pos < length and text[pos] in " \t":
        pos += 1
    if pos < length and text[pos] in "\"'(":
        closer = ")" if text[pos] == "(" else text[pos]
        close = find(closer, pos + 1)
        if close < 0:
            return None
        pos = close + 1
        while pos < length and text[pos] in " \t":
            pos += 1
    if pos >= length or text[pos] != ")":
        return None
    return dest, dest_start, pos + 1


def _markdown_links(masked: str, text: str, start: int, comments: _Comments) -> list[Link]:
    links: list[Link] = []
    finder = _Finder(masked)
    for match in _MD_LINK_START.finditer(masked, start):
        at = match.start()
        if at > 0 and masked[at - 1] == "\\":
            continue
        parsed = _md_destination(masked, match.end(), finder)
        if parsed is None:
            continue
        dest, dest_start, end = parsed
        angle = dest_start > 0 and masked[dest_start - 1] == "<"
        if not dest or dest.startswith("//") or _SCHEME.match(dest):
            continue  # external: URLs, mailto:, obsidian://
        if "://" in dest and not angle:
            continue  # a URL after some text; in <...>, only a leading scheme is external
        if "{{" in dest or "{%" in dest or "<%" in dest:
            continue  # a template placeholder (Liquid, Templater), filled in later
        hash_at = dest.find("#")
        raw_path = dest if hash_at < 0 else dest[:hash_at]
        subpath = "" if hash_at < 0 else unquote(dest[hash_at + 1 :]).strip()
        kind = LinkKind.MARKDOWN_EMBED if match.group(1) else LinkKind.MARKDOWN
        links.append(
            Link(
                kind,
                Span(at, end),
                text[at:end],
                unquote(raw_path).strip(),
                subpath,
                match.group(2),
                Span(dest_start, dest_start + len(raw_path)),
                _comment_kind(at, comments),
            )
        )
    return links


def _within(offset: int, spans: list[Span]) -> bool:
    return any(span.start <= offset < span.end for span in spans)


def _comment_kind(offset: int, comments: _Comments) -> str | None:
    if not comments.obsidian and not comments.html:
        return None
    if _within(offset, comments.obsidian):
        return "%%"
    if _within(offset, comments.html):
        return "html"
    return None


@dataclass
class _Comments:
    obsidian: list[Span]
    html: list[Span]


def _tags(masked: str, start: int) -> list[Tag]:
    tags: list[Tag] = []
    for match in _TAG.finditer(masked, start):
        at = match.start()
        if at > 0 and not masked[at - 1].isspace():
            continue
        name = match.group(1)
        if name.isdigit() or not any(not c.isdigit() for c in name):
            continue
        tags.append(Tag(name, Span(match.start(), match.end()), TagSource.INLINE))
    return tags


def scan(text: str, start: int) -> ScanResult:
    """Scan ``text`` from offset ``start`` (the end of the frontmatter)."""
    blocks = _BlockScan(text, start)
    code = list(blocks.code)
    masked = blank(text, code)
    inline: list[Span] = []
    if holds(masked, "$$"):
        inline.extend(Span(m.start(), m.end()) for m in _MATH_BLOCK.finditer(masked, start))
        masked = blank(masked, inline)
    if "`" in masked:
        inline.extend(_inline_code(masked, start))
    if "$" in masked:
        inline.extend(Span(m.start(), m.end()) for m in _INLINE_MATH.finditer(masked, start))
    if inline:
        code.extend(inline)
        masked = blank(masked, inline)
    kinds = _Comments([], [])
    if holds(masked, "%%"):
        kinds.obsidian.extend(
            Span(m.start(), m.end()) for m in _OBSIDIAN_COMMENT.finditer(masked, start)
        )
    if holds(masked, "<!--"):
        kinds.html.extend(delimited(masked, "<!--", "-->", start))
    comments = sorted(kinds.obsidian + kinds.html, key=lambda s: s.start)
    links: list[Link] = []
    wiki_spans: list[Span] = []
    if "[[" in masked:
        links = _wikilinks(masked, text, start, kinds)
        wiki_spans = [link.span for link in links]
    link_masked = blank(masked, wiki_spans)
    if "](" in link_masked:
        links.extend(_markdown_links(link_masked, text, start, kinds))
    tags: list[Tag] = []
    if "#" in link_masked:
        # A tag needs whitespace before its "#", so URLs (no spaces) never hold one; HTML
        # attributes do (style="color: #fff").
        if "<" in link_masked:
            html = [Span(m.start(), m.end()) for m in _HTML_TAG.finditer(link_masked, start)]
            link_masked = blank(link_masked, html)
        tags = _tags(link_masked, start)
    block_ids = [b for b in blocks.block_ids if not _within(b.span.start, code)]
    headings = [h for h in blocks.headings if not _within(h.span.start, inline)]
    return ScanResult(
        tuple(sorted(code, key=lambda s: s.start)),
        tuple(comments),
        tuple(headings),
        tuple(block_ids),
        tuple(sorted(links, key=lambda link: link.span.start)),
        tuple(tags),
    )
