"""Writing files safely: atomically, only inside the vault, never through a symlink.

A note is written through a temporary file then renamed over it, so a crash leaves the old
note or the new one, never half of it; and only if it still holds exactly the bytes the fix
was made from (a note saved meanwhile is left alone). It keeps its mode and, where the system
allows, its owner. vaultlint's own files live in its cache folder, which must be a real folder
of the vault: a symlinked ``.vaultlint`` or a symlink inside it is refused, never followed.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Iterable
from pathlib import Path

# Short, so that a note whose name is near the file-system limit still gets a temporary name;
# a dot-file, so that Obsidian and vaultlint's walk skip it.
TEMP_PREFIX = ".vaultlint-"
TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"\.vaultlint-[A-Za-z0-9_]{8}\.tmp")
STALE_AFTER = 60.0  # seconds: an older temporary file belongs to no write still running

# every name vaultlint uses in its folder: none of them may be a symlink
CACHE_NAMES = (
    ".gitignore",
    "cache.json",
    "answers.json",
    "notes.sqlite",
    "notes.sqlite-wal",
    "notes.sqlite-shm",
    "notes.sqlite-journal",
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class NotWritten(Exception):
    """Why a note was left as it was (the message is shown to the user)."""


def is_temporary(name: str) -> bool:
    """Whether ``name`` is one of vaultlint's own temporary files."""
    return _TEMP_NAME.fullmatch(name) is not None


def temporary_file(path: Path, spare: Path | None) -> tuple[int, str]:
    """A new temporary file for ``path``: in ``spare`` (the cache folder, which git ignores)
    when it is on the same device as the note, else beside the note."""
    import tempfile  # imported by the runs that write: not paid by every pre-commit run

    folder = path.parent
    if spare is not None:
        with contextlib.suppress(OSError):
            if os.lstat(spare).st_dev == os.stat(folder).st_dev:
                folder = spare
    return tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)


def write_note(path: Path, data: bytes, expected: bytes | None, spare: Path | None = None) -> None:
    """Replace the note at ``path`` by ``data`` if it still holds ``expected`` (None: whatever
    it holds, as when a failed move puts back what it replaced).

    NotWritten when it changed meanwhile or is not a regular file; OSError when it cannot be
    written. Either way the note is as it was and no temporary file is left."""
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotWritten("not a regular file (a symlink?)")
    tmp = write_temporary(path, data, info, spare)
    try:
        # The last moment before the rename: a note saved since it was read is not replaced.
        if expected is not None and _read_nofollow(path) != expected:
            raise NotWritten("changed on disk while vaultlint worked; not fixed (run again)")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_temporary(
    path: Path, data: bytes, info: os.stat_result | None = None, spare: Path | None = None
) -> str:
    """A temporary file holding ``data``, synced, with the mode and (where allowed) the owner of
    ``path`` (``info``: its ``lstat``), ready to be renamed over it."""
    info = info if info is not None else os.lstat(path)
    fd, tmp = temporary_file(path, spare)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if info.st_uid != os.geteuid() or info.st_gid != os.getegid():
                with contextlib.suppress(OSError):  # only root (or the group's member) may
                    os.fchown(handle.fileno(), info.st_uid, info.st_gid)
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _read_nofollow(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def remove_stale_temporaries(paths: Iterable[Path], now: float | None = None) -> None:
    """Delete vaultlint's own temporary files among ``paths`` that a killed run left (older
    than ``STALE_AFTER``; a younger one may belong to a run still writing)."""
    limit = (time.time() if now is None else now) - STALE_AFTER
    for path in paths:
        with contextlib.suppress(OSError):
            info = os.lstat(path)
            if is_temporary(path.name) and stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                os.unlink(path)


def temporaries_in(folder: Path) -> list[Path]:
    try:
        return [folder / e.name for e in os.scandir(folder) if is_temporary(e.name)]
    except OSError:
        return []


IGNORE_ALL = "# vaultlint's cache: not for git\n*\n"


class UnsafeCache(OSError):
    """The cache folder, or a file in it, is a symlink or not what vaultlint made."""


def cache_refusal(folder: Path) -> str | None:
    """Why the cache folder must not be used (None: it is absent, or a real folder whose
    files vaultlint uses are real files). A cloned or unzipped vault can carry links."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{folder.name} cannot be read ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return f"{folder.name} is a symlink"
    if not stat.S_ISDIR(info.st_mode):
        return f"{folder.name} is not a folder"
    for name in CACHE_NAMES:
        try:
            mode = os.lstat(folder / name).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            return f"{folder.name}/{name} cannot be read ({exc.strerror})"
        if not stat.S_ISREG(mode):
            kind = "a symlink" if stat.S_ISLNK(mode) else "not a regular file"
            return f"{folder.name}/{name} is {kind}"
    return None


def cache_folder(folder: Path) -> Path:
    """vaultlint's folder in the vault, made on first use with a ``.gitignore`` that ignores
    everything in it. OSError on a read-only vault; UnsafeCache when it is a symlink."""
    with contextlib.suppress(FileExistsError):
        folder.mkdir()
    reason = cache_refusal(folder)
    if reason is not None:
        raise UnsafeCache(reason)
    ignore = folder / ".gitignore"
    try:  # never through a link: O_EXCL fails on any existing name, a dangling link too
        fd = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
    except FileExistsError:
        return folder
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(IGNORE_ALL)
    return folder


def replace_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) through a temporary file in the same folder, then rename it (a
    rename replaces a symlink at ``path``; it never writes through it)."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
