"""Linting a small vault in each of the engine's run modes, without the command line.

``lint(files, select=[...], mode=...)`` writes ``files`` into a fresh vault, runs a session the
way that mode does and returns what it found. The modes:

- ``one``: everything in one process;
- ``map``: notes read, and checked, by workers forked for each step;
- ``team``: workers that read and parse the notes keep them, receive the vault after the
  vault-wide step and check their own;
- ``partial``: a whole-vault run fills the store, then a run focused on the notes (as a
  pre-commit run) parses only those and knows every other note from the store.

The thresholds that choose workers are lowered so that a vault of three notes uses them, and
each run asserts that it really ran the way its mode says (a silent fallback proves nothing).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

import vaultlint.run.executors
import vaultlint.run.parallel
from conftest import write_vault
from vaultlint.cache.store import Store
from vaultlint.engine.registry import builtin_rules
from vaultlint.engine.rule import Rule
from vaultlint.run.config import load_config
from vaultlint.run.parallel import can_fork
from vaultlint.run.services import default_services
from vaultlint.run.session import Session

MODES = ("one", "map", "team", "partial")
Found = tuple[str, int, int, str, str]  # path, line, column, rule, message
_count = itertools.count()


def lint(
    files: Mapping[str, str | bytes],
    select: Sequence[str],
    mode: str,
    *,
    tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    rules: Sequence[Rule] | None = None,
    prepare: Callable[[Path], None] | None = None,
) -> list[Found]:
    """What the rules ``select`` find in ``files`` in run mode ``mode``, sorted.

    ``options``: rule name -> its options, as in ``.vaultlint.yaml``; ``prepare``: called on
    the written vault before the run (e.g. to set file times)."""
    if mode in ("map", "team") and not can_fork():
        pytest.skip("workers are forked")
    root = write_vault(tmp / f"vault-{mode}-{next(_count)}", dict(files))
    if options:
        text = yaml.safe_dump({"rules": {k: dict(v) for k, v in options.items()}})
        (root / ".vaultlint.yaml").write_text(text, encoding="utf-8")
    if prepare is not None:
        prepare(root)
    every = tuple(rules) if rules is not None else builtin_rules()
    with monkeypatch.context() as patch:
        workers = mode in ("map", "team")
        patch.setenv("VAULTLINT_JOBS", "2" if workers else "1")
        for module in (vaultlint.run.executors, vaultlint.run.parallel):
            patch.setattr(module, "MIN_NOTES", 1 if workers else 10**9)
        patch.setattr(vaultlint.run.executors, "TEAM_MIN_NOTES", 1 if mode == "team" else 10**9)
        seen = _spy(patch)
        if mode == "partial":
            run_engine(root, every, select, store=True)  # the whole-vault run that fills the store
            found, vault = run_engine(root, every, select, store=True, focus=True)
            assert not vault.complete, "the run was not partial"
        else:
            found, vault = run_engine(root, every, select)
        if mode == "map":
            assert seen["map"] and not seen["team"], "the notes were not checked by a map"
        if mode == "team":
            assert seen["team"], "the notes were not checked by a team"
        if mode in ("one", "partial"):
            assert not seen["map"] and not seen["team"]
    return found


def run_engine(
    root: Path,
    rules: Sequence[Rule],
    select: Sequence[str],
    store: bool = False,
    focus: bool = False,
) -> tuple[list[Found], Any]:
    path = root / ".vaultlint.yaml"
    config = load_config(path if path.is_file() else None, rules)
    config.select = tuple(select)
    kept = Store(root, "test", enabled=store)
    session = Session(root, config, rules, default_services(kept), kept if store else None)
    notes = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
    if focus is not False:
        notes = notes if focus is True else list(focus)
    vault = session.load(focus=notes if focus is not False else None)
    report = session.run(vault, set(notes) if focus is not False else None)
    session.remember(vault)
    kept.close()
    assert not report.crash_list, report.crash_list
    found = sorted(
        (d.path, d.start.line, d.start.column, d.rule, d.message) for d in report.diagnostics
    )
    return found, vault


def _spy(patch: pytest.MonkeyPatch) -> dict[str, bool]:
    """Which ways of checking in workers ran (and gave an answer)."""
    seen = {"map": False, "team": False}
    executors = vaultlint.run.executors
    mapped = executors.map_chunks
    in_team = executors.Workers._check_in_team

    def map_chunks(function: Any, context: Any, items: Any, progress: Any = None) -> Any:
        if function is executors._check_one:
            seen["map"] = True
        return mapped(function, context, items, progress)

    def check_in_team(self: Any, vault: Any, targets: Any) -> Any:
        result = in_team(self, vault, targets)
        seen["team"] = seen["team"] or result is not None
        return result

    patch.setattr(executors, "map_chunks", map_chunks)
    patch.setattr(executors.Workers, "_check_in_team", check_in_team)
    return seen
