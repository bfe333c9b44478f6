"""Writing files atomically: a crash leaves the old file or the new one, never half of it.

A note keeps its mode; vaultlint's own files live in its cache folder, which git ignores.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(os.path.realpath(path))  # a symlinked note stays a symlink
    info = os.stat(path)
    folder = path.parent
    import tempfile  # imported by the runs that write: not paid by every pre-commit run

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".vaultlint-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


IGNORE_ALL = "# vaultlint's cache: not for git\n*\n"


def cache_folder(folder: Path) -> Path:
    """vaultlint's folder in the vault, made on first use with a ``.gitignore`` that ignores
    everything in it. OSError on a read-only vault."""
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(IGNORE_ALL)
    return folder


def replace_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) through a temporary file in the same folder, then rename it."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
