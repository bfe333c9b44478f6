"""The notes a JSON Canvas (``.canvas``) reaches, for the backlinks rules see.

Obsidian's Canvas keeps each card that shows a vault file as ``{"type": "file", "file":
"Folder/Note.md"}``, and a text card's Markdown as ``{"type": "text", "text": "..."}``, whose
links are read as a note's. A canvas that cannot be read, or is not such JSON, reaches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from vaultlint.disk.smallfile import SmallFileError, read_json
from vaultlint.parse.decode import from_text
from vaultlint.parse.note import parse_note


def canvas_cards(root: Path, paths: Iterable[str], max_bytes: int) -> dict[str, tuple[str, ...]]:
    """For each ``.canvas`` of ``paths``, the vault paths of its file cards and the link
    targets of its text cards."""
    found: dict[str, tuple[str, ...]] = {}
    for path in paths:
        if not path.lower().endswith(".canvas"):
            continue
        try:
            data = read_json(root / path, max_bytes)
        except (SmallFileError, ValueError):
            continue
        found[path] = tuple(sorted(set(_files(data))))
    return found


def _files(data: Any) -> Iterable[str]:
    nodes = data.get("nodes") if isinstance(data, dict) else None
    for node in nodes if isinstance(nodes, list) else ():
        if not isinstance(node, dict):
            continue
        if node.get("type") == "file" and isinstance(node.get("file"), str):
            yield node["file"]
        elif node.get("type") == "text" and isinstance(node.get("text"), str):
            card = parse_note("card.md", from_text(node["text"]))
            yield from (link.target for link in card.links)
