"""Reading the small files a run depends on (config, baseline, caches): regular files only, of
bounded size, and JSON of bounded depth, so that a FIFO, ``/dev/zero`` or a forged file is one
clear error (or a cache miss), never a hang, an out-of-memory kill or a traceback."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

MAX_SMALL_FILE = 64 * 1024 * 1024  # bytes: far above any config or baseline
# vaultlint's own report caches hold every diagnostic of a vault (tens of MB for a big vault
# with many findings): bounded still, but a report that outgrew the small-file cap would be a
# cache miss on every run
MAX_CACHE_FILE = 1024 * 1024 * 1024


class SmallFileError(Exception):
    """Why a small file could not be read, worded for the user (without the path)."""


def read_small(path: Path, limit: int = MAX_SMALL_FILE, follow_links: bool = True) -> str:
    """The UTF-8 text of ``path``. Opened without blocking (a FIFO must not wait for a
    writer), refused unless it is a regular file, read up to ``limit`` bytes. Without
    ``follow_links`` (vaultlint's own cache files) a symlink is refused, never followed."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise SmallFileError(exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise SmallFileError("not a regular file")
            data = handle.read(limit + 1)
    except OSError as exc:
        raise SmallFileError(exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise SmallFileError(f"larger than {limit // (1024 * 1024)} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SmallFileError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def loads(text: str) -> Any:
    """``json.loads``, with nesting too deep for the parser reported as ``ValueError``."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def read_json(path: Path, limit: int = MAX_SMALL_FILE, follow_links: bool = True) -> Any:
    """The JSON in ``path``; ``SmallFileError`` for any file or format problem."""
    try:
        return loads(read_small(path, limit, follow_links))
    except ValueError as exc:
        raise SmallFileError(f"invalid JSON: {exc}") from None
