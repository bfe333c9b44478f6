"""Writing the path of a link to a given file, in the style the link is already written in.

Spec ``obsidian-markdown.md`` §2.2: Obsidian writes a new link as the file name when that name
is unique in the vault (``shortest``), as a path from the linking note's folder (``relative``)
or as the full vault path (``absolute``), as ``newLinkFormat`` in ``.obsidian/app.json`` says.
A link that must be rewritten keeps its own style when that style can be told from how it is
written (a bare name, ``./`` or ``../``, a full vault path); otherwise the setting decides.
It also keeps its small habits: a leading ``/`` or ``./``, ``.md`` written or left out, and, in
a Markdown destination, which characters were percent-encoded and whether it used ``<...>``.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from vaultlint.model.note import Link, LinkKind, without_md
from vaultlint.vault.index import fold

STYLES = ("shortest", "relative", "absolute")
_ENCODED = re.compile(r"%([0-9A-Fa-f]{2})")
# what a Markdown destination can never hold literally (the scanner would end or split it)
_ALWAYS_ENCODED = frozenset(" \t<>%#\\")


@dataclass(frozen=True)
class Written:
    """How one link writes its path: its style and its habits."""

    style: str  # one of STYLES
    setting: str  # newLinkFormat: the style to use when the link's own cannot be kept
    markdown: bool
    with_md: bool  # ".md" written for a note
    leading_slash: bool
    leading_dot: bool  # "./" before a path that does not climb
    angle: bool  # a Markdown destination in <...>
    encoded: frozenset[str]  # ASCII characters the destination percent-encoded
    encode_non_ascii: bool


def is_markdown(link: Link) -> bool:
    return link.kind in (LinkKind.MARKDOWN, LinkKind.MARKDOWN_EMBED)


def _same(written: str, path: str) -> bool:
    """Whether a linkpath names ``path`` exactly (with or without ``.md``)."""
    folded = fold(written)
    return folded in (fold(path), fold(without_md(path)))


def written_as(link: Link, raw: str, source: str, target: str, setting: str) -> Written:
    """The style of ``link`` (whose linkpath is written ``raw``) from note ``source`` to file
    ``target``; ``setting`` (``newLinkFormat``) decides when the link fits several or none."""
    path = link.target
    fits: list[str] = []
    if path.startswith(("./", "../")):
        fits.append("relative")
    else:
        bare = path.lstrip("/")
        if "/" not in bare and not path.startswith("/"):
            fits.append("shortest")
        if _same(bare, target):
            fits.append("absolute")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if not path.startswith("/") and _same(joined, target):
            fits.append("relative")
    style = setting if setting in fits or not fits else fits[0]
    markdown = is_markdown(link)
    encoded = frozenset(
        chr(int(code, 16)) for code in _ENCODED.findall(raw) if int(code, 16) < 0x80
    )
    return Written(
        style=style if style in STYLES else "shortest",
        setting=setting if setting in STYLES else "shortest",
        markdown=markdown,
        with_md=path.lower().endswith(".md"),
        leading_slash=path.startswith("/"),
        leading_dot=path.startswith("./"),
        angle=markdown and _before_path(link) == "<",
        encoded=encoded,
        encode_non_ascii=any(int(code, 16) >= 0x80 for code in _ENCODED.findall(raw)),
    )


def _before_path(link: Link) -> str:
    at = link.target_span.start - link.span.start
    return link.raw[at - 1 : at] if at > 0 else ""


def name_counts(files: Iterable[str]) -> Counter[str]:
    """How many files bear each file name (folded): Obsidian's test for ``shortest``."""
    return Counter(fold(f.rsplit("/", 1)[-1]) for f in files)


def linkpaths(how: Written, source: str, target: str, names: Counter[str]) -> list[str]:
    """Decoded linkpaths that may name ``target`` from ``source``: the link's own style first,
    then the setting's, then the others (the caller keeps the first the resolver agrees with).
    ``shortest`` is a name only when no other file bears it, as Obsidian writes it."""
    is_note = target.lower().endswith(".md")
    shown = target if (not is_note or how.with_md) else without_md(target)
    name = shown.rsplit("/", 1)[-1]
    relative = posixpath.relpath(shown, posixpath.dirname(source) or ".")
    if how.leading_dot and not relative.startswith("../"):
        relative = "./" + relative
    absolute = "/" + shown if how.leading_slash else shown
    forms = {
        "shortest": [name] if names[fold(target.rsplit("/", 1)[-1])] <= 1 else [],
        "relative": [relative],
        "absolute": [absolute],
    }
    order = [how.style, how.setting, "absolute", "relative"]
    found: list[str] = []
    for style in order:
        for form in forms[style]:
            if form not in found:
                found.append(form)
    if shown not in found:
        found.append(shown)
    return found


def encode(linkpath: str, how: Written) -> str:
    """The linkpath as it is written in the link's text."""
    if not how.markdown:
        return linkpath
    # inside <...>: only what the original encoded, and what would end it or be decoded
    keep = how.encoded | ({"<", ">", "%"} if how.angle else _ALWAYS_ENCODED)
    parts: list[str] = []
    for char in linkpath:
        code = ord(char)
        control = code < 0x20 or code == 0x7F
        if char in keep or control or (code >= 0x80 and how.encode_non_ascii):
            parts.append(quote(char, safe=""))
        else:
            parts.append(char)
    text = "".join(parts)
    # a lone parenthesis would end the destination early: encode unbalanced ones
    if not how.angle and text.count("(") != text.count(")"):
        text = text.replace("(", "%28").replace(")", "%29")
    return text


def decoded(written: str, how: Written) -> str:
    """What the scanner reads back from ``written``: the link's ``target``."""
    return unquote(written).strip() if how.markdown else written.strip()
