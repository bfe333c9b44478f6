"""What a rule is: metadata, options, the violations it yields and the fixes they carry.

A rule is a module in ``rules/`` with ``META`` (a ``RuleMeta``), an ``Options`` frozen
dataclass (its fields are the rule's options; unknown keys are config errors), and
``check(note, vault, options)`` yielding ``Violation``s (``Rule``). A rule that needs facts
gathered from the whole vault declares ``META.whole_vault`` and follows ``VaultRule``
instead. Its docstring is its documentation. Rules do no I/O: everything they may look at
is on the note and the read-only vault.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from vaultlint.model.note import Span

if TYPE_CHECKING:
    from vaultlint.model.note import Note
    from vaultlint.vault.view import Vault, VaultView


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Safety(str, enum.Enum):
    SAFE = "safe"  # applied by --fix
    UNSAFE = "unsafe"  # needs --unsafe-fixes: may change what the note means or links to


class FixAvailability(str, enum.Enum):
    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


class Scope(str, enum.Enum):
    NOTE = "note"  # looks at the note alone
    VAULT = "vault"  # also asks the vault's read-only index


@dataclass(frozen=True, slots=True)
class RuleMeta:
    code: str  # stable, never reused: VL0xx engine, VL1xx links, VL2xx frontmatter, ...
    name: str  # kebab-case
    summary: str  # one line for `vaultlint rules`
    severity: Severity = Severity.ERROR
    default_on: bool = True
    fix: FixAvailability = FixAvailability.NONE
    scope: Scope = Scope.NOTE
    needs: frozenset[str] = frozenset()  # vault services the engine must provide ("history")
    reads_unreadable: bool = False  # also sees notes that could not be read
    needs_valid_frontmatter: bool = False  # skipped on notes whose YAML does not parse
    whole_vault: bool = False  # the module is a ``VaultRule``: collect, prepare, check(state)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str

    @classmethod
    def insert(cls, at: int, text: str) -> Edit:
        return cls(at, at, text)


@dataclass(frozen=True, slots=True)
class Fix:
    """Edits applied all together or not at all."""

    title: str
    edits: tuple[Edit, ...]
    safety: Safety = Safety.SAFE


@dataclass(frozen=True, slots=True)
class Violation:
    span: Span
    message: str
    fix: Fix | None = None
    data: Mapping[str, Any] | None = None  # extra fields for JSON output


@dataclass(frozen=True)
class RuleOptions:
    """Base of every rule's ``Options``; a rule without options uses it as is."""


class Rule(Protocol):
    """What the registry expects of a rule module: ``check`` looks at one note, and at the
    vault through ``vault.index`` (link resolution, other notes' headings and block ids),
    ``vault.backlinks(note.path)`` and ``vault.service(...)``.

    LEGACY (the typo and unknown-word rules', until it moves to ``VaultRule``; do not use in a new rule): a
    module may also define ``collect(note, options)``, ``tally(fact)`` and
    ``prepare(vault, options, collected)``, found by name, and keep what it derives in
    ``vault.memo``, ``vault.collected`` and ``vault.carried``. Those are not the same in every
    run: in some, ``vault.collected`` holds only the notes being checked, the notes'
    summaries have no link lists and ``vault.linking_to`` raises.
    """

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
    """

    META: RuleMeta
    Options: type[RuleOptions]
    __doc__: str | None

    def collect(self, note: Note, options: Any) -> Fact: ...

    def prepare(self, vault: VaultView, options: Any, facts: Mapping[str, Fact]) -> State: ...

    def check(
        self, note: Note, vault: VaultView, options: Any, state: State
    ) -> Iterable[Violation]: ...


def as_vault_rule(rule: Rule) -> VaultRule[Any, Any] | None:
    """The rule as the ``VaultRule`` it declares itself to be (``META.whole_vault``)."""
    return typing.cast("VaultRule[Any, Any]", rule) if rule.META.whole_vault else None


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
