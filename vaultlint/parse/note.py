"""Building a ``Note`` from its text: frontmatter, body scan, frontmatter tags and links."""

from __future__ import annotations

import re

from vaultlint.model.note import (
    Frontmatter,
    LineIndex,
    Link,
    LinkKind,
    Note,
    SourceText,
    Span,
    Tag,
    TagSource,
)
from vaultlint.parse import frontmatter as fm
from vaultlint.parse.scanner import WIKILINK, ScanResult, scan

_TOP_KEY = re.compile(r"^([^\s#:][^:\n]*?):(?:[ \t]|$)", re.MULTILINE)


def parse_note(path: str, source: SourceText) -> Note:
    return parse_note_scan(path, source)[0]


def parse_note_scan(
    path: str, source: SourceText, cached: ScanResult | None = None
) -> tuple[Note, ScanResult]:
    """The note, and what its body scan found (``cached`` when the body is known already)."""
    text = source.text
    front = fm.parse(text)
    body_start = front.span.end if front is not None else 0
    result = cached if cached is not None else scan(text, body_start)
    links = result.links
    tags = result.tags
    if front is not None and front.data:
        links = _frontmatter_links(text, front) + links
        tags = _frontmatter_tags(text, front) + tags
    note = Note(
        path=path,
        source=source,
        frontmatter=front,
        body_start=body_start,
        links=links,
        tags=tags,
        headings=result.headings,
        block_ids=result.block_ids,
        code=result.code,
        comments=result.comments,
        lines=LineIndex(text),
    )
    return note, result


def key_span(text: str, front: Frontmatter, key: str) -> Span:
    """Where top-level ``key`` is written in the frontmatter (the block start if unknown)."""
    line = front.key_lines.get(key)
    if line is None:
        return Span(front.span.start, front.span.start + 3)
    offset = front.yaml_span.start
    for _ in range(line):
        offset = text.index("\n", offset) + 1
    return Span(offset, offset + len(key))


def _key_at(text: str, front: Frontmatter, offset: int) -> str | None:
    """The top-level key whose value contains ``offset``."""
    found: str | None = None
    for match in _TOP_KEY.finditer(text, front.yaml_span.start, front.yaml_span.end):
        if match.start() > offset:
            break
        found = match.group(1).strip().strip("\"'")
    return found


def _frontmatter_links(text: str, front: Frontmatter) -> tuple[Link, ...]:
    """Quoted ``"[[target]]"`` property values (Obsidian 1.4+ frontmatter links)."""
    yaml_text = text[front.yaml_span.start : front.yaml_span.end]
    if "[[" not in yaml_text:
        return ()
    values = [s for s in fm.iter_strings(front.data) if "[[" in s]
    if not values:
        return ()
    links: list[Link] = []
    for match in WIKILINK.finditer(text, front.yaml_span.start, front.yaml_span.end):
        raw = match.group(0)
        if not any(raw in value for value in values):
            continue  # unquoted [[x]] is a nested YAML list, not a link
        content = match.group(2)
        linktext = content.split("|", 1)[0]
        display = content.split("|", 1)[1] if "|" in content else None
        path, _, subpath = linktext.partition("#")
        target = path.strip()
        if not target and not subpath.strip():
            continue
        lead = len(path) - len(path.lstrip())
        start = match.start(2) + lead
        links.append(
            Link(
                LinkKind.FRONTMATTER,
                Span(match.start(), match.end()),
                raw,
                target,
                subpath.strip(),
                display,
                Span(start, start + len(target)),
                key=_key_at(text, front, match.start()),
            )
        )
    return tuple(links)


def _frontmatter_tags(text: str, front: Frontmatter) -> tuple[Tag, ...]:
    data = front.data or {}
    if "tags" not in data:
        return ()
    names = fm.tag_values(data["tags"])
    if not names:
        return ()
    anchor = key_span(text, front, "tags")
    tags: list[Tag] = []
    search_from = anchor.start
    for name in names:
        at = text.find(name, search_from, front.yaml_span.end)
        if at < 0:
            span = anchor
        else:
            span = Span(at, at + len(name))
            search_from = span.end
        tags.append(Tag(name, span, TagSource.FRONTMATTER))
    return tuple(tags)
