"""The configuration of a run: the vault's config file, read (``vaultlint.disk.configfile``)
and checked (``vaultlint.engine.config``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vaultlint.disk.configfile import find_config, read_config
from vaultlint.disk.smallfile import SmallFileError
from vaultlint.engine.config import Config, ConfigError, parse_config
from vaultlint.engine.rule import Rule

__all__ = ["find_config", "load_config"]


def load_config(path: Path | None, rules: Sequence[Rule]) -> Config:
    """The config in ``path`` (None: no file, the defaults); ``ConfigError`` says what is wrong."""
    if path is None:
        return Config()
    try:
        text = read_config(path)
    except SmallFileError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    return parse_config(text, path, rules)
