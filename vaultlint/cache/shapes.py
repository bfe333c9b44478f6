"""What the note store reads back is checked, not trusted: each value must have the type and
range that vaultlint writes, else it counts as missing (the note is read again).

A rule's facts are checked against its ``collect``'s return annotation (``list[str]``,
``dict[str, int] | None``, ...), and by the rule's own ``valid_fact(value) -> bool`` where it
has one (for what a type cannot say: a list of exactly four texts).
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

Check = Callable[[Any], bool]
_MAX_INT = 1 << 62


def valid_summary(data: Any) -> bool:
    """Whether ``data`` is a note summary as ``NoteSummary.encode`` writes it."""
    if not isinstance(data, list) or len(data) != 7:
        return False
    headings, blocks, readable, title, aliases, links, embeds = data
    return (
        _texts(headings)
        and _texts(blocks)
        and type(readable) is bool
        and (title is None or type(title) is str)
        and _texts(aliases)
        and isinstance(links, list)
        and all(isinstance(pair, list) and len(pair) == 2 and _texts(pair) for pair in links)
        and isinstance(embeds, list)
        and all(type(i) is int and 0 <= i < len(links) for i in embeds)
    )


def valid_findings(raw: str) -> bool:
    """Whether a note's stored grammar findings are as ``Finding.encode`` writes them."""
    try:
        found = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return isinstance(found, list) and all(
        isinstance(f, list)
        and len(f) == 7
        and all(type(n) is int and 0 <= n < _MAX_INT for n in f[:3])
        and all(type(t) is str for t in f[3:6])
        and _texts(f[6])
        for f in found
    )


def valid_count(n: Any) -> bool:
    """A vault-wide count: positive (the store keeps no zero), and no larger than a vault."""
    return type(n) is int and 0 < n < _MAX_INT


def valid_carried(carried: Mapping[str, Any]) -> dict[str, Any]:
    """What a whole-vault run left for partial runs, without the entries of the wrong shape:
    the fitted defaults' title counts (two counts), the typo rules' plans (texts). Another
    counting rule's part (``<code>.<key>``) is plain JSON that rule reads back itself."""
    kept: dict[str, Any] = {}
    for key, value in carried.items():
        if key == "fit.titles":
            ok = isinstance(value, list) and len(value) == 2
            ok = ok and all(type(n) is int and 0 <= n < _MAX_INT for n in value)
        elif ".plan" in key:
            ok = _texts(value)
        else:
            ok = True
        if ok:
            kept[key] = value
    return kept


def fact_checks(rules: Iterable[Any]) -> dict[str, Check]:
    """For each rule that collects facts, the check of a stored fact."""
    checks: dict[str, Check] = {}
    for rule in rules:
        collect = getattr(rule, "collect", None)
        if collect is None:
            continue
        own: Check | None = getattr(rule, "valid_fact", None)
        try:
            declared = typing.get_type_hints(collect).get("return", Any)
        except Exception:  # an annotation that cannot be resolved says nothing
            declared = Any
        checks[rule.META.code] = _both(declared, own)
    return checks


def _both(declared: Any, own: Check | None) -> Check:
    def check(value: Any) -> bool:
        return matches(value, declared) and (own is None or bool(own(value)))

    return check


def matches(value: Any, declared: Any) -> bool:
    """Whether a JSON value fits a type annotation (a tuple or a sequence is a JSON list)."""
    if declared is Any or declared is object or isinstance(declared, typing.TypeVar):
        return True
    if declared is None or declared is type(None):
        return value is None
    if declared in (str, int, bool):
        return type(value) is declared and (declared is not int or abs(value) < _MAX_INT)
    if declared is float:
        return type(value) in (int, float)
    origin, args = typing.get_origin(declared), typing.get_args(declared)
    if origin is typing.Union or origin is types.UnionType:
        return any(matches(value, a) for a in args)
    if origin is typing.Literal:
        return any(type(value) is type(a) and value == a for a in args)
    if origin is tuple:
        if not isinstance(value, list):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(matches(v, args[0]) for v in value)
        return len(value) == len(args) and all(
            matches(v, a) for v, a in zip(value, args, strict=True)
        )
    if origin in (list, set, frozenset) or _is(origin, Sequence):
        item = args[0] if args else Any
        return isinstance(value, list) and all(matches(v, item) for v in value)
    if origin is dict or _is(origin, Mapping):
        item = args[1] if len(args) == 2 else Any
        return isinstance(value, dict) and all(
            type(k) is str and matches(v, item) for k, v in value.items()
        )
    if declared in (list, dict):
        return type(value) is declared
    return False  # a class JSON cannot hold


def _is(origin: Any, base: type) -> bool:
    return isinstance(origin, type) and issubclass(origin, base) and origin is not str


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(type(v) is str for v in value)
