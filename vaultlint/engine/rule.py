"""What a rule is: metadata, options, the violations it yields and the fixes they carry.

A rule is a module in ``rules/`` with ``META`` (a ``RuleMeta``), an ``Options`` frozen
dataclass (its fields are the rule's options; unknown keys are config errors), and
``check(note, vault, options)`` yielding ``Violation``s. Its docstring is its documentation.
Rules do no I/O: everything they may look at is on the note and the read-only vault.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Protocol

from vaultlint.model.note import Span

if TYPE_CHECKING:
    from vaultlint.model.note import Note
    from vaultlint.vault.view import Vault


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
    """What the registry expects of a rule module.

    A rule that needs vault-wide facts derived from every note (the typo rule's vocabulary)
    may also define ``collect(note, options)``, a pure function the engine calls on each note
    where it is parsed (possibly in another process), ``tally(fact)``, the keys a note adds
    to vault-wide counts (``vault.tallies``), and ``prepare(vault, options, collected)``,
    called once with those results before any ``check``. During the checks a note's own fact
    is ``vault.collected[code][path]`` (``prepare`` may slim what it keeps there). Workers
    that hold parsed notes receive the vault pickled: what ``prepare`` leaves in
    ``vault.memo`` should pickle (otherwise the notes are parsed again, in forked workers).
    There, the notes' summaries come without their link lists and ``vault.linking_to``
    raises: a check resolves its own note's links with ``vault.index``.
    """

    META: RuleMeta
    Options: type[RuleOptions]
    __doc__: str | None

    def check(self, note: Note, vault: Vault, options: Any) -> Iterable[Violation]: ...


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
