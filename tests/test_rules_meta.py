"""Every built-in rule has the metadata, options and documentation the engine and users need."""

from __future__ import annotations

import dataclasses
import inspect
import re

from vaultlint.engine.registry import builtin_rules
from vaultlint.engine.rule import (
    FixAvailability,
    RuleMeta,
    RuleOptions,
    as_counting_rule,
    as_vault_rule,
)

SECTIONS = ("## What it does", "## Why it matters", "## Example", "## Fix safety", "## Options")


def test_codes_and_names_are_unique_and_well_formed() -> None:
    rules = builtin_rules()
    codes = [r.META.code for r in rules]
    names = [r.META.name for r in rules]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    for rule in rules:
        assert re.fullmatch(r"VL\d{3}", rule.META.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.META.name)
        module_name = rule.__name__.rsplit(".", 1)[-1]  # type: ignore[attr-defined]
        assert module_name == rule.META.name.replace("-", "_")


def test_each_rule_is_documented_and_typed() -> None:
    for rule in builtin_rules():
        assert isinstance(rule.META, RuleMeta)
        assert issubclass(rule.Options, RuleOptions) and dataclasses.is_dataclass(rule.Options)
        rule.Options()  # defaults are valid
        assert callable(rule.check)
        doc = inspect.getdoc(rule) or ""
        for section in SECTIONS:
            assert section in doc, f"{rule.META.name}: missing {section}"
        if rule.META.fix is FixAvailability.NONE:
            assert "No fix" in doc.split("## Fix safety", 1)[1]


def test_rules_do_no_io() -> None:
    forbidden = re.compile(r"\b(open\(|subprocess|os\.|pathlib|Path\(|print\()")
    for rule in builtin_rules():
        source = inspect.getsource(rule)  # type: ignore[arg-type]
        code = source.split('"""', 2)[-1]  # past the docstring
        assert not forbidden.search(code), f"{rule.META.name} looks like it does I/O"


VAULT_HOOKS = {"collect", "count", "prepare"}  # a rule that defines one declares the typed API


def test_whole_vault_rules_declare_the_typed_api_and_nothing_else() -> None:
    for rule in builtin_rules():
        whole = as_vault_rule(rule)
        if whole is None:
            stray = {name for name in VAULT_HOOKS if hasattr(rule, name)}
            assert not stray, f"{rule.META.name}: {stray} without META.whole_vault"
            continue
        counting = as_counting_rule(rule)
        assert hasattr(rule, "count") == (counting is not None), rule.META.name
        assert list(inspect.signature(whole.collect).parameters) == ["note", "options"]
        prepared = list(inspect.signature(whole.prepare).parameters)
        if counting is not None:
            assert list(inspect.signature(counting.count).parameters) == ["fact"]
            assert prepared == ["vault", "options", "found"]
        else:
            assert prepared == ["vault", "options", "facts"]
        assert list(inspect.signature(whole.check).parameters) == [
            "note",
            "vault",
            "options",
            "state",
        ]
        source = inspect.getsource(rule)  # type: ignore[arg-type]
        assert not re.search(
            r"\bvault\.(lookups|facts|kept|summaries|counts|notes|states)\b", source
        )
