"""Finding and reading the vault's config file (``.vaultlint.yaml``); what it says is checked
by ``vaultlint.engine.config``."""

from __future__ import annotations

from pathlib import Path

from vaultlint.disk.discovery import CONFIG_NAMES
from vaultlint.disk.smallfile import read_small

MAX_CONFIG_SIZE = 1024 * 1024  # bytes


def find_config(root: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def read_config(path: Path) -> str:
    """The config file's text (``SmallFileError``: unreadable, too large or not UTF-8)."""
    return read_small(path, MAX_CONFIG_SIZE)
