"""What a rule is: metadata, options, the violations it yields and the fixes they carry.

A rule is a module in ``rules/`` with ``META`` (a ``RuleMeta``), an ``Options`` frozen
dataclass (its fields are the rule's options; unknown keys are config errors), and
``check(note, vault, options)`` yielding ``Violation``s (``Rule``). A rule that needs facts
gathered from the whole vault declares ``META.whole_vault`` and follows ``VaultRule``
instead (or ``CountingRule``, with ``META.counts``, when vault-wide counts are what it
needs). Its docstring is its documentation. Rules do no I/O: everything they may look at
is on the note and the read-only vault.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from vaultlint.model.fix import Edit as Edit
from vaultlint.model.fix import Fix as Fix
from vaultlint.model.fix import Safety as Safety
from vaultlint.model.fix import Violation as Violation

if TYPE_CHECKING:
    from vaultlint.model.note import Note
    from vaultlint.vault.tally import Tally
    from vaultlint.vault.view import Vault, VaultView


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FixAvailability(str, enum.Enum):
    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@dataclass(frozen=True, slots=True)
class RuleMeta:
    code: str  # stable, never reused: VL0xx engine, VL1xx links, VL2xx frontmatter, ...
    name: str  # kebab-case
    summary: str  # one line for `vaultlint rules`
    severity: Severity = Severity.ERROR
    default_on: bool = True
    fix: FixAvailability = FixAvailability.NONE
    needs: frozenset[str] = frozenset()  # vault services the engine must provide ("history")
    reads_unreadable: bool = False  # also sees notes that could not be read
    needs_valid_frontmatter: bool = False  # skipped on notes whose YAML does not parse
    whole_vault: bool = False  # the module is a ``VaultRule``: collect, prepare, check(state)
    counts: bool = False  # (with ``whole_vault``) a ``CountingRule``: its prepare reads counts


@dataclass(frozen=True)
class RuleOptions:
    """Base of every rule's ``Options``; a rule without options uses it as is."""


class Rule(Protocol):
    """What the registry expects of a rule module: ``check`` looks at one note, and at the
    vault through ``vault.index`` (link resolution, other notes' headings and block ids),
    ``vault.backlinks(note.path)`` and ``vault.service(...)``."""

    META: RuleMeta
    Options: type[RuleOptions]
    __doc__: str | None

    def check(self, note: Note, vault: Vault, options: Any) -> Iterable[Violation]: ...


Fact = TypeVar("Fact")
State = TypeVar("State")


class VaultRule(Protocol[Fact, State]):
    """A rule that needs what every note of the vault says (``META.whole_vault`` true).

    Three steps, each a pure function:
    - ``collect(note, options)``: what the rule needs to know of one note, as plain data
      (str, int, float, bool, None, lists and dicts of them); None: nothing. It is called on
      every note of the vault, and kept while the note does not change.
    - ``prepare(vault, options, facts)``: once per run, before any check, with the facts of
      every note of the vault (path -> fact, the notes whose fact is None left out) and the
      options of the vault's root; returns the rule's state for this run.
    - ``check(note, vault, options, state)``: one note, with that state, the note's own
      options and the vault's view.

    The engine guarantees that ``prepare`` and ``check`` see the same facts, state and view
    whichever notes a run checks and however it spreads the work. A rule keeps nothing
    elsewhere: its state is the only thing ``prepare`` leaves, and ``check`` must not change
    it.

    A fact read back from the note store must match ``collect``'s return annotation, and
    the rule's own ``valid_fact(value) -> bool`` when the module defines one (optional);
    otherwise it counts as missing and the note is read again (``cache/shapes.py``).

    Optional, ``depends(state, path, options) -> str | None``: what the findings on note
    ``path`` take from the state, as a text (``dependency_hook``). Two runs that give the
    same text (for the same note text and options) must find the same in that note: the
    run layer then keeps the note's findings from the earlier run instead of checking it
    again. None, or no ``depends``: the note is always checked.
    """

    META: RuleMeta
    Options: type[RuleOptions]
    __doc__: str | None

    def collect(self, note: Note, options: Any) -> Fact: ...

    def prepare(self, vault: VaultView, options: Any, facts: Mapping[str, Fact]) -> State: ...

    def check(
        self, note: Note, vault: VaultView, options: Any, state: State
    ) -> Iterable[Violation]: ...


@dataclass(frozen=True)
class VaultFacts(Generic[Fact]):
    """What a ``CountingRule``'s ``prepare`` receives of the vault.

    ``counts``: for each key, how many notes of the vault list it in their ``count(fact)``
    (summed over every note in every run; a run that checks a few notes reads the sums the
    last run left, with what its own notes changed). ``facts``: the facts of the notes this
    run checks, of every note when ``complete``. ``kept``: what ``prepare`` wrote there on the
    last run over the whole vault (plain data: str, int, float, bool, None, lists and dicts of
    them); write to it only when ``complete``, it is kept for the runs that follow."""

    facts: Mapping[str, Fact]
    counts: Tally
    complete: bool
    kept: MutableMapping[str, Any]


class CountingRule(Protocol[Fact, State]):
    """A rule that judges a note by what the whole vault says, through counts (``META.counts``
    and ``META.whole_vault`` true): "how many notes use this word".

    - ``collect(note, options)``: as ``VaultRule``'s (kept while the note does not change);
    - ``count(fact)``: the keys that one note counts for (its words, say); the run keeps
      their sums over the vault between runs, so a run that checks three notes does not read
      the facts of ten thousand;
    - ``prepare(vault, options, found: VaultFacts)``: once per run, before any check;
      returns the rule's state;
    - ``check(note, vault, options, state)``: as ``VaultRule``'s. ``vault.is_loaded(note)``
      tells whether the note is the one whose fact ``prepare`` saw (False after a fix).
    """

    META: RuleMeta
    Options: type[RuleOptions]
    __doc__: str | None

    def collect(self, note: Note, options: Any) -> Fact: ...

    def count(self, fact: Fact) -> Iterable[str]: ...

    def prepare(self, vault: VaultView, options: Any, found: VaultFacts[Fact]) -> State: ...

    def check(
        self, note: Note, vault: VaultView, options: Any, state: State
    ) -> Iterable[Violation]: ...


def as_vault_rule(rule: Rule) -> VaultRule[Any, Any] | None:
    """The rule as the ``VaultRule`` it declares itself to be (``META.whole_vault``); a
    ``CountingRule`` is one too, for ``collect`` and ``check``."""
    return typing.cast("VaultRule[Any, Any]", rule) if rule.META.whole_vault else None


def as_counting_rule(rule: Rule) -> CountingRule[Any, Any] | None:
    """The rule as the ``CountingRule`` it declares itself to be (``META.counts``)."""
    meta = rule.META
    counting = meta.whole_vault and meta.counts
    return typing.cast("CountingRule[Any, Any]", rule) if counting else None


def dependency_hook(rule: Rule) -> Callable[[Any, str, Any], str | None] | None:
    """A vault rule's optional ``depends(state, path, options)`` (see ``VaultRule``)."""
    if not rule.META.whole_vault:
        return None
    hook = getattr(rule, "depends", None)
    return typing.cast("Callable[[Any, str, Any], str | None]", hook) if callable(hook) else None


class OptionError(ValueError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def option_names(options_cls: type[RuleOptions]) -> list[str]:
    return [f.name.replace("_", "-") for f in fields(options_cls)]


def build_options(
    options_cls: type[RuleOptions], raw: Mapping[str, Any], base: RuleOptions | None = None
) -> RuleOptions:
    """Validate ``raw`` (config keys, kebab-case) into an ``options_cls`` instance."""
    hints = typing.get_type_hints(options_cls)
    known = {f.name for f in fields(options_cls)}
    values: dict[str, Any] = {}
    if base is not None:
        values = {name: getattr(base, name) for name in known}
    for key, value in raw.items():
        name = str(key).replace("-", "_")
        if name not in known:
            choices = ", ".join(option_names(options_cls)) or "none"
            raise OptionError(str(key), f'unknown option "{key}" (options: {choices})')
        try:
            values[name] = _coerce(value, hints[name])
        except (TypeError, ValueError) as exc:
            raise OptionError(str(key), f'option "{key}" {exc}') from None
    try:
        return options_cls(**values)
    except OptionError:  # the rule's __post_init__ named the option
        raise
    except ValueError as exc:  # a cross-field check in the rule's __post_init__
        raise OptionError(str(next(iter(raw), "")), str(exc)) from None


def _coerce(value: Any, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(value, arg)
            except (TypeError, ValueError) as exc:
                errors.append(str(exc))
        raise ValueError(errors[0] if errors else "has the wrong type")
    if origin is typing.Literal:
        if value not in args:
            raise ValueError(f"must be one of {', '.join(map(str, args))}, not {value!r}")
        return value
    if origin is tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"must be a list, not {type(value).__name__}")
        return tuple(_coerce(item, args[0]) for item in value)
    if origin in (dict, Mapping) or origin is typing.get_origin(Mapping[str, str]):
        if not isinstance(value, Mapping):
            raise ValueError(f"must be a mapping, not {type(value).__name__}")
        return {_coerce(k, args[0]): _coerce(v, args[1]) for k, v in value.items()}
    if hint is Any:
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, not {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number, not {value!r}")
        return float(value)
    if hint is str:
        if isinstance(value, (list, dict)) or value is None:
            raise ValueError(f"must be a string, not {type(value).__name__}")
        return str(value)
    raise TypeError(f"unsupported option type {hint!r}")
