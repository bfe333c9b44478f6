"""The cache in .vaultlint/: every change to the vault, its config or the cache file itself gives
the same answer as a run without cache."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import git, run
from vaultlint.cache.store import FORMAT

Vault = Callable[..., Path]
FILES = {
    "A.md": "---\ntitle: A\n---\nSee [[B]] and [[C#Top]] and [[Gone]].\n",
    "B.md": "---\ntitle: B\n---\n# B\n",
    "C.md": "---\ntitle: C\n---\n# Top\nparmis nous\n",
}


def answer(root: Path, *args: str) -> tuple[int, str]:
    result = run("check", root, "--output-format", "json", *args)
    return result.exit_code, result.stdout


def same_as_uncached(root: Path) -> str:
    cached = answer(root)
    fresh = answer(root, "--no-cache")
    assert cached == fresh
    return cached[1]


@pytest.fixture
def cached(vault: Vault) -> Path:
    root = vault(FILES)
    answer(root)  # fills the cache
    assert (root / ".vaultlint" / "cache.json").is_file()
    assert (root / ".vaultlint" / ".gitignore").read_text().strip().endswith("*")
    return root


def test_unchanged_vault_answers_from_cache(cached: Path) -> None:
    data = json.loads((cached / ".vaultlint" / "cache.json").read_text())
    assert data["report"]["diagnostics"]
    same_as_uncached(cached)


def test_edited_note(cached: Path) -> None:
    (cached / "B.md").write_text("---\ntitle: B\n---\n# B\n[[Nowhere]]\n")
    assert "Nowhere" in same_as_uncached(cached)


def test_touched_but_unchanged_note(cached: Path) -> None:
    before = answer(cached)
    os.utime(cached / "B.md", (1, 1))
    assert same_as_uncached(cached) == before[1]


def test_renamed_deleted_added_notes(cached: Path) -> None:
    (cached / "C.md").rename(cached / "D.md")
    out = json.loads(same_as_uncached(cached))
    assert any(d["message"].startswith('unresolved link "[[C#Top]]"') for d in out)
    (cached / "B.md").unlink()
    out = json.loads(same_as_uncached(cached))
    assert any(d["message"].startswith('unresolved link "[[B]]"') for d in out)
    (cached / "Gone.md").write_text("---\ntitle: Gone\n---\n")
    out = json.loads(same_as_uncached(cached))
    assert not any("[[Gone]]" in d["message"] for d in out)


def test_config_change(cached: Path) -> None:
    (cached / ".vaultlint.yaml").write_text("ignore: [broken-wikilink]\n")
    out = json.loads(same_as_uncached(cached))
    assert not any(d["rule"] == "broken-wikilink" for d in out)


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"format": 1, "key": "someone else", "report": {}}',
        '{"format": 1, "key": null}',
        "[]",
        "",
    ],
)
def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(cached: Path, content: str) -> None:
    path = cached / ".vaultlint" / "cache.json"
    key = json.loads(path.read_text())["key"]
    path.write_text(content)
    (cached / ".vaultlint" / "answers.json").unlink()  # else the stored answer is enough
    same_as_uncached(cached)
    assert json.loads(path.read_text())["key"] == key


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"format": 1, "answers": [{"key": "x", "stdout": 3}]}',
        '{"format": 1, "answers": {}}',
        "[]",
        "",
    ],
)
def test_corrupt_stored_answers_are_ignored(cached: Path, content: str) -> None:
    path = cached / ".vaultlint" / "answers.json"
    path.write_text(content)
    same_as_uncached(cached)
    assert json.loads(path.read_text())["format"] == 1


def test_stored_answer_is_per_command(cached: Path) -> None:
    """The same vault asked in another format, or with other rules, is not answered with the
    output of a different command."""
    text = run("check", cached, "-q").stdout
    assert "VL101" in text and not text.startswith("[")
    only_typos = json.loads(answer(cached, "--select", "typo")[1])
    assert {d["code"] for d in only_typos} == {"VL501"}
    assert answer(cached)[1].startswith("[")
    data = json.loads((cached / ".vaultlint" / "answers.json").read_text())
    assert len(data["answers"]) == 3


def test_forged_answer_for_a_changed_vault_is_not_used(cached: Path) -> None:
    path = cached / ".vaultlint" / "answers.json"
    data = json.loads(path.read_text())
    data["answers"][0]["stdout"] = "forged"
    path.write_text(json.dumps(data))
    assert answer(cached)[1] == "forged"  # same key: the answer stands for the unchanged vault
    (cached / "B.md").write_text("---\ntitle: B\n---\n# B changed\n")
    assert answer(cached)[1] != "forged"


def test_forged_report_with_the_right_key_but_a_stale_digest_is_not_used(cached: Path) -> None:
    path = cached / ".vaultlint" / "cache.json"
    data = json.loads(path.read_text())
    data["report"]["diagnostics"] = []
    data["report"]["digest"] = "0" * 64
    path.write_text(json.dumps(data))
    assert answer(cached)[0] == 1  # the problems are still found


def test_read_only_vault_gets_no_cache_even_for_root(vault: Vault) -> None:
    root = vault(FILES)
    root.chmod(0o555)  # a shared or published copy
    try:
        assert answer(root) == answer(root, "--no-cache")
        assert not (root / ".vaultlint").exists()
    finally:
        root.chmod(0o755)


def test_two_processes_at_once(cached: Path) -> None:
    (cached / "B.md").write_text("---\ntitle: B\n---\n# B changed\n")
    command = [
        sys.executable,
        "-m",
        "vaultlint.cli.main",
        "check",
        str(cached),
        "--output-format",
        "json",
    ]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert len(set(outputs)) == 1
    json.loads((cached / ".vaultlint" / "cache.json").read_text())  # one complete file
    assert answer(cached)[1] == outputs[0]


def _store(root: Path) -> sqlite3.Connection:
    return sqlite3.connect(root / ".vaultlint" / "notes.sqlite")


def test_note_facts_are_reused_only_for_unchanged_text(cached: Path) -> None:
    with contextlib.closing(_store(cached)) as db, db:
        rows = dict(db.execute("SELECT path, summary FROM notes").fetchall())
        assert set(rows) == {"A.md", "B.md", "C.md"}
        # a forged row for A.md ("no links") under another text hash is not used
        forged = json.loads(rows["A.md"])
        forged[5] = []
        db.execute(
            "UPDATE notes SET summary = ?, ckey = 'x' WHERE path = 'A.md'", (json.dumps(forged),)
        )
    (cached / "A.md").write_text(FILES["A.md"] + "\n")  # new text, new mtime
    out = json.loads(same_as_uncached(cached))
    assert any(d["message"].startswith('unresolved link "[[Gone]]"') for d in out)


@pytest.mark.parametrize(
    "content", [b"{", b"SQLite format 3\x00" + b"\x00" * 200, b"\x00" * 4096, b""]
)
def test_corrupt_store_is_ignored_and_rebuilt(cached: Path, content: bytes) -> None:
    (cached / ".vaultlint" / "notes.sqlite").write_bytes(content)
    for extra in ("notes.sqlite-wal", "notes.sqlite-shm"):
        (cached / ".vaultlint" / extra).unlink(missing_ok=True)
    (cached / "B.md").write_text("---\ntitle: B\n---\n# B\nencore parmis\n")
    same_as_uncached(cached)  # once to rebuild (a damaged file is removed), once to read it
    same_as_uncached(cached)
    with contextlib.closing(_store(cached)) as db:
        assert dict(db.execute("SELECT k, v FROM meta").fetchall())["format"] == FORMAT
        assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 3


def test_store_of_an_older_format_is_replaced(cached: Path) -> None:
    path = cached / ".vaultlint" / "notes.sqlite"
    with contextlib.closing(_store(cached)) as db:  # format 1: six columns, a links table
        db.execute("DROP TABLE notes")
        db.execute("CREATE TABLE notes (path, mtime, size, ckey, summary, facts)")
        db.execute("CREATE TABLE links (name TEXT, path TEXT)")
        db.execute("UPDATE meta SET v = '1' WHERE k = 'format'")
        db.commit()
    (cached / "B.md").write_text("---\ntitle: B\n---\n# B\nencore parmis\n")
    same_as_uncached(cached)
    same_as_uncached(cached)
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert "links" not in tables
        assert db.execute("SELECT count(*) FROM notes WHERE names IS NOT NULL").fetchone()[0] == 3


def test_store_of_another_configuration_keeps_no_facts(cached: Path) -> None:
    def language_of_c() -> str:
        with contextlib.closing(_store(cached)) as db:
            (raw,) = db.execute("SELECT facts FROM notes WHERE path = 'C.md'").fetchone()
        return str(json.loads(raw)["VL501"][1][0])

    assert language_of_c() == ""  # too short to tell: the vault's main language at check time
    (cached / ".vaultlint.yaml").write_text("rules:\n  typo:\n    language: en\n")
    same_as_uncached(cached)
    assert language_of_c() == "en"


# -- partial runs: a few notes checked against the stored vault ---------------------------------

GARDEN = {
    "Focus.md": "---\ntitle: Focus\n---\nSee [[Soil#Compost]] and [[Seeds]] and [[Gone]].\n"
    "Le jardinn pousse.\n",
    "Soil.md": "---\ntitle: Soil\n---\n# Compost\nLe jardin aussi.\n",
    "Seeds.md": "---\ntitle: Seeds\n---\n# Seeds\nDes graines.\n",
    "Other.md": "---\ntitle: Other\n---\nRien.\n",
}


def partial(root: Path) -> list[tuple[str, int, int, str]]:
    """``check Focus.md`` from the store, and the same from a run without any cache."""
    stored = json.loads(run("check", root / "Focus.md", "--output-format", "json").stdout)
    fresh = json.loads(
        run("check", root / "Focus.md", "--output-format", "json", "--no-cache").stdout
    )
    found = sorted((d["path"], d["line"], d["column"], d["message"]) for d in stored)
    assert found == sorted((d["path"], d["line"], d["column"], d["message"]) for d in fresh)
    return found


@pytest.fixture
def garden(vault: Vault) -> Path:
    root = vault(GARDEN)
    run("check", root)  # a whole-vault run fills the store
    return root


def test_partial_run_sees_changes_in_notes_it_does_not_check(garden: Path) -> None:
    first = partial(garden)
    assert any("[[Gone]]" in m for *_, m in first)
    assert any('"jardinn"' in m for *_, m in first)  # in 1 note: a slip of "jardin"
    (garden / "Soil.md").write_text("---\ntitle: Soil\n---\n# Humus\nLe jardin aussi.\n")
    assert any("Compost" in m for *_, m in partial(garden))  # the heading went away
    (garden / "Other.md").write_text("---\ntitle: Other\n---\nUn jardinn encore.\n")
    assert not any('"jardinn"' in m for *_, m in partial(garden))  # in 2 notes: vocabulary
    (garden / "Gone.md").write_text("---\ntitle: Gone\n---\n")
    (garden / "Seeds.md").unlink()
    found = partial(garden)
    assert not any("[[Gone]]" in m for *_, m in found)
    assert any("[[Seeds]]" in m for *_, m in found)


def test_partial_run_parses_only_changed_and_checked_notes(garden: Path, parses: list[str]) -> None:
    (garden / "Soil.md").write_text("---\ntitle: Soil\n---\n# Compost\nChanged.\n")
    run("check", garden / "Focus.md")
    assert sorted(parses) == ["Focus.md", "Soil.md"]
    parses.clear()
    run("check", garden / "Focus.md", "--select", "broken-wikilink")
    assert parses == ["Focus.md"]  # Soil.md is known again


def test_staged_rename_parses_the_renamed_note_and_its_backlinks_only(
    garden: Path, parses: list[str]
) -> None:
    git(garden, "init", "-q")
    git(garden, "add", "-A")
    git(garden, "commit", "-qm", "garden")
    run("check", garden)  # the store knows every note
    git(garden, "mv", "Soil.md", "Earth.md")
    parses.clear()
    result = run("check", "--staged", "--output-format", "json", "Earth.md", cwd=garden)
    found = [d for d in json.loads(result.stdout) if d["rule"] != "typo"]  # "jardinn"
    assert [(d["path"], d["rule"]) for d in found] == [("Focus.md", "broken-wikilink")]
    assert "[[Soil#Compost]]" in found[0]["message"]
    assert 'renames "Soil.md" to "Earth.md"' in result.stderr
    assert sorted(set(parses)) == ["Earth.md", "Focus.md"]  # not Seeds.md, not Other.md
