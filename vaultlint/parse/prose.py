"""What a spell checker should read in a note, and the words in it.

Prose is the body minus everything that is not written for a reader: frontmatter, code and
math, comments, URLs and e-mail addresses, HTML tags and entities, link targets (the display
text after ``|`` stays), embeds, tags, block ids, footnote labels, callout markers and
Templater/Liquid blocks. The frontmatter ``title:`` value is prose too. Every word keeps its
exact span in the note.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from vaultlint.model.note import LinkKind, Note, Span
from vaultlint.parse.scanner import blank, delimited, holds

# Each kind of noise with the character that must be in the note for it to occur: most notes
# have none of them, and one pass per kind beats one alternation tried at every position.
# Every pattern stops where another match of its own could begin (a "<", a "](", a word
# character before an address), so that a line of unclosed openings costs linear time, not a
# scan to the end of the line from each of them.
_NOISE = (
    ("www.", re.compile(r"www\.[^\s<>()\[\]]*")),
    ("@", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),  # e-mail addresses
    ("<", re.compile(r"</?[A-Za-z][^<>\n]*>")),  # HTML tags
    ("&", re.compile(r"&[A-Za-z]+;|&#\d+;")),  # HTML entities
    ("[^", re.compile(r"\[\^[^\[\]\n]*\]")),  # footnote labels
    ("[!", re.compile(r"\[![\w-]+\][+-]?")),  # callout markers
    (
        "](",  # destinations
        re.compile(
            r"(?<=\])\((?:<[^<>\n]*>|[^)\s\]]*(?:\](?!\()[^)\s\]]*)*)(?:\s+\"[^\"\n]*\")?\)"
        ),
    ),
)
# Templater and Liquid blocks, which may span lines: found by ``delimited`` (linear time).
_BLOCKS = (("<%", "%>"), ("{{", "}}"), ("{%", "%}"))
_DIGIT = re.compile(r"\d")
# Latin-script words only: French and English dictionaries say nothing about other scripts.
_LATIN = re.compile(
    r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f'’-]+"
)
_URL_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([A-Za-z][\w+.-]*:[^)\s\]]*(?:\](?!\()[^)\s\]]*)*)\)")
# A letter may carry combining accents ("Pre\u0301sentation", as macOS writes file text):
# they are not word characters, and a word must not be cut at them.
_WORD = re.compile(r"(?:[^\W_][\u0300-\u036f]*)+(?:['’-](?:[^\W_][\u0300-\u036f]*)+)*")
# The same for the text without combining accents (nearly all): a third faster.
_PLAIN_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_COMBINING = re.compile(r"[\u0300-\u036f]")
# Emphasis inside a word ("autremen**t", "**E**nregistrer"): the word is read whole. Each
# branch starts with its marker and looks behind it for the letter, so that the regex engine
# skips to the next marker instead of trying every position.
_INNER_MARKUP = re.compile(
    r"\*\*(?<=[^\W\d_]\*\*)(?=[^\W\d_])|\*(?<=[^\W\d_]\*)(?=[^\W\d_])"
    r"|==(?<=[^\W\d_]==)(?=[^\W\d_])|~~(?<=[^\W\d_]~~)(?=[^\W\d_])"
)
# Raw HTML code and scripts: <script>, <style>, <pre>, <code> elements.
_HTML_CODE = re.compile(r"<(script|style|pre|code)\b[^<>]*>", re.IGNORECASE)
_MARKERS_ONLY = re.compile(r"\s*(?:[-*+>#]+|\d+[.)])(?:\s*(?:[-*+>#]+|\[.\]))*\s*")


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    span: Span
    sentence_start: bool


def prose_mask(note: Note) -> str:
    """The note text with every non-prose region replaced by spaces (offsets unchanged)."""
    spans: list[Span] = [*note.code, *note.comments]
    if note.frontmatter is not None:
        spans.append(note.frontmatter.span)
    for link in note.links:
        if link.kind is LinkKind.FRONTMATTER:
            continue
        if link.kind is LinkKind.WIKILINK and link.display is not None:
            display_start = link.span.end - 2 - len(link.display)
            spans.append(Span(link.span.start, display_start))
            spans.append(Span(link.span.end - 2, link.span.end))
        elif (
            link.kind is LinkKind.MARKDOWN
            and link.display is not None
            and link.display.strip().casefold() not in link.target.casefold()
        ):
            spans.append(Span(link.span.start, link.span.start + 1))
            spans.append(Span(link.span.start + 1 + len(link.display), link.span.end))
        else:
            spans.append(link.span)
    spans.extend(tag.span for tag in note.tags)
    spans.extend(block.span for block in note.block_ids)
    masked = blank(note.text, spans)
    if "](" in masked:
        # [mgmeyers](https://github.com/mgmeyers): a handle repeated from its URL, not prose
        handles = [
            Span(m.start(1), m.end(1))
            for m in _URL_LINK.finditer(masked, note.body_start)
            if m.group(1).strip().casefold() in m.group(2).casefold()
        ]
        masked = blank(masked, handles)  # blanking again what is blank changes nothing
    noise = [
        Span(m.start(), m.end())
        for trigger, pattern in _NOISE
        if holds(masked, trigger)
        for m in pattern.finditer(masked, note.body_start)
    ]
    for opening, closing in _BLOCKS:
        if holds(masked, opening):
            noise.extend(delimited(masked, opening, closing, note.body_start))
    if "://" in masked:
        noise.extend(_urls(masked, note.body_start))
    if "<" in note.text:
        noise.extend(_html_code(note.text, note.body_start))
    return blank(masked, noise)


def _html_code(text: str, start: int) -> list[Span]:
    """``<script>``, ``<style>``, ``<pre>`` and ``<code>`` elements, to their closing tag (or
    the end of the note); each search starts where the last ended, so linear in the note's
    length. (Not ``text.lower().find``: lower-casing may change a text's length.)"""
    spans: list[Span] = []
    at = start
    while True:
        opening = _HTML_CODE.search(text, at)
        if opening is None:
            return spans
        close = _HTML_CLOSING[opening.group(1).lower()].search(text, opening.end())
        end = len(text) if close is None else close.start()
        spans.append(Span(opening.start(), end))
        at = max(end, opening.end())


_HTML_CLOSING = {
    name: re.compile(f"</{name}", re.IGNORECASE) for name in ("script", "style", "pre", "code")
}


_URL_REST = re.compile(r"://[^\s<>()\[\]]*")
_SCHEME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+.-")


def _urls(text: str, start: int) -> list[Span]:
    """``scheme://rest`` URLs. Found from their "://" (a regex starting with the scheme tries
    every letter of the note); the scheme starts at the first letter of the run before it."""
    spans: list[Span] = []
    end = start
    for m in _URL_REST.finditer(text, start):
        if m.start() < end:
            continue  # inside the URL before it
        k = m.start()
        while k > max(start, end) and text[k - 1] in _SCHEME_CHARS:
            k -= 1
        while k < m.start() and not text[k].isalpha():  # the run is ASCII: a letter
            k += 1
        if k == m.start():
            continue  # no scheme: not a URL
        spans.append(Span(k, m.end()))
        end = m.end()
    return spans


OPENING_TOKENS = 400  # enough words to tell a note's language


@dataclass(frozen=True)
class Prose:
    """A note's prose words: the first ones in order (enough to tell the language), and the
    distinct words as written and case-folded, one per line (a tenth of the memory of a set,
    and what the cache stores). The masked text itself is not kept: ``prose_text`` rebuilds
    it for the few notes with typos."""

    opening: tuple[str, ...]
    distinct: str
    folded: str


def prose_text(note: Note) -> str:
    masked = prose_mask(note)
    title_span = _title_span(note)
    if title_span is not None:
        start, end = title_span.start, title_span.end
        masked = masked[:start] + note.text[start:end] + masked[end:]
    return masked


def prose(note: Note) -> Prose:
    # No token spans white space, so the note's tokens are those of its distinct
    # space-separated chunks: the regex runs on those only, and a chunk of letters alone is
    # a token as it is (a third less time than tokenising the whole text).
    chunks = prose_text(note).split()
    found = set(chunks)
    odd = [chunk for chunk in found if not chunk.isalpha()]
    found.difference_update(odd)
    joined = "\n".join(odd)
    if "*" in joined or "=" in joined or "~" in joined:
        joined = _INNER_MARKUP.sub("", joined)
    word = _WORD if _COMBINING.search(joined) else _PLAIN_WORD
    found.update(word.findall(joined))
    distinct = "\n".join(found)
    # one casefold of all the words joined (no word holds a newline), not one per word; a
    # note without capitals folds to the same words, already distinct
    folded = distinct.casefold()
    if folded != distinct:
        folded = "\n".join(set(folded.split("\n")))
    return Prose(_opening(chunks, OPENING_TOKENS, word), distinct, folded)


def opening_of(text: str) -> tuple[str, ...]:
    """``prose(note).opening`` from the note's ``prose_text`` already at hand (a rule that has
    it tells the language without masking the note a second time)."""
    word = _WORD if _COMBINING.search(text) else _PLAIN_WORD
    return _opening(text.split(), OPENING_TOKENS, word)


def _opening(chunks: list[str], count: int, word: re.Pattern[str]) -> tuple[str, ...]:
    """The first ``count`` tokens, in order."""
    tokens: list[str] = []
    for chunk in chunks:
        if chunk.isalpha():
            tokens.append(chunk)
        else:
            tokens += word.findall(chunk)
        if len(tokens) >= count:
            break
    return tuple(tokens[:count])


def occurrences_of(text: str, words: list[str]) -> list[Word]:
    """Where the tokens equal to one of ``words`` are (as ``_WORD`` cuts the text into
    tokens), found with ``str.find`` rather than by tokenising the whole text again."""
    matches: list[re.Match[str]] = []
    for word in dict.fromkeys(words):
        at = text.find(word)
        while at >= 0:
            if _token_start(text, at):
                match = _WORD.match(text, at)
                if match is not None and match.group() == word:
                    matches.append(match)
            at = text.find(word, at + 1)
    matches.sort(key=lambda m: m.start())
    return _filter_occurrences(text, matches)


def _token_start(text: str, at: int) -> bool:
    """Whether a ``_WORD`` token of ``text`` starts at ``at`` (``text[at]`` is a letter)."""
    if at == 0:
        return True
    before = text[at - 1]
    if before.isalnum():
        return False
    # "l'eau": the token "l'eau" runs on through a joiner between two word characters
    return not (before in "'’-" and at >= 2 and text[at - 2].isalnum())


# Longer "words" are never typed by hand (hashes, DNA, a key held down, "a'a'a'..."): the
# longest words of the French and English dictionaries have 25 to 30 letters, and judging a
# word costs time and memory growing with the square of its length (its one-letter edits).
MAX_WORD_LENGTH = 45


def candidate(word: str) -> bool:
    """Worth checking at all: 3 to 45 letters, Latin script, no digits, not ALL-CAPS or
    camelCase."""
    return (
        3 <= len(word) <= MAX_WORD_LENGTH
        and not _DIGIT.search(word)
        and bool(_LATIN.fullmatch(word))
        and not word.isupper()
        and word[1:] == word[1:].lower()
    )


def _filter_occurrences(text: str, matches: Iterable[re.Match[str]]) -> list[Word]:
    result = []
    for match in matches:
        word = match.group()
        at = match.start()
        before_char = text[at - 1] if at > 0 else " "
        end = match.end()
        after = text[end : end + 2]
        if (
            before_char in "./\\@~$%&=+^|<>"
            or (before_char == "_" and at > 1 and text[at - 2].isalnum())
            or (after[:1] == "_" and after[1:].isalnum())
            or (after[:1] == "*" and before_char != "*" and not after[1:].isalnum())
            or after == "\\'"
            or (after[:1] == "." and after[1:].isalpha())
            or unicodedata.category(before_char) in ("So", "Sk", "Mn")
            or (after[:1] == "-" and text[end + 1 : end + 8].lstrip(" \t")[:1] in ("\n", ""))
        ):
            # a file extension, a path, a handle, an identifier (snake_case), a search
            # wildcard ("conserv*"), "weren\'t", a file or host name ("resolv.conf"), a word
            # cut at the end of a line ("incor-")
            continue
        line_start = text.rfind("\n", 0, at) + 1
        back = at
        while back > line_start and text[back - 1] in "*_=~":
            back -= 1
        if line_start < back < at and text[back - 1].isalpha():
            continue  # **E**nregistrer: the rest of a word split by emphasis
        result.append(Word(word, Span(at, at + len(word)), _sentence_start(text, line_start, at)))
    return result


def words(note: Note) -> list[Word]:
    """Every checkable word with its position (for tests and tools; the rule works by sets)."""
    text = prose_text(note)
    wanted = [w for w in dict.fromkeys(_WORD.findall(text)) if candidate(w)]
    return sorted(occurrences_of(text, wanted), key=lambda w: w.span.start)


def _sentence_start(text: str, line_start: int, at: int) -> bool:
    k = at
    while k > line_start and text[k - 1] in " \t*_\"«“([`'":
        k -= 1
    if k == line_start or text[k - 1] in ".!?:…":
        return True
    return k - line_start < 12 and bool(_MARKERS_ONLY.fullmatch(text, line_start, k))


def _title_span(note: Note) -> Span | None:
    front = note.frontmatter
    title = note.data.get("title")
    if front is None or not isinstance(title, str) or not title.strip():
        return None
    line = front.key_lines.get("title")
    if line is None:
        return None
    offset = front.yaml_span.start
    for _ in range(line):
        offset = note.text.index("\n", offset) + 1
    line_end = note.text.find("\n", offset)
    at = note.text.find(title, offset, line_end if line_end >= 0 else None)
    return Span(at, at + len(title)) if at >= 0 else None
