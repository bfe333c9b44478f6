"""When did each note last change: one ``git log`` pass for the whole vault, then fallbacks.

This is a vault service (it does I/O); rules that declare ``needs={"history"}`` receive it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from vaultlint.disk.git import git_output
from vaultlint.vault.history import Change


@dataclass
class History:
    """The vault's history read from git (what ``vaultlint.vault.history.History`` promises)."""

    root: Path
    now: datetime
    in_git: bool = False
    shallow: bool = False
    committed: dict[str, datetime] = field(default_factory=dict)  # vault path -> author date
    uncommitted: set[str] = field(default_factory=set)  # tracked notes with local changes
    messages: list[str] = field(default_factory=list)

    def git_change(self, path: str) -> Change | None:
        if path in self.uncommitted:
            return Change(self.now, "git-uncommitted")
        when = self.committed.get(path)
        return Change(when, "git") if when is not None else None

    def mtime(self, path: str) -> Change | None:
        try:
            stamp = os.stat(self.root / path).st_mtime
        except OSError:
            return None
        return Change(datetime.fromtimestamp(stamp, timezone.utc), "mtime")


def _git(root: Path, *args: str) -> str | None:
    output = git_output(root, *args, timeout=300)
    return None if output is None else output.decode("utf-8", "replace")


def _parse_log(output: str) -> dict[str, datetime]:
    """Newest first: the first commit that changed a path's content wins.

    A pure rename (similarity 100) is not a change: the renamed note inherits the date of the
    last commit that changed it under its old name.
    """
    dates: dict[str, datetime] = {}
    renamed_to: dict[str, str] = {}  # old name -> current name, for pure renames
    fields = output.split("\0")
    when: datetime | None = None
    i = 0
    while i < len(fields):
        item = fields[i].strip("\n")
        i += 1
        if item.startswith("\x01"):
            when = datetime.fromtimestamp(int(item[1:].split("\n", 1)[0]), timezone.utc)
            rest = item.split("\n", 1)
            item = rest[1] if len(rest) > 1 else ""
            if not item:
                continue
        if not item or when is None:
            continue
        status = item
        if status[0] in "RC":
            old, new = fields[i], fields[i + 1]
            i += 2
            current = renamed_to.pop(new, new)
            if status[0] == "R" and status[1:] == "100":
                renamed_to[old] = current
            else:
                dates.setdefault(current, when)
                if status[0] == "R":
                    renamed_to[old] = current
            continue
        path = fields[i]
        i += 1
        current = renamed_to.get(path, path)
        if status[0] != "D":
            dates.setdefault(current, when)
    return dates


_LOG = ("log", "-M", "--relative", "--name-status", "-z", "--format=%x01%at")


def _inside(root: Path) -> tuple[bool, bool]:
    """Whether ``root`` is in a git work tree, and whether that clone is shallow."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    if inside is None or not inside.startswith("true"):
        return False, False
    return True, inside.split()[-1] == "true"


class PendingLog:
    """The ``git log`` of the whole vault, started before the notes are read: on a long
    history it takes seconds, which it then spends while the workers parse. Its output goes
    to a temporary file, not a pipe, so git never waits for a reader. ``close`` ends it on
    every way out of the run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.in_git, self.shallow = _inside(root)
        self._process: subprocess.Popen[bytes] | None = None
        self._output: IO[bytes] | None = None
        self._text: str | None = None
        if not self.in_git or self.shallow:
            return
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 (lives until close())
        try:
            self._process = subprocess.Popen(
                ["git", *_LOG, "--", "."],
                cwd=root,
                stdin=subprocess.DEVNULL,
                stdout=self._output,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.close()

    def text(self) -> str | None:
        """The log (None when git failed), once git has written it all; kept for a second
        reader."""
        process, output = self._process, self._output
        if process is None or output is None:
            return self._text
        try:
            code = process.wait(timeout=300)
        except subprocess.TimeoutExpired:
            self.close()
            return None
        output.seek(0)
        data = output.read()
        self.close()
        self._text = data.decode("utf-8", "replace") if code == 0 else None
        return self._text

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._output is not None:
            self._output.close()
        self._process, self._output = None, None


def load_history(
    root: Path,
    paths: Iterable[str],
    now: datetime | None = None,
    only: bool = False,
    pending: PendingLog | None = None,
) -> History:
    """Ages of ``paths`` from one ``git log``; with ``only`` (a run that checks a few notes),
    the log is limited to them: a long history is not read for three notes. A note whose last
    content change was followed by a pure rename then looks younger (the rename's date), never
    older. ``pending``: the whole vault's log, started earlier (used when not ``only``)."""
    history = History(root, now or datetime.now(timezone.utc))
    wanted = set(paths)
    limit = sorted(wanted) if only and len(wanted) <= 200 else ["."]
    if limit == ["."]:
        pending = pending if pending is not None else PendingLog(root)
        history.in_git, history.shallow = pending.in_git, pending.shallow
    else:
        history.in_git, history.shallow = _inside(root)
    if not history.in_git:
        return history
    if history.shallow:
        history.messages.append(
            "stale-tag: this is a shallow git clone, so note ages are unknown and no note is "
            "reported as neglected; fetch the full history (actions/checkout: fetch-depth: 0)"
        )
        return history
    if not limit:
        return history
    log = pending.text() if pending is not None else _git(root, *_LOG, "--", *limit)
    if log is not None:
        history.committed = _parse_log(log)
    if limit != ["."]:
        # a few notes: ask git about them only (``git status`` refreshes the whole index)
        changed = _git(root, "diff", "--name-only", "--relative", "-z", "HEAD", "--", *limit)
        history.uncommitted = {p for p in (changed or "").split("\0") if p}
        history.committed = {p: d for p, d in history.committed.items() if p in wanted}
        return history
    status = _git(root, "status", "--porcelain", "-z", "--untracked-files=no", "--", ".")
    prefix = _git(root, "rev-parse", "--show-prefix") or ""
    prefix = prefix.strip()
    if status:
        entries = status.split("\0")
        i = 0
        while i < len(entries):
            entry = entries[i]
            i += 1
            if len(entry) < 4:
                continue
            code, path = entry[:2], entry[3:]
            if code[0] in "RC":
                i += 1  # the original name follows
            if path.startswith(prefix):
                history.uncommitted.add(path[len(prefix) :])
    history.committed = {p: d for p, d in history.committed.items() if p in wanted}
    return history
