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
from functools import lru_cache
from typing import Any

import yaml

from vaultlint.edit.apply import apply_fixes
from vaultlint.model.fix import Edit, Fix, Safety
from vaultlint.model.note import Note
from vaultlint.parse import frontmatter as fm

# libyaml's parser when PyYAML has it (the one that loads the frontmatter): the same values,
# nodes and marks as the Python one (checked on every frontmatter of the corpora), much faster
_COMPOSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        data = yaml.load(f"k: {rendered}\n", Loader=_COMPOSER)
    except yaml.YAMLError:
        return False
    return isinstance(data, dict) and data.get("k") == value and isinstance(data["k"], str)


def _compose(note: Note) -> yaml.MappingNode | None:
    front = note.frontmatter
    if front is None:
        return None
    node = _compose_text(note.text[front.yaml_span.start : front.yaml_span.end])
    if node is not None and not isinstance(node, yaml.MappingNode):
        raise EditRefused("the frontmatter is not a mapping")
    return node


@lru_cache(maxsize=16)  # a fix asks about the same frontmatter several times
def _compose_text(source: str) -> yaml.Node | None:
    return yaml.compose(source, Loader=_COMPOSER) if source.strip() else None


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


def verified(
    note: Note,
    edits: Sequence[Edit],
    expect: Callable[[dict[str, Any]], dict[str, Any]],
    title: str,
    safety: Safety = Safety.SAFE,
    body_edits: Sequence[Edit] = (),
) -> Fix:
    """A fix for ``edits`` (in the frontmatter) and ``body_edits`` if, applied, the properties
    are exactly ``expect(old)`` and the body is exactly the old body with ``body_edits`` made;
    raise ``EditRefused`` otherwise."""
    fix = Fix(title, (*edits, *body_edits), safety)
    new_text, applied = apply_fixes(note.text, [fix])
    if not applied:
        raise EditRefused("the edits overlap")
    new_front = fm.parse(new_text)
    if new_front is None or new_front.error is not None or new_front.data is None:
        raise EditRefused("the result would not parse as a frontmatter")
    wanted = expect(dict(note.data))
    if not fm.same_data(new_front.data, wanted) or list(new_front.data) != list(wanted):
        raise EditRefused("the result would not read back as the intended properties")
    old_body = note.text[note.body_start :]
    if body_edits:
        shifted = [
            Edit(e.start - note.body_start, e.end - note.body_start, e.replacement)
            for e in body_edits
        ]
        old_body = apply_fixes(old_body, [Fix(title, tuple(shifted))])[0]
    if new_text[new_front.span.end :] != old_body:
        raise EditRefused("the result would change the note body")
    return fix


def _node_for(note: Note, key: str) -> tuple[int, yaml.Node, yaml.Node] | None:
    node = _compose(note)
    if node is None or note.frontmatter is None:
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return note.frontmatter.yaml_span.start, key_node, value_node
    return None


def add_list_items(note: Note, key: str, items: Sequence[str]) -> list[Edit]:
    """Append ``items`` to the list property ``key`` (created as a flow list if absent)."""
    if not items:
        return []
    found = _node_for(note, key)
    if found is None:
        rendered = "[" + ", ".join(render_scalar(i, flow=True) for i in items) + "]"
        return [insert_key(note, key, rendered, first=False)]
    base, key_node, value = found
    text = note.text
    if isinstance(value, yaml.ScalarNode) and value.value == "" and value.tag.endswith(":null"):
        colon = text.index(":", base + key_node.end_mark.index)
        rendered = "[" + ", ".join(render_scalar(i, flow=True) for i in items) + "]"
        return [Edit.insert(colon + 1, " " + rendered)]
    if not isinstance(value, yaml.SequenceNode):
        raise EditRefused(f"{key!r} is not a list")
    if value.flow_style:
        close = base + value.end_mark.index - 1
        sep = ", " if value.value else ""
        return [Edit.insert(close, sep + ", ".join(render_scalar(i, flow=True) for i in items))]
    last = value.value[-1]
    line_start = text.rfind("\n", 0, base + last.start_mark.index) + 1
    prefix = text[line_start : base + last.start_mark.index]
    if prefix.strip() != "-":
        raise EditRefused(f"{key!r} items are not one per line")
    line_end = text.find("\n", base + last.end_mark.index)
    if line_end < 0:
        raise EditRefused("the frontmatter ends without a newline")
    lines = "".join(f"{prefix}{render_scalar(i)}\n" for i in items)
    return [Edit.insert(line_end + 1, lines)]


def remove_list_items(note: Note, key: str, unwanted: Callable[[str], bool]) -> list[Edit]:
    """Remove the items of list property ``key`` for which ``unwanted(item)`` is true."""
    found = _node_for(note, key)
    if found is None:
        return []
    base, key_node, value = found
    text = note.text
    if not isinstance(value, yaml.SequenceNode):
        if isinstance(value, yaml.ScalarNode) and unwanted(value.value):
            return [Edit(base + value.start_mark.index, base + value.end_mark.index, "[]")]
        return []
    items = value.value
    drop = [
        i
        for i, item in enumerate(items)
        if isinstance(item, yaml.ScalarNode) and unwanted(item.value)
    ]
    if not drop:
        return []
    if len(drop) == len(items):
        start = base + key_node.end_mark.index
        colon = text.index(":", start)
        end = base + value.end_mark.index
        if not value.flow_style:
            end = text.find("\n", base + items[-1].end_mark.index)
        return [Edit(colon + 1, end, " []")]
    edits = []
    for i in drop:
        item = items[i]
        start, end = base + item.start_mark.index, base + item.end_mark.index
        if value.flow_style:
            if i + 1 < len(items):
                end = base + items[i + 1].start_mark.index
            else:
                start = base + items[i - 1].end_mark.index
            edits.append(Edit(start, end, ""))
        else:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            edits.append(Edit(line_start, line_end + 1 if line_end >= 0 else len(text), ""))
    return _merge_adjacent(edits)


def _merge_adjacent(edits: list[Edit]) -> list[Edit]:
    merged: list[Edit] = []
    for edit in sorted(edits, key=lambda e: e.start):
        if (
            merged
            and merged[-1].end >= edit.start
            and not merged[-1].replacement
            and not edit.replacement
        ):
            merged[-1] = Edit(merged[-1].start, max(merged[-1].end, edit.end), "")
        else:
            merged.append(edit)
    return merged
