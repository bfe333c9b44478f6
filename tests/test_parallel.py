"""Checking over worker processes gives what one process gives, parses each note once, and
survives a worker that fails or dies."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import vaultlint.disk.loader
import vaultlint.run.executors
from conftest import git, run
from vaultlint.run.parallel import MIN_NOTES, Team, TeamError, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked")
NOTES = MIN_NOTES + 20


@pytest.fixture(autouse=True)
def _team_for_small_vaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vaultlint.run.executors, "TEAM_MIN_NOTES", MIN_NOTES)  # a test-sized vault


Vault = Callable[..., Path]


def _garden(count: int) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for i in range(count):
        folder = ("Projets", "Notes", "Archive/2024")[i % 3]
        title = "" if i % 7 == 0 else f"title: Note {i}\n"
        heading = "Partie" if i % 4 else "Absente"
        links = f"[[Note {i + 1}]], [[Note {i + 2}#{heading}]], [[Absent {i % 11}]]"
        typo = f" Une erreur{chr(97 + i // 26 % 26)}{chr(97 + i % 26)} ici." if i % 5 == 0 else ""
        body = (
            f"# Partie\n\nLe jardin pousse avec {links}.{typo}\n"
            f"Une phrase en français pour le jardin numéro {i}. ^bloc{i}\n"
        )
        files[f"{folder}/Note {i}.md"] = f"---\n{title}tags: [jardin]\n---\n{body}"
    files["Notes/Binaire.md"] = b"\x00\x01\x02 not text"
    return files


def _check(root: Path, jobs: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    monkeypatch.setenv("VAULTLINT_JOBS", jobs)
    result = run("check", root, "--no-cache", "--output-format", "json")
    return sorted(
        (d["path"], d["line"], d["column"], d["code"], d["message"])
        for d in json.loads(result.stdout)
    )


@pytest.fixture
def big(vault: Vault) -> Path:
    return vault(_garden(NOTES))


def test_workers_find_what_one_process_finds(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _check(big, "1", monkeypatch)
    assert {code for *_, code, _ in alone} >= {"VL101", "VL103", "VL201", "VL501", "VL001"}
    assert _check(big, "2", monkeypatch) == alone


def test_workers_use_the_defaults_fitted_to_the_vault(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no note has a title: missing-title is off for this vault, in the workers too
    root = vault({f"n{i}.md": f"# N {i}\n\n[[n{i + 1}]]\n" for i in range(NOTES)})
    alone = _check(root, "1", monkeypatch)
    assert [code for *_, code, _ in alone] == ["VL101"]
    assert _check(root, "2", monkeypatch) == alone


def test_workers_parse_each_note_once(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses = multiprocessing.get_context("fork").Value("i", 0)  # shared with the workers
    original = vaultlint.disk.loader.parse_note

    def counting(path: str, source: Any) -> Any:
        with parses.get_lock():
            parses.value += 1
        return original(path, source)

    monkeypatch.setattr(vaultlint.disk.loader, "parse_note", counting)
    # one job of notes per worker: no worker is left idle to take (and parse) another's job
    monkeypatch.setattr(vaultlint.run.executors, "TEAM_CHUNK", NOTES // 2 + 1)
    _check(big, "2", monkeypatch)
    assert parses.value == NOTES  # every readable note, once (the binary one is not parsed)


def _fails(engine: Any, state: Any, payload: Any) -> Any:
    raise RuntimeError("a bug in a worker")


def _dies(engine: Any, state: Any, payload: Any) -> Any:
    os._exit(3)


@pytest.mark.parametrize("broken", [_fails, _dies])
def test_a_failing_or_dead_worker_changes_nothing_in_the_report(
    big: Path, monkeypatch: pytest.MonkeyPatch, broken: Callable[..., Any]
) -> None:
    alone = _check(big, "1", monkeypatch)
    monkeypatch.setattr(vaultlint.run.executors, "_team_check", broken)
    assert _check(big, "2", monkeypatch) == alone


def _square(context: int, state: dict[str, Any], payload: int) -> tuple[int, int]:
    state["seen"] = state.get("seen", 0) + 1
    return payload * payload + context, state["seen"]


def _pid(context: int, state: dict[str, Any], payload: None) -> int:
    return os.getpid()


def test_team_gives_each_worker_its_own_queue_first_and_keeps_state() -> None:
    with Team(2, 100) as team:
        pids = team.each(_pid, None)
        assert len(set(pids)) == 2
        done = team.dispatch(_square, [[1, 2], [3]], [4, 5])
        pairs = [pair for worker in done for pair in worker]
        assert sorted(payload for payload, _ in pairs) == [1, 2, 3, 4, 5]
        assert all(result[0] == payload * payload + 100 for payload, result in pairs)
        assert [payload for payload, _ in done[0]][:2] == [1, 2]  # its own queue, in order
        assert [payload for payload, _ in done[1]][:1] == [3]
        for worker in done:  # each worker counts its own jobs: state lives between jobs
            assert [result[1] for _, result in worker] == list(range(1, len(worker) + 1))


def test_team_reports_a_failed_job() -> None:
    with Team(2, 0) as team, pytest.raises(TeamError, match="a bug in a worker"):
        team.dispatch(_fails, [[], []], [1])


def test_workers_update_the_stored_counts_as_one_process_would(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAULTLINT_JOBS", "2")
    run("check", big)  # the store knows every note and the vault's word counts
    notes = sorted(big.rglob("Note *.md"))
    for path in notes[: MIN_NOTES + 5]:  # enough changed notes for the workers to read them
        path.write_text(path.read_text(encoding="utf-8") + "\nUn zorbleau passe.\n")
    notes[-1].unlink()
    found = json.loads(run("check", big, "--output-format", "json").stdout)
    stored = sorted((d["path"], d["line"], d["column"], d["message"]) for d in found)
    fresh = [(p, line, col, m) for p, line, col, _, m in _check(big, "2", monkeypatch)]
    assert stored == sorted(fresh)
    assert not any('"zorbleau"' in m for *_, m in stored)  # in 325 notes: vocabulary
    # the store's counts were updated, not rebuilt: a partial run reads them
    one = notes[0]
    (one.parent / "Extra.md").write_text("Un zorbleau encore, et une présententation.\n")
    partial = run("check", one.parent / "Extra.md", "--output-format", "json").stdout
    alone = run("check", one.parent / "Extra.md", "--output-format", "json", "--no-cache").stdout
    assert json.loads(partial) == json.loads(alone)
    typos = [d["message"].split('"')[1] for d in json.loads(partial) if d["rule"] == "typo"]
    assert typos == ["présententation"]


def test_a_vault_state_that_does_not_pickle_is_checked_the_other_way(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = _check(big, "1", monkeypatch)

    def refuse(*args: Any, **kwargs: Any) -> bytes:
        raise TypeError("cannot pickle a rule's memo")

    monkeypatch.setattr(pickle, "dumps", refuse)  # the engine imports it when workers start
    assert _check(big, "2", monkeypatch) == alone


@pytest.mark.parametrize("keep", [True, False])
def test_reading_in_workers_drives_the_progress_bar(
    big: Path, monkeypatch: pytest.MonkeyPatch, keep: bool
) -> None:
    from vaultlint.engine.config import Config
    from vaultlint.run.session import Session

    monkeypatch.setenv("VAULTLINT_JOBS", "2")
    if not keep:  # workers that read, then end (the notes are parsed again for the checks)
        monkeypatch.setattr(vaultlint.run.executors, "TEAM_MIN_NOTES", 10**9)
    seen: list[tuple[int, list[str]]] = []

    def progress(items: Any) -> Any:
        got: list[str] = []
        seen.append((len(items), got))
        for path in items:  # as the workers send their notes back
            got.append(path)
            yield path

    session = Session(big, Config())
    session.load(progress=progress)
    try:
        # workers holding the notes for the checks
        assert (session.workers.team is not None) == keep
        [(total, got)] = seen
        assert total == len(got) == NOTES + 1  # every note, the binary one too
        assert sorted(got) == sorted(str(p.relative_to(big)) for p in big.rglob("*.md"))
    finally:
        session.close()


def test_fixes_after_reading_in_workers_equal_fixes_in_one_process(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    one = vault(_garden(NOTES))
    two = tmp_path / "two"
    shutil.copytree(one, two)
    monkeypatch.setenv("VAULTLINT_JOBS", "1")
    run("check", one, "--fix", "--no-cache", "--exit-zero")
    monkeypatch.setenv("VAULTLINT_JOBS", "2")  # read by workers that keep the notes
    run("check", two, "--fix", "--no-cache", "--exit-zero")
    fixed = {p.relative_to(one): p.read_bytes() for p in one.rglob("*.md")}
    assert fixed == {p.relative_to(two): p.read_bytes() for p in two.rglob("*.md")}
    assert sum(b"title: " in text for text in fixed.values()) == NOTES  # every note fixed


def test_staged_run_without_a_store_reads_in_workers_and_checks_the_staged_notes(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(big, "init", "-q")
    git(big, "add", "-A")
    git(big, "commit", "-qm", "garden")
    staged = ["Notes/Note 1.md", "Projets/Note 3.md"]
    for rel in staged:
        path = big / rel
        path.write_text(path.read_text(encoding="utf-8") + "\n[[Nulle part]] et un glorbu.\n")
    git(big, "add", *staged)
    monkeypatch.setenv("VAULTLINT_JOBS", "2")  # no store yet: every note is read, by workers
    result = run("check", "--staged", "--output-format", "json", *staged, cwd=big)  # as pre-commit
    found = sorted(
        (d["path"], d["line"], d["column"], d["message"]) for d in json.loads(result.stdout)
    )
    monkeypatch.setenv("VAULTLINT_JOBS", "1")
    alone = run("check", *(big / s for s in staged), "--no-cache", "--output-format", "json")
    assert found == sorted(
        (d["path"], d["line"], d["column"], d["message"]) for d in json.loads(alone.stdout)
    )
    assert {p for p, *_ in found} == set(staged)
    assert any("[[Nulle part]]" in m for *_, m in found)


def test_checking_workers_receive_the_vault_without_link_lists(tmp_path: Path) -> None:
    from conftest import note_from
    from vaultlint.run.executors import _worker_view
    from vaultlint.vault.view import Vault as VaultView

    notes = {
        "a.md": note_from("---\ntitle: A\n---\nSee [[b#Part]] and [[c]].\n", "a.md"),
        "b.md": note_from("# Part\nText. ^id\n", "b.md"),
    }
    whole = VaultView.build(tmp_path, notes, list(notes))
    view = pickle.loads(pickle.dumps(_worker_view(whole)))
    assert whole.linking_to({"b"}) == ["a.md"]  # the parent's vault is unchanged
    assert [s.links for s in view.summaries.values()] == [(), ()]
    assert [s.title for s in view.summaries.values()] == ["A", None]
    assert view.index.resolve("b", "a.md").path == "b.md"
    assert view.index.subpath_found("b.md", "Part") and view.index.subpath_found("b.md", "^id")
    with pytest.raises(RuntimeError, match="not available while checking in worker"):
        view.linking_to({"b"})
