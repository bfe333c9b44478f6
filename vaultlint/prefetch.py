"""A pre-commit run's I/O, done by a forked helper while the run imports its rules.

A pre-commit run checks three notes but must know the whole vault: every file's name and
stat (10,000 notes: ~45 ms of system calls), which notes git ignores and what the commit
deletes or renames (two git processes, ~20 ms). Importing the rules takes longer than all of
that and needs only the CPU, so a child forked before those imports (cheap: the process is
still small) does this I/O on the other core and sends it back through a pipe.

Where ``fork`` does not exist (Windows) or fails, ``start`` returns None and the run does the
same work itself; a helper that fails sends nothing, and ``take`` returns None likewise.
"""

from __future__ import annotations

import marshal
import os
from dataclasses import dataclass
from pathlib import Path

from .discovery import Listing, Vanished, git_ignored, staged_vanished, walk


@dataclass
class Fetched:
    listing: Listing
    ignored: set[str]  # what ``git_ignored`` says of the listing's notes
    vanished: Vanished


@dataclass
class Prefetch:
    pid: int
    pipe: int

    def take(self) -> Fetched | None:
        """What the helper found (None: do it yourself); waits for it to end."""
        chunks = []
        try:
            while chunk := os.read(self.pipe, 1 << 20):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(self.pipe)
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = 1
        if status != 0 or not chunks:
            return None
        try:
            notes, attachments, problems, stats, ignored, vanished = marshal.loads(b"".join(chunks))
        except (EOFError, ValueError, TypeError):
            return None
        listing = Listing(notes, attachments, problems, stats)
        return Fetched(listing, set(ignored), Vanished(vanished))


def start(root: Path) -> Prefetch | None:
    """Fork the helper (None where it cannot be)."""
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
            _send(write_end, root)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return Prefetch(pid, read_end)


def _send(pipe: int, root: Path) -> None:
    import threading

    found: list[Vanished] = []  # git diff runs while the folders are walked
    diff = threading.Thread(target=lambda: found.append(staged_vanished(root)))
    diff.start()
    listing = walk(root)
    ignored = git_ignored(root, listing.notes)
    diff.join()
    vanished = found[0] if found else Vanished()
    data = marshal.dumps(
        (
            listing.notes,
            listing.attachments,
            listing.problems,
            listing.stats,
            sorted(ignored),
            vanished.paths,
        )
    )
    view = memoryview(data)
    while view:
        view = view[os.write(pipe, view) :]
    os.close(pipe)
