"""Looking rules up by code, name or prefix. The list itself lives in ``vaultlint.rules``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import cast

from vaultlint.engine.rule import Rule


def builtin_rules() -> tuple[Rule, ...]:
    from vaultlint.rules import BUILTIN_RULES

    return tuple(cast(Rule, module) for module in BUILTIN_RULES)


def selector_matches(selector: str, rule: Rule) -> bool:
    """``ALL``, a code (``VL101``), a code prefix (``VL1``) or a name (``broken-wikilink``)."""
    selector = selector.strip()
    meta = rule.META
    if selector.upper() == "ALL":
        return True
    if selector.lower() == meta.name:
        return True
    upper = selector.upper()
    return upper.startswith("VL") and meta.code.startswith(upper)


def unknown_selectors(selectors: Iterable[str], rules: Sequence[Rule]) -> list[str]:
    return [s for s in selectors if not any(selector_matches(s, r) for r in rules)]


def find_rule(selector: str, rules: Sequence[Rule] | None = None) -> Rule | None:
    for rule in rules if rules is not None else builtin_rules():
        if selector.lower() == rule.META.name or selector.upper() == rule.META.code:
            return rule
    return None


def select(
    rules: Sequence[Rule],
    select: Sequence[str] | None,
    ignore: Sequence[str],
    extend_select: Sequence[str] = (),
    defaults: Mapping[str, bool] | None = None,
) -> frozenset[str]:
    """The codes of the enabled rules: ``select`` (or the defaults, where ``defaults`` may
    change a rule's for this vault), plus extend, minus ignore."""
    if select is None:
        fitted = defaults or {}
        chosen = {r.META.code for r in rules if fitted.get(r.META.code, r.META.default_on)}
    else:
        chosen = {r.META.code for r in rules if any(selector_matches(s, r) for s in select)}
    chosen |= {r.META.code for r in rules if any(selector_matches(s, r) for s in extend_select)}
    chosen -= {r.META.code for r in rules if any(selector_matches(s, r) for s in ignore)}
    return frozenset(chosen)
