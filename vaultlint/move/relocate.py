"""Carrying out a planned move on disk, all or nothing.

First every new note text goes to a temporary file beside its note; then the file or folder
moves (``git mv`` when git tracks something in it, a plain rename otherwise); then each
temporary file replaces its note. A failure at any step undoes the steps done, last first,
so the vault (and git's index) is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from vaultlint.disk.git import git_output
from vaultlint.disk.writer import write_note, write_temporary
from vaultlint.move.plan import MoveError, MovePlan, NoteChange


def git_tracked(root: Path, path: str) -> bool:
    """Whether ``path`` (a file, or a folder holding a tracked file) is known to git."""
    listed = git_output(root, "ls-files", "-z", "--", path, timeout=60)
    return listed is not None and bool(listed.strip(b"\0"))


def _git_mv(root: Path, old: str, new: str) -> None:
    result = subprocess.run(
        ["git", "mv", "--", old, new], cwd=root, capture_output=True, timeout=120, check=False
    )
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines() or ["failed"]
        raise MoveError(f"git mv: {lines[0]}")


@dataclass
class _Done:
    """What has been done so far, to undo on failure."""

    folders: list[Path] = field(default_factory=list)  # made, outermost first
    temps: dict[str, Path] = field(default_factory=dict)  # note (before) -> its new text
    moved: tuple[str, str, bool] | None = None  # (old, new, with git)
    replaced: list[tuple[Path, bytes]] = field(default_factory=list)


def apply_move(root: Path, old: str, new: str, plan: MovePlan, use_git: bool) -> None:
    """Move ``old`` to ``new`` (vault paths) and write the plan's notes; ``MoveError`` (after
    undoing everything) when any step fails."""
    done = _Done()
    try:
        _check_unchanged(root, plan.notes)
        _make_folders(root, new, done)
        for change in plan.notes:
            done.temps[change.before] = _write_temp(root / change.before, change.new_data)
        if use_git:
            _git_mv(root, old, new)
        else:
            os.rename(root / old, root / new)
        done.moved = (old, new, use_git)
        for change in plan.notes:
            final = Path(os.path.realpath(root / change.after))
            os.replace(_moved_temp(root, old, new, done.temps[change.before]), final)
            del done.temps[change.before]
            done.replaced.append((final, change.data))
    except BaseException as exc:
        problems = _undo(root, done)
        if problems:
            raise MoveError(
                f"{_reason(exc)}; undoing it failed too ({problems[0]}): check the vault"
            ) from exc
        if isinstance(exc, MoveError):
            raise MoveError(f"{exc}; nothing was changed") from exc
        if isinstance(exc, OSError):
            raise MoveError(f"{_reason(exc)}; nothing was changed") from exc
        raise


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename or ''}: {exc.strerror}".lstrip(": ")
    return str(exc) or repr(exc)


def _check_unchanged(root: Path, notes: list[NoteChange]) -> None:
    """A note edited since it was read would lose that edit: refuse instead."""
    for change in notes:
        if (root / change.before).read_bytes() != change.data:
            raise MoveError(f"{change.before} changed while the move was planned; try again")


def _make_folders(root: Path, new: str, done: _Done) -> None:
    missing: list[Path] = []
    folder = (root / new).parent
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir()
        done.folders.append(folder)


def _write_temp(note: Path, data: bytes) -> Path:
    """The new text of ``note`` in a temporary file beside it (short name, mode and owner kept);
    a symlinked note is refused, as ``--fix`` refuses it (its target is a note of its own)."""
    if os.path.islink(note):
        raise MoveError(f"{note.name} is a symlink: not rewritten; move or fix its target instead")
    return Path(write_temporary(note, data))


def _moved_temp(root: Path, old: str, new: str, temp: Path) -> Path:
    """Where a temporary file is once ``old`` has moved: a folder takes its files along."""
    source = os.path.realpath(root / old)
    if str(temp).startswith(source + os.sep):
        return Path(os.path.realpath(root / new)) / str(temp)[len(source) + 1 :]
    return temp


def _undo(root: Path, done: _Done) -> list[str]:
    """Undo ``done``, last step first; what could not be undone."""
    problems: list[str] = []
    for final, data in reversed(done.replaced):
        try:
            write_note(final, data, None)
        except OSError as exc:
            problems.append(f"{final}: {exc.strerror}")
    temps = list(done.temps.values())
    if done.moved is not None:
        old, new, with_git = done.moved
        temps += [_moved_temp(root, old, new, t) for t in temps]  # if moving back fails
        try:
            if with_git:
                _git_mv(root, new, old)
            else:
                os.rename(root / new, root / old)
        except (OSError, MoveError) as exc:
            problems.append(f"moving {new} back to {old}: {exc}")
    for temp in temps:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    for folder in reversed(done.folders):
        with contextlib.suppress(OSError):
            folder.rmdir()
    return problems
