"""Finding and reading a note's YAML frontmatter, with exact offsets.

Reading uses PyYAML's C loader (safe: YAML tags never construct objects), the fastest safe
loader there is; rewriting goes through ``vaultlint.edit.yamledit`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from vaultlint.model.note import Frontmatter, FrontmatterError, Span

_DELIMITER = re.compile(r"---[ \t]*(?:\n|\Z)")
_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml: same answers, slower
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader that refuses duplicate keys and keeps impossible dates as text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                ident = (key_node.tag, key_node.value)
                if ident in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                    )
                seen.add(ident)
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # "2024-13-45": Obsidian keeps it as an invalid date, not an error
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def split(text: str) -> tuple[Span, Span] | None:
    """Return (whole block span, YAML span) when ``text`` opens with a frontmatter block.

    The block starts with a ``---`` first line and ends at the next ``---`` line; without a
    closing line there is no frontmatter (the ``---`` is a thematic break).
    """
    first = _DELIMITER.match(text)
    if first is None:
        return None
    yaml_start = first.end()
    if yaml_start == len(text) and not text.endswith("\n"):
        return None
    close = _CLOSING.search(text, yaml_start)
    if close is None:
        return None
    end = close.end()
    if end < len(text) and text[end] == "\n":
        end += 1
    return Span(0, end), Span(yaml_start, close.start())


def parse(text: str) -> Frontmatter | None:
    spans = split(text)
    if spans is None:
        return None
    block, yaml_span = spans
    source = text[yaml_span.start : yaml_span.end]
    if not source.strip():
        return Frontmatter(block, yaml_span, {})
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        return Frontmatter(block, yaml_span, None, _yaml_error(exc, text, yaml_span))
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        message = f"invalid YAML: {exc}"
        return Frontmatter(block, yaml_span, None, FrontmatterError(message, yaml_span.start))
    finally:
        loader.dispose()
    if data is None:
        return Frontmatter(block, yaml_span, {})
    if not isinstance(data, dict):
        error = FrontmatterError(
            f"frontmatter is a {type(data).__name__}, not a mapping of properties", yaml_span.start
        )
        return Frontmatter(block, yaml_span, None, error)
    key_lines = {
        str(key.value): key.start_mark.line
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return Frontmatter(block, yaml_span, data, None, key_lines)


def _yaml_error(exc: yaml.MarkedYAMLError, text: str, yaml_span: Span) -> FrontmatterError:
    problem = exc.problem or exc.context or "invalid YAML"
    mark, context = exc.problem_mark, exc.context_mark
    message = f"invalid YAML: {problem}"
    if context is not None and exc.context and context is not mark:
        line = text.count("\n", 0, yaml_span.start + context.index) + 1
        message += f" ({exc.context} at line {line}, column {context.column + 1})"
    if mark is None or yaml_span.start + mark.index >= yaml_span.end:
        mark = context or mark  # "end of stream" points past the YAML: show where it began
    offset = yaml_span.start + (mark.index if mark is not None else 0)
    return FrontmatterError(message, min(offset, max(yaml_span.end - 1, yaml_span.start)))


def iter_strings(value: Any, limit: int = 100_000) -> Iterator[str]:
    """Every string inside ``value``, each container visited once.

    YAML aliases share containers, so an alias bomb ("billion laughs") is a small graph with
    an astronomical number of paths; visiting by identity keeps the walk linear.
    """
    seen: set[int] = set()
    stack = [value]
    budget = limit
    while stack and budget > 0:
        budget -= 1
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, (list, tuple, dict)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, dict):
                stack.extend(reversed(list(item.values())))
            else:
                stack.extend(reversed(item))


def same_data(first: Any, second: Any) -> bool:
    """``first == second`` for parsed YAML, comparing each pair of containers once: ``==``
    walks every path of an alias bomb (astronomically many), this walks its few nodes."""
    compared: set[tuple[int, int]] = set()
    stack = [(first, second)]
    while stack:
        a, b = stack.pop()
        if a is b:
            continue
        if isinstance(a, (dict, list, tuple)) or isinstance(b, (dict, list, tuple)):
            pair = (id(a), id(b))
            if pair in compared:
                continue
            compared.add(pair)
            if isinstance(a, dict) and isinstance(b, dict):
                if a.keys() != b.keys():
                    return False
                stack.extend((a[key], b[key]) for key in a)
            elif (isinstance(a, list) and isinstance(b, list)) or (
                isinstance(a, tuple) and isinstance(b, tuple)
            ):
                if len(a) != len(b):
                    return False
                stack.extend(zip(a, b, strict=True))
            else:
                return False
        elif a != b:
            return False
    return True


def string_list(value: Any) -> list[str]:
    """A list-valued property (``tags``, ``aliases``) the way Obsidian coerces it."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None and not isinstance(v, (list, dict))]
    return [str(value)]


def tag_values(value: Any) -> list[str]:
    """Tags from a ``tags`` property: lists, or a string split on commas and spaces."""
    names: list[str] = []
    for item in string_list(value):
        for part in re.split(r"[,\s]+", item):
            part = part.strip().lstrip("#")
            if part:
                names.append(part)
    return names
