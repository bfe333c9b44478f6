"""A check of named notes neither reads nor writes the stored answers (``answers.json`` holds
whole-vault outputs, megabytes on a big vault); asked again unchanged, it is answered from its
stored report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run
from vaultlint.cache import replay

Vault = Callable[..., Path]
FILES = {
    "a.md": "---\ntitle: a\n---\n[[b]] [[Nowhere]]\n",
    "b.md": "---\ntitle: b\n---\nText.\n",
    "c.md": "no title\n",
}


def test_named_notes_leave_the_stored_answers_alone(
    vault: Vault, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = vault(FILES)
    whole = run("check", root, "--output-format", "json")
    assert whole.exit_code == 1
    answers = root / ".vaultlint" / "answers.json"
    before = answers.stat()
    reads: list[Path] = []
    real = replay._entries
    monkeypatch.setattr(replay, "_entries", lambda where: reads.append(where) or real(where))
    named = run("check", root / "a.md", "--output-format", "json")
    assert named.exit_code == 1
    assert {d["path"] for d in json.loads(named.stdout)} == {"a.md"}
    after = answers.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert reads == []
    parses.clear()
    again = run("check", root / "a.md", "--output-format", "json")  # nothing changed
    assert (again.stdout, again.exit_code) == (named.stdout, named.exit_code)
    assert parses == []  # the stored report answered
    fresh = run("check", root / "a.md", "--output-format", "json", "--no-cache")
    assert (fresh.stdout, fresh.exit_code) == (named.stdout, named.exit_code)
    assert reads == []
    assert run("check", root, "--output-format", "json").stdout == whole.stdout
    assert reads == [root]  # the whole vault's command is answered from its stored answer
