"""A pre-commit run's I/O, done by a forked helper while the run imports its rules.

A pre-commit run checks three notes but must know the whole vault: every file's name and
stat, which notes git ignores, what the commit deletes or renames, and when the checked notes
last changed (five git processes). Importing
the rules takes longer than most of that and needs only the CPU, so a child forked before
those imports (cheap: the process is still small) does this I/O on the other core and sends
it back through a pipe: first the files (needed first), then the notes' history (needed when
the rules run).

Where ``fork`` does not exist (Windows) or fails, ``start`` returns None and the run does the
same work itself; a helper that fails sends nothing more, and the run does what is missing.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import struct
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.disk.discovery import (
    Listing,
    Vanished,
    git_ignored,
    select_paths,
    staged_vanished,
    walk,
)

if TYPE_CHECKING:
    from vaultlint.disk.history import History

_SIZE = struct.Struct("<Q")


@dataclass
class Fetched:
    listing: Listing
    ignored: set[str]  # what ``git_ignored`` says of the listing's notes
    vanished: Vanished


class Prefetch:
    """The parent's end of the helper."""

    def __init__(self, pid: int, pipe: int, root: Path) -> None:
        self.pid = pid
        self.pipe: int | None = pipe
        self.root = root

    def take(self) -> Fetched | None:
        """The vault's files (None: list them yourself); waits for the helper to send them."""
        found = self._receive()
        if not isinstance(found, tuple) or len(found) != 8:
            self.close()
            return None
        notes, attachments, problems, stats, linked, temporaries, ignored, vanished = found
        listing = Listing(notes, attachments, problems, stats, set(linked), temporaries)
        return Fetched(listing, set(ignored), Vanished(vanished))

    def history(self, focus: set[str]) -> History | None:
        """The ages of the notes in ``focus``, as ``load_history(root, focus, only=True)``
        gives them (None: ask git yourself); ends the helper."""
        found = self._receive()
        self.close()
        if not isinstance(found, tuple) or len(found) != 7:
            return None
        from vaultlint.disk.history import History

        wanted, now, in_git, shallow, committed, uncommitted, messages = found
        if set(wanted) != focus:  # made for other notes than the run checks
            return None
        history = History(self.root, _when(now), in_git, shallow)
        history.committed = {path: _when(stamp) for path, stamp in committed.items()}
        history.uncommitted = set(uncommitted)
        history.messages = list(messages)
        return history

    def close(self) -> None:
        """End the helper: what it has not sent yet is not needed (a long ``git log`` is not
        waited for)."""
        if self.pipe is None:
            return
        os.close(self.pipe)
        self.pipe = None
        with contextlib.suppress(ChildProcessError, ProcessLookupError):
            if os.waitpid(self.pid, os.WNOHANG) == (0, 0):  # still running
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)

    def _receive(self) -> Any:
        """One message from the helper, or None when it sent nothing more."""
        if self.pipe is None:
            return None
        try:
            head = _read(self.pipe, _SIZE.size)
            body = _read(self.pipe, _SIZE.unpack(head)[0]) if len(head) == _SIZE.size else b""
            return marshal.loads(body) if body else None
        except (OSError, EOFError, ValueError, TypeError):
            return None


def start(root: Path, selection: list[str] | None) -> Prefetch | None:
    """Fork the helper (None where it cannot be). ``selection``: the files and folders the run
    checks, whose notes' history it will ask for."""
    if not hasattr(os, "fork"):
        return None
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the helper: I/O only, no output, no exit handlers
        code = 1
        try:
            os.close(read_end)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)  # pre-commit waits for every holder of its pipes to close them
            os.dup2(quiet, 2)
            _serve(write_end, root, selection or [])
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return Prefetch(pid, read_end, root)


def _serve(pipe: int, root: Path, selection: list[str]) -> None:
    import threading

    found: list[Vanished] = []  # git diff runs while the folders are walked
    diff = threading.Thread(target=lambda: found.append(staged_vanished(root)))
    diff.start()
    listing = walk(root)
    ignored = git_ignored(root, listing.notes)
    diff.join()
    vanished = found[0] if found else Vanished()
    files = (listing.notes, listing.attachments, listing.problems, listing.stats)
    extra = (sorted(listing.linked), listing.temporaries)
    _send(pipe, (*files, *extra, sorted(ignored), vanished.paths))

    from vaultlint.disk.history import load_history

    wanted = sorted(select_paths(listing.notes, selection) or ())
    history = load_history(root, wanted, only=True)
    committed = {path: when.timestamp() for path, when in history.committed.items()}
    state = (history.in_git, history.shallow, committed, sorted(history.uncommitted))
    _send(pipe, (wanted, history.now.timestamp(), *state, history.messages))
    os.close(pipe)


def _send(pipe: int, message: Any) -> None:
    data = marshal.dumps(message)
    view = memoryview(_SIZE.pack(len(data)) + data)
    while view:
        view = view[os.write(pipe, view) :]


def _read(pipe: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(pipe, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _when(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, timezone.utc)
