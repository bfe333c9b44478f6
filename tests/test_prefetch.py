"""The pre-commit helper: what it fetches is what the run would have found itself."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import git, run
from vaultlint.disk import history
from vaultlint.disk.discovery import git_ignored, staged_vanished, walk
from vaultlint.disk.history import load_history
from vaultlint.run import prefetch

Vault = Callable[..., Path]

FILES = {
    ".gitignore": "drafts/\n",
    "drafts/d.md": "x",
    "a.md": "---\ntitle: a\n---\n[[b]] [[c]] [[Nowhere]]\n",
    "b.md": "---\ntitle: b\n---\n",
    "c.md": "---\ntitle: c\n---\n",
    "sub/e.md": "---\ntitle: e\n---\nTexte.\n",
    "sub/image.png": b"\x89PNG",
}


@pytest.fixture
def staged(vault: Vault) -> Path:
    """A committed vault whose next commit deletes b.md, renames c.md and edits a.md."""
    root = vault(FILES)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "vault")
    git(root, "rm", "-q", "b.md")
    git(root, "mv", "c.md", "sub/c2.md")
    (root / "a.md").write_text("---\ntitle: a\n---\n[[b]] [[c]] [[Nowhere]] edited\n")
    git(root, "add", "a.md")
    return root


def staged_check(root: Path) -> tuple[list[tuple[str, int, int, str]], str]:
    result = run("check", "--staged", "--output-format", "json", "--exit-zero", "a.md", cwd=root)
    found = [(d["path"], d["line"], d["column"], d["message"]) for d in json.loads(result.stdout)]
    return found, result.stderr


def test_the_helper_fetches_what_the_run_would_find(staged: Path) -> None:
    helper = prefetch.start(staged, ["a.md", "sub", "b.md"])
    assert helper is not None
    fetched = helper.take()
    assert fetched is not None
    listing = walk(staged)
    assert fetched.listing == listing
    assert fetched.listing.notes == ["a.md", "drafts/d.md", "sub/c2.md", "sub/e.md"]
    assert fetched.ignored == git_ignored(staged, listing.notes) == {"drafts/d.md"}
    assert fetched.vanished == staged_vanished(staged)
    assert fetched.vanished.paths == {"b.md": None, "c.md": "sub/c2.md"}
    # the notes selected (b.md is gone; sub/ holds two), as the stale-tag rule asks for them
    focus = {"a.md", "sub/c2.md", "sub/e.md"}
    history = helper.history(focus)
    assert history is not None
    expected = load_history(staged, sorted(focus), only=True)
    assert history.in_git and not history.shallow
    assert history.committed == expected.committed and set(history.committed) == {
        "a.md",
        "sub/e.md",
    }
    assert history.uncommitted == expected.uncommitted == {"a.md", "sub/c2.md"}
    assert history.messages == expected.messages
    assert abs((history.now - expected.now).total_seconds()) < 60
    assert helper.history(focus) is None  # said once; then the run asks git itself


def test_history_made_for_other_notes_is_not_used(staged: Path) -> None:
    helper = prefetch.start(staged, ["a.md"])
    assert helper is not None and helper.take() is not None
    assert helper.history({"sub/e.md"}) is None


def test_a_failing_helper_sends_nothing_and_the_run_does_the_work(
    staged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helped = staged_check(staged)
    assert any("[[Nowhere]]" in message for *_, message in helped[0])
    assert 'deletes "b.md"' in helped[1] and 'renames "c.md" to "sub/c2.md"' in helped[1]

    def fail(pipe: int, root: Path) -> None:
        raise OSError("no room left")

    monkeypatch.setattr(prefetch, "_serve", fail)
    helper = prefetch.start(staged, ["a.md"])
    assert helper is not None and helper.take() is None and helper.history({"a.md"}) is None
    assert staged_check(staged) == helped


def test_without_fork_the_run_does_the_work(staged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    helped = staged_check(staged)
    monkeypatch.delattr(os, "fork")
    assert prefetch.start(staged, ["a.md"]) is None
    assert staged_check(staged) == helped


def test_a_run_that_ends_early_ends_its_helper(
    staged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[prefetch.Prefetch] = []
    real_start = prefetch.start

    def start(root: Path, selection: list[str] | None) -> prefetch.Prefetch | None:
        helper = real_start(root, selection)
        assert helper is not None
        started.append(helper)
        return helper

    monkeypatch.setattr(prefetch, "start", start)
    result = run("check", "--staged", "--select", "no-such-rule", "a.md", cwd=staged)
    assert result.exit_code == 2 and "unknown rule" in result.output
    (helper,) = started
    assert helper.pipe is None
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(helper.pid, os.WNOHANG)


def test_closing_does_not_wait_for_a_slow_git_log(
    staged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(*args: object, **kwargs: object) -> None:
        time.sleep(60)

    monkeypatch.setattr(history, "load_history", slow)  # in the helper, forked after this
    helper = prefetch.start(staged, ["a.md"])
    assert helper is not None and helper.take() is not None
    began = time.monotonic()
    helper.close()
    assert time.monotonic() - began < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(helper.pid, os.WNOHANG)
