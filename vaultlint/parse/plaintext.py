"""Plain text of inline Markdown (a heading), through mistune's parser: emphasis, code spans,
links and wikilinks reduced to the words a reader sees."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_WIKILINK = re.compile(r"!?\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")


@lru_cache(maxsize=1)
def _parser() -> Any:
    import mistune  # only for notes whose title comes from their first heading

    return mistune.create_markdown(renderer=None, plugins=["strikethrough", "mark"])


def _collect(tokens: list[dict[str, Any]], out: list[str]) -> None:
    for token in tokens:
        if "raw" in token and token.get("type") in ("text", "codespan", "inline_html"):
            out.append(token["raw"])
        elif token.get("type") in ("softbreak", "linebreak"):
            out.append(" ")
        if "children" in token:
            _collect(token["children"], out)


def heading_plain_text(text: str) -> str:
    text = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), text)
    tokens = _parser()(text)
    out: list[str] = []
    _collect(tokens, out)
    return " ".join("".join(out).split())
