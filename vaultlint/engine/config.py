"""``.vaultlint.yaml``: loading, validation with file:line:key errors, per-path resolution."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.engine.registry import find_rule, select, selector_matches, unknown_selectors
from vaultlint.engine.rule import OptionError, Rule, RuleOptions, Severity, build_options

if TYPE_CHECKING:  # imported when a config has path patterns: most runs have none
    import pathspec

TOP_KEYS = {
    "select",
    "extend-select",
    "ignore",
    "exclude",
    "respect-gitignore",
    "respect-obsidian-excluded",
    "lint-templates",
    "max-file-size",
    "obsidian-config-dir",
    "rules",
    "per-path",
}
PER_PATH_KEYS = {"select", "extend-select", "ignore", "rules"}


class ConfigError(Exception):
    """A config problem, worded for the user: ``file:line: key: what is wrong``."""


@dataclass(frozen=True)
class RuleSettings:
    severity: Severity | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PathOverride:
    patterns: tuple[str, ...]
    spec: pathspec.GitIgnoreSpec
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: Mapping[str, RuleSettings] = field(default_factory=dict)


@dataclass(frozen=True)
class Effective:
    """What applies to one note: enabled rule codes, their severities and options."""

    enabled: frozenset[str]
    severity: Mapping[str, Severity]
    options: Mapping[str, RuleOptions]


@dataclass
class Config:
    """The validated ``.vaultlint.yaml``: which rules run, with which options, on which paths."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    respect_obsidian_excluded: bool = True
    lint_templates: bool = False  # also lint the notes of Obsidian's templates folders
    # 8 MiB: eight times the largest note of ten real vaults (a 1 MB Excalidraw drawing); a
    # note's time and memory grow with its size, so a bigger one would stall a
    # pre-commit hook for no note a person writes (it is reported, and the limit is a setting)
    max_file_size: int = 8 * 1024 * 1024
    obsidian_config_dir: str = ".obsidian"
    rules: dict[str, RuleSettings] = field(default_factory=dict)
    per_path: list[PathOverride] = field(default_factory=list)
    raw: Any = None
    # defaults fitted to the vault (rule code -> on), for rules the config does not name
    fitted: dict[str, bool] = field(default_factory=dict)
    _effective: dict[tuple[int, ...], Effective] = field(default_factory=dict, repr=False)
    _exclude_spec: pathspec.GitIgnoreSpec | None = field(default=None, repr=False)

    def excluded(self, path: str) -> bool:
        if not self.exclude:
            return False
        if self._exclude_spec is None:
            import pathspec

            self._exclude_spec = pathspec.GitIgnoreSpec.from_lines(self.exclude)
        return bool(self._exclude_spec.match_file(path))

    def digest(self, selection: bool = True) -> str:
        """Changes whenever anything in the config that affects results changes (leaving out
        the command line's rule selection when ``selection`` is false)."""
        blob = json.dumps(_plain(self.raw), sort_keys=True, default=str)
        cli = json.dumps([self.select, self.extend_select, self.ignore], default=str)
        return hashlib.sha256((blob + (cli if selection else "")).encode()).hexdigest()[:16]

    def overrides_of(self, path: str) -> tuple[int, ...]:
        """The per-path overrides that apply to ``path``, by their place in the config."""
        if not self.per_path:  # asked for every note of the vault: most configs have none
            return ()
        return tuple(i for i, o in enumerate(self.per_path) if o.spec.match_file(path))

    def for_path(self, path: str, rules: Sequence[Rule]) -> Effective:
        matching = self.overrides_of(path)
        found = self._effective.get(matching)
        if found is None:
            found = self._resolve(matching, rules)
            self._effective[matching] = found
        return found

    def fit(self, defaults: Mapping[str, bool]) -> None:
        """Use ``defaults`` (rule code -> on) for the rules this config does not name."""
        self.fitted = dict(defaults)
        self._effective.clear()

    def named(self, rules: Sequence[Rule]) -> list[str]:
        """The codes of the rules this config (or the command line) names anywhere: in a
        selection, in ``ignore``, or with settings of their own. Their defaults never change."""
        selectors = [*(self.select or ()), *self.extend_select, *self.ignore]
        codes = set(self.rules)
        for override in self.per_path:
            selectors += [*(override.select or ()), *override.extend_select, *override.ignore]
            codes |= set(override.rules)
        found = [r.META.code for r in rules if r.META.code in codes]
        found += [
            r.META.code
            for r in rules
            if r.META.code not in codes
            and any(selector_matches(s, r) for s in selectors if s.upper() != "ALL")
        ]
        return found

    def _resolve(self, matching: tuple[int, ...], rules: Sequence[Rule]) -> Effective:
        selected = self.select
        extend = list(self.extend_select)
        ignore = list(self.ignore)
        settings: list[Mapping[str, RuleSettings]] = [self.rules]
        for i in matching:
            override = self.per_path[i]
            if override.select is not None:
                selected = override.select
            extend += override.extend_select
            ignore += override.ignore
            settings.append(override.rules)
        named = set(self.named(rules))
        defaults = {code: on for code, on in self.fitted.items() if code not in named}
        enabled = select(rules, selected, ignore, extend, defaults)
        severity: dict[str, Severity] = {}
        options: dict[str, RuleOptions] = {}
        for rule in rules:
            code = rule.META.code
            severity[code] = rule.META.severity
            opts = rule.Options()
            for layer in settings:
                setting = layer.get(code)
                if setting is None:
                    continue
                if setting.severity is not None:
                    severity[code] = setting.severity
                opts = build_options(rule.Options, setting.options, opts)
            options[code] = opts
        return Effective(enabled, severity, options)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class _Where:
    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, node: Any, key: Any, message: str) -> ConfigError:
        line = None
        try:
            if node is not None and key is not None:
                line = node.lc.key(key)[0] + 1
            elif node is not None:
                line = node.lc.line + 1
        except (AttributeError, KeyError, TypeError):
            line = None
        where = f"{self.path}:{line}" if line else str(self.path)
        prefix = f"{key}: " if key is not None else ""
        return ConfigError(f"{where}: {prefix}{message}")


def parse_config(text: str, path: Path, rules: Sequence[Rule]) -> Config:
    """The config that ``text``, read from ``path``, says; ``ConfigError`` names what is
    wrong, with its line."""
    from ruamel.yaml import YAML  # imported here: a run answered from the cache never needs it
    from ruamel.yaml.error import YAMLError

    where = _Where(path)
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        raise ConfigError(_yaml_error(path, exc)) from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid YAML: nested too deeply") from None
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: the config must be a mapping of settings")
    try:
        _plain(data)  # the digest walks the whole config
    except RecursionError:
        raise ConfigError(f"{path}: invalid YAML: nested too deeply") from None
    config = Config(path=path, raw=data)
    for key, value in data.items():
        if key not in TOP_KEYS:
            raise where.error(
                data, key, f"unknown setting (settings: {', '.join(sorted(TOP_KEYS))})"
            )
        if key in ("select", "extend-select", "ignore"):
            selectors = _string_list(where, data, key, value)
            _check_selectors(where, data, key, selectors, rules)
            setattr(config, key.replace("-", "_"), selectors)
        elif key == "exclude":
            config.exclude = _string_list(where, data, key, value)
            _patterns(where, data, key, config.exclude)
        elif key in ("respect-gitignore", "respect-obsidian-excluded", "lint-templates"):
            if not isinstance(value, bool):
                raise where.error(data, key, "must be true or false")
            setattr(config, key.replace("-", "_"), value)
        elif key == "max-file-size":
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise where.error(data, key, "must be a positive number of bytes")
            config.max_file_size = value
        elif key == "obsidian-config-dir":
            # one dot-folder of the vault, never a path out of it (``../outside``)
            if (
                not isinstance(value, str)
                or not value.startswith(".")
                or value in (".", "..")
                or any(c in value for c in "/\\\0")
            ):
                raise where.error(
                    data, key, "must be a folder name starting with a dot, in the vault root"
                )
            config.obsidian_config_dir = value
        elif key == "rules":
            config.rules = _rules_section(where, data, key, value, rules)
        elif key == "per-path":
            config.per_path = _per_path(where, data, value, rules)
    return config


def _yaml_error(path: Path, exc: Exception) -> str:
    """One line: where ruamel found the problem and what it is, without its advice paragraph."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is None or not problem:
        return f"{path}: invalid YAML: {' '.join(str(exc).split())}"
    return f"{path}:{mark.line + 1}: invalid YAML: {' '.join(str(problem).split())}"


def _patterns(
    where: _Where, node: Any, key: Any, patterns: Sequence[str]
) -> pathspec.GitIgnoreSpec:
    """Compiled gitignore patterns, or a ConfigError naming the one that is not valid."""
    import pathspec

    for pattern in patterns:
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except Exception as exc:  # re.error, ValueError, ...: pathspec's errors vary
            raise where.error(node, key, f"invalid pattern {pattern!r}: {exc}") from None
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _string_list(where: _Where, node: Any, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise where.error(node, key, "must be a list of strings")
    return tuple(value)


def _check_selectors(
    where: _Where, node: Any, key: str, selectors: Sequence[str], rules: Sequence[Rule]
) -> None:
    unknown = unknown_selectors(selectors, rules)
    if unknown:
        raise where.error(node, key, f"unknown rule {unknown[0]!r} (see `vaultlint rules`)")


def _rules_section(
    where: _Where, node: Any, key: str, value: Any, rules: Sequence[Rule]
) -> dict[str, RuleSettings]:
    if not isinstance(value, Mapping):
        raise where.error(node, key, "must map rule names to their settings")
    result: dict[str, RuleSettings] = {}
    for name, settings in value.items():
        rule = find_rule(str(name), rules)
        if rule is None:
            raise where.error(value, name, "unknown rule (see `vaultlint rules`)")
        if settings is None:
            settings = {}
        if not isinstance(settings, Mapping):
            raise where.error(value, name, "must be a mapping of options")
        severity = None
        options: dict[str, Any] = {}
        for option, option_value in settings.items():
            if option == "severity":
                try:
                    severity = Severity(str(option_value))
                except ValueError:
                    raise where.error(
                        settings, option, "must be one of error, warning, info"
                    ) from None
            else:
                options[str(option)] = _plain(option_value)
        try:
            built = build_options(rule.Options, options)
            validate = getattr(rule, "validate_options", None)
            if validate is not None:  # a check that reads files (installed dictionaries)
                validate(built)
        except OptionError as exc:
            raise where.error(settings, exc.key, f"{rule.META.name}: {exc}") from None
        result[rule.META.code] = RuleSettings(severity, options)
    return result


def _per_path(where: _Where, node: Any, value: Any, rules: Sequence[Rule]) -> list[PathOverride]:
    if not isinstance(value, Mapping):
        raise where.error(node, "per-path", "must map glob patterns to settings")
    overrides: list[PathOverride] = []
    for pattern, settings in value.items():
        if not isinstance(settings, Mapping):
            raise where.error(value, pattern, "must be a mapping of settings")
        patterns = tuple(p.strip() for p in str(pattern).split(",") if p.strip())
        override: dict[str, Any] = {}
        for key, item in settings.items():
            if key not in PER_PATH_KEYS:
                raise where.error(
                    settings, key, f"not allowed in per-path ({', '.join(sorted(PER_PATH_KEYS))})"
                )
            if key == "rules":
                override["rules"] = _rules_section(where, settings, key, item, rules)
            else:
                selectors = _string_list(where, settings, key, item)
                _check_selectors(where, settings, key, selectors, rules)
                override[key.replace("-", "_")] = selectors
        spec = _patterns(where, value, pattern, patterns)
        overrides.append(PathOverride(patterns, spec, **override))
    return overrides
