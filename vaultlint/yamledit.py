"""Frontmatter edits that change only what they must, then prove it.

Round-trip dumpers rewrite more than the change (ruamel.yaml re-indents lists and re-spaces
comments; PyYAML drops comments and quotes), which is how frontmatter fixers lose data. So an
edit here is a text edit at a position the YAML parser reports (PyYAML's composed node
tree), with new values rendered so that every YAML 1.1 and 1.2 reader reads back the same
string. ``verified`` then applies the edit, re-parses the note, and accepts it only if the
properties equal exactly the intended ones and the body is byte-identical.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import yaml

from . import frontmatter as fm
from .fixes import apply_fixes
from .model import Note
from .rule import Edit, Fix, Safety

_RISKY_PLAIN = re.compile(
    r"""^(?:[-?:,\[\]{}#&*!|>'"%@`\s]|[0-9+.]|~$)|: |\s#|:$|\s$|^(?:y|n|yes|no|true|false|on|off|null)$""",
    re.IGNORECASE,
)


class EditRefused(Exception):
    """The change cannot be made safely; the message says why."""


def render_scalar(value: str, flow: bool = False) -> str:
    """``value`` as a YAML scalar that every reader reads back as this same string."""
    plain_ok = value and "\n" not in value and not _RISKY_PLAIN.search(value)
    if flow and any(c in value for c in ",[]{}"):
        plain_ok = False  # flow indicators inside [ ] or { }
    if plain_ok and value.isprintable() and _reads_back(value, value):
        return value
    if value.isprintable() and "\n" not in value:
        quoted = "'" + value.replace("'", "''") + "'"
        if _reads_back(quoted, value):
            return quoted
    return str(json.dumps(value, ensure_ascii=False))  # JSON strings are YAML double-quoted scalars


def _reads_back(rendered: str, value: str) -> bool:
    try:
        data = yaml.safe_load(f"k: {rendered}\n")
    except yaml.YAMLError:
        return False
    return isinstance(data, dict) and data.get("k") == value and isinstance(data["k"], str)


def _compose(note: Note) -> yaml.MappingNode | None:
    front = note.frontmatter
    if front is None:
        return None
    source = note.text[front.yaml_span.start : front.yaml_span.end]
    node = yaml.compose(source, Loader=yaml.SafeLoader) if source.strip() else None
    if node is not None and not isinstance(node, yaml.MappingNode):
        raise EditRefused("the frontmatter is not a mapping")
    return node


def is_flow(note: Note) -> bool:
    node = _compose(note)
    return node is not None and bool(node.flow_style)


def _key_indent(note: Note, node: yaml.MappingNode | None) -> str:
    if node is None or not node.value:
        return ""
    column: int = node.value[0][0].start_mark.column
    return " " * column


def insert_key(note: Note, key: str, rendered: str, first: bool = True) -> Edit:
    """Add ``key: rendered`` as the first (or last) property; create a frontmatter if none."""
    front = note.frontmatter
    line = f"{key}: {rendered}\n"
    if front is None:
        return Edit.insert(0, "---\n" + line + "---\n")
    node = _compose(note)
    if node is not None and node.flow_style:
        return _insert_flow(note, node, f"{key}: {rendered}", first)
    line = _key_indent(note, node) + line
    if first or node is None:
        at = front.yaml_span.start
        if node is not None:
            # keep a leading comment block attached to the top: insert before the first key
            at = front.yaml_span.start + _line_start(note, front.yaml_span.start, node.value[0][0])
        return Edit.insert(at, line)
    # last: after the last non-blank line, so blank lines before the closing --- stay there
    end = front.yaml_span.end
    text = note.text
    while end > front.yaml_span.start and text[end - 2 : end] == "\n\n":
        end -= 1
    if end > front.yaml_span.start and text[end - 1] != "\n":
        return Edit.insert(end, "\n" + line.rstrip("\n"))
    return Edit.insert(end, line)


def _insert_flow(note: Note, node: yaml.MappingNode, pair: str, first: bool) -> Edit:
    """``{a: 1}`` (JSON-style frontmatter): add the pair inside the braces."""
    assert note.frontmatter is not None
    base = note.frontmatter.yaml_span.start
    if not node.value:
        close = base + node.end_mark.index - 1
        return Edit.insert(close, pair)
    if first:
        return Edit.insert(base + node.value[0][0].start_mark.index, pair + ", ")
    return Edit.insert(base + node.value[-1][1].end_mark.index, ", " + pair)


def _line_start(note: Note, base: int, key_node: yaml.Node) -> int:
    index = key_node.start_mark.index
    source = note.text[base : base + index]
    return source.rfind("\n") + 1


def replace_value(note: Note, key: str, rendered: str) -> Edit:
    """Replace the value of top-level ``key`` (kept: the key, its spacing, a trailing comment)."""
    front = note.frontmatter
    node = _compose(note)
    if front is None or node is None:
        raise EditRefused(f"no {key!r} property to replace")
    base = front.yaml_span.start
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            if not isinstance(value_node, yaml.ScalarNode):
                raise EditRefused(f"{key!r} holds a list or mapping")
            start, end = value_node.start_mark.index, value_node.end_mark.index
            if start == end:  # "title:" with nothing after it
                colon = note.text.index(":", base + key_node.end_mark.index)
                return Edit.insert(colon + 1, " " + rendered)
            if value_node.style in ("|", ">"):
                raise EditRefused(f"{key!r} is a block scalar")
            return Edit(base + start, base + end, rendered)
    raise EditRefused(f"no {key!r} property to replace")


def sequence_items(note: Note, key: str) -> tuple[yaml.SequenceNode, list[yaml.Node]] | None:
    node = _compose(note)
    if node is None:
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            if isinstance(value_node, yaml.SequenceNode):
                return value_node, list(value_node.value)
            return None
    return None


def verified(
    note: Note,
    edits: Sequence[Edit],
    expect: Callable[[dict[str, Any]], dict[str, Any]],
    title: str,
    safety: Safety = Safety.SAFE,
) -> Fix:
    """A fix for ``edits`` if, applied, the properties are exactly ``expect(old)`` and the body
    is unchanged; raise ``EditRefused`` otherwise."""
    fix = Fix(title, tuple(edits), safety)
    new_text, applied = apply_fixes(note.text, [fix])
    if not applied:
        raise EditRefused("the edits overlap")
    new_front = fm.parse(new_text)
    if new_front is None or new_front.error is not None or new_front.data is None:
        raise EditRefused("the result would not parse as a frontmatter")
    wanted = expect(dict(note.data))
    if new_front.data != wanted or list(new_front.data) != list(wanted):
        raise EditRefused("the result would not read back as the intended properties")
    old_body = note.text[note.body_start :]
    if new_text[new_front.span.end :] != old_body:
        raise EditRefused("the result would change the note body")
    return fix
