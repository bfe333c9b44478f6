"""``vaultlint mv``: what the command checks, prints and does around the plan (``move``) and
its execution on disk (``relocate``)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import click

from vaultlint.disk.discovery import find_root, walk
from vaultlint.disk.publishing import link_setting
from vaultlint.move.plan import MoveError, MovePlan, file_moves, plan_move
from vaultlint.move.relocate import apply_move, git_tracked


def _vault_path(root: Path, path: Path) -> str:
    """``path`` relative to the vault, with "/"; ``MoveError`` when it is not in the vault."""
    for candidate in (os.path.abspath(path), os.path.realpath(path)):
        try:
            rel = Path(candidate).relative_to(root).as_posix()
        except ValueError:
            continue
        if rel == ".":
            raise MoveError(f"{path} is the vault itself")
        if any(part.startswith(".") for part in rel.split("/")):
            break  # .obsidian, .trash, .git: not part of the vault
        return rel
    raise MoveError(f"{path} is outside the vault {root}")


def _inside(path: Path, root: Path) -> bool:
    return any(
        Path(p).is_relative_to(root) for p in (os.path.abspath(path), os.path.realpath(path))
    )


def _case_insensitive_same(a: Path, b: Path) -> bool:
    """Whether ``b`` exists only as another spelling of ``a`` (a case-insensitive disk)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def resolve_paths(source: Path, written: str, vault: Path | None) -> tuple[Path, str, str]:
    """The vault root and the vault paths to move from and to; ``MoveError`` when the move
    is not one to make."""
    if not source.exists() and not source.is_symlink():
        raise MoveError(f"no such file or folder: {source}")
    if vault is not None:
        root = vault.resolve()
    else:
        # the vault around the current folder when it holds the source (a vault may hold
        # folders with their own .obsidian/), else the one around the source
        root = find_root(Path.cwd()) or Path.cwd().resolve()
        if not _inside(source, root):
            root = find_root(Path(os.path.abspath(source)).parent) or root
    old = _vault_path(root, source)
    destination = Path(written)
    if destination.is_dir() and not _case_insensitive_same(source, destination):
        destination = destination / source.name
    elif written.endswith(("/", os.sep)):
        destination = destination / source.name  # a folder still to be made
    new = _vault_path(root, destination)
    if new == old:
        raise MoveError(f"{source} and {destination} are the same path")
    if new.startswith(old + "/"):
        raise MoveError(f"cannot move the folder {old} into itself")
    target = root / new
    if os.path.lexists(target):
        if _case_insensitive_same(root / old, target):
            raise MoveError(
                f"{old} -> {new}: a case-only rename on a case-insensitive file system "
                "(rename through a temporary name)"
            )
        raise MoveError(f"{new} already exists")
    return root, old, new


def run_move(
    source: Path,
    destination: str,
    vault: Path | None,
    config_path: Path | None,
    dry_run: bool,
    diff: bool,
) -> int:
    from vaultlint.engine.registry import builtin_rules
    from vaultlint.run.config import find_config, load_config

    root, old, new = resolve_paths(source, destination, vault)
    config = load_config(config_path or find_config(root), builtin_rules())
    listing = walk(root)
    files = listing.notes + listing.attachments
    if (root / old).is_file() and old not in files:
        why = listing.problems.get(old, "not a file of the vault")
        raise MoveError(f"{old}: {why}")
    moves = file_moves(files, old, new)

    def read(path: str) -> bytes | None:
        try:
            return (root / path).read_bytes()
        except OSError:
            return None

    setting = link_setting(root, config.obsidian_config_dir)
    plan = plan_move(files, moves, read, setting, max_bytes=config.max_file_size)
    use_git = git_tracked(root, old)
    how = "git mv" if use_git else "rename"
    for path in plan.unreadable:
        click.echo(
            f"vaultlint: {path}: not readable as a note; its links were not updated", err=True
        )
    if plan.ambiguous:
        shown = ", ".join(plan.ambiguous[:5]) + (", ..." if len(plan.ambiguous) > 5 else "")
        click.echo(
            f"vaultlint: {len(plan.ambiguous)} links were ambiguous before the move and were "
            f"left as they are: {shown}",
            err=True,
        )
    if diff:
        click.echo(_diff(plan), nl=False)
        click.echo(f"vaultlint: would move {old} to {new} ({how}); {_counted(plan)}", err=True)
        return 0
    if dry_run:
        for change in plan.notes:
            for link in change.links:
                click.echo(f"{change.before}:{link.line}:{link.column}: {link.old} -> {link.new}")
        click.echo(f"would move {old} to {new} ({how}); {_counted(plan)}")
        return 0
    apply_move(root, old, new, plan, use_git)
    click.echo(f"moved {old} to {new} ({how}); {_counted(plan, done=True)}")
    return 0


def _counted(plan: MovePlan, done: bool = False) -> str:
    links, notes = plan.link_count, len(plan.notes)
    verb = "rewrote" if done else "would rewrite"
    return f"{verb} {links} link{'s' * (links != 1)} in {notes} note{'s' * (notes != 1)}"


def _diff(plan: MovePlan) -> str:
    chunks: list[str] = []
    for change in plan.notes:
        chunks.extend(
            difflib.unified_diff(
                change.old_text.splitlines(keepends=True),
                change.new_text.splitlines(keepends=True),
                fromfile=f"a/{change.before}",
                tofile=f"b/{change.after}",
            )
        )
    text = "".join(chunks)
    return text if text.endswith("\n") or not text else text + "\n"
