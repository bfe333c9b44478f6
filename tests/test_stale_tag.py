"""stale-tag (VL301): ages from git (back-dated commits, renames, local edits, shallow clones),
fallbacks outside git, outgrown notes, the migrate and remove fixes, and `vaultlint stale`."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import NOW, git, run, run_json

Vault = Callable[..., Path]


def commit_all(root: Path, days_ago: int, message: str = "c") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, days_ago=days_ago)


def stale(root: Path, *args: str) -> list[dict[str, object]]:
    return run_json(root, "--select", "stale-tag", *args)


@pytest.fixture
def repo(vault: Vault) -> Path:
    root = vault(
        {
            "old.md": "---\ntitle: old\n---\nA seedling.\n\n---\n#Afairepousser",
            "fresh.md": "---\ntitle: fresh\ntags: [Afairepousser]\n---\nNew.\n",
            "nested.md": "---\ntitle: nested\n---\nSee #afairepousser/idee here.\n",
            "plain.md": "---\ntitle: plain\n---\nNo tag. `#Afairepousser` in code, [x](/p#Afairepousser)\n",
        }
    )
    git(root, "init", "-q")
    commit_all(root, days_ago=400)
    (root / "fresh.md").write_text("---\ntitle: fresh\ntags: [Afairepousser]\n---\nNew, edited.\n")
    commit_all(root, days_ago=3)
    return root


def test_neglected_from_git_author_dates(repo: Path) -> None:
    items = stale(repo)
    assert [(d["path"], d["line"], d["column"]) for d in items] == [
        ("nested.md", 4, 5),
        ("old.md", 7, 1),
    ]
    old = items[1]
    since = (NOW - timedelta(days=400)).date().isoformat()
    assert old["message"] in (
        f"#Afairepousser on a note unchanged for 400 days (since {since})",
        f"#Afairepousser on a note unchanged for 399 days (since {since})",
    )
    assert old["severity"] == "warning"
    assert old["data"] == {
        "kind": "neglected",
        "tag": "Afairepousser",
        "age_days": old["data"]["age_days"],  # type: ignore[index]
        "since": since,
        "date_source": "git",
    }


def test_uncommitted_changes_count_as_now(repo: Path) -> None:
    (repo / "old.md").write_text((repo / "old.md").read_text() + "\nmore")
    assert [d["path"] for d in stale(repo)] == ["nested.md"]


def test_pure_rename_keeps_the_age_but_an_edit_resets_it(repo: Path) -> None:
    git(repo, "mv", "old.md", "moved.md")
    commit_all(repo, days_ago=1, message="rename")
    assert {d["path"] for d in stale(repo)} == {"nested.md", "moved.md"}
    git(repo, "mv", "nested.md", "renamed.md")
    (repo / "renamed.md").write_text(
        "---\ntitle: nested\n---\nSee #afairepousser/idee here, and more words now.\n"
    )
    commit_all(repo, days_ago=1, message="rename and edit")
    assert {d["path"] for d in stale(repo)} == {"moved.md"}


def test_shallow_clone_says_so_once_and_reports_no_ages(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    (clone / ".obsidian").mkdir(exist_ok=True)
    result = run("check", clone, "--select", "stale-tag")
    assert result.exit_code == 0
    assert result.output.count("shallow git clone") == 1 and "fetch-depth: 0" in result.output


def test_outside_git_frontmatter_date_then_mtime(vault: Vault) -> None:
    root = vault(
        {
            "dated.md": "---\ntitle: d\nupdated: 2020-01-02\n---\n#Afairepousser\n",
            "undated.md": "---\ntitle: u\n---\n#Afairepousser\n",
        }
    )
    old = (NOW - timedelta(days=365)).timestamp()
    os.utime(root / "undated.md", (old, old))
    items = {d["path"]: d["data"] for d in stale(root)}
    assert items["dated.md"]["date_source"] == "frontmatter:updated"  # type: ignore[index]
    assert items["dated.md"]["since"] == "2020-01-02"  # type: ignore[index]
    assert items["undated.md"]["date_source"] == "mtime"  # type: ignore[index]


def test_max_age_and_date_source_options(vault: Vault) -> None:
    root = vault({"n.md": "---\ntitle: n\ndate: 2026-01-01\n---\n#Seed #Afairepousser\n"})
    cfg = "rules:\n  stale-tag:\n    tags: {Seed: 1y, Afairepousser: 2y}\n    date-source: [frontmatter]\n"
    (root / ".vaultlint.yaml").write_text(cfg)
    age = (NOW - datetime(2026, 1, 1, tzinfo=timezone.utc)).days
    assert [d["data"]["tag"] for d in stale(root)] == (["Seed"] if age > 365 else [])  # type: ignore[index]
    (root / ".vaultlint.yaml").write_text(
        "rules:\n  stale-tag:\n    tags: {Seed: 10d}\n    date-source: [frontmatter]\n"
    )
    assert [d["data"]["tag"] for d in stale(root)] == ["Seed"]  # type: ignore[index]
    (root / ".vaultlint.yaml").write_text("rules:\n  stale-tag:\n    tags: {Seed: soon}\n")
    bad = run("check", root)
    assert bad.exit_code == 2 and "max age 'soon' is not like 90d" in bad.output


TAXONOMY = (
    "rules:\n  stale-tag:\n    graduated-tags: [v1, evergreen]\n"
    "    migrate:\n      Afairepousser: [wip, to_update]\n"
)


def test_outgrown_and_unsafe_removal(vault: Vault) -> None:
    root = vault(
        {
            ".vaultlint.yaml": TAXONOMY,
            "grown.md": "---\ntitle: g\ntags:\n  - v1\n  - Afairepousser\n  - other\n---\nDone.\n",
            "grown2.md": "---\ntitle: g\ntags: [evergreen]\n---\nText #Afairepousser and more.\n",
        }
    )
    items = stale(root)
    assert [(d["path"], d["data"]["kind"], d["fix"]["safety"]) for d in items] == [  # type: ignore[index]
        ("grown.md", "outgrown", "unsafe"),
        ("grown2.md", "outgrown", "unsafe"),
    ]
    assert items[0]["message"] == '#Afairepousser on a note already tagged "v1": it has grown'
    run("check", root, "--select", "stale-tag", "--fix", "--unsafe-fixes")
    assert (
        root / "grown.md"
    ).read_text() == "---\ntitle: g\ntags:\n  - v1\n  - other\n---\nDone.\n"
    assert (
        root / "grown2.md"
    ).read_text() == "---\ntitle: g\ntags: [evergreen]\n---\nText and more.\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # the closing rule goes with the tag; the note still ends without a newline
            "---\ntitle: a\ntags:\n - note\n\n---\nBody.\n\n\n---\n#Afairepousser ",
            "---\ntitle: a\ntags:\n - note\n - wip\n - to_update\n\n---\nBody.",
        ),
        ("Body.\n#Afairepousser\n", "---\ntitle: a\n---\n"),
        (
            "---\ntitle: a\ntags: [seed, wip]\n---\nText\n#Afairepousser #projet\n",
            "---\ntitle: a\ntags: [seed, wip, to_update]\n---\nText\n#projet\n",
        ),
        (
            "---\ntitle: a\n---\n#Afairepousser - héritage du site\n",
            "---\ntitle: a\ntags: [wip, to_update]\n---\nhéritage du site\n",
        ),
        (
            "---\ntitle: a\ntags:\n---\n[[x]] - #Afairepousser\nmore\n",
            "---\ntitle: a\ntags: [wip, to_update]\n---\n[[x]]\nmore\n",
        ),
    ],
)
def test_migrate_fix(vault: Vault, before: str, after: str) -> None:
    files = {".vaultlint.yaml": TAXONOMY, "a.md": before, "x.md": "---\ntitle: x\n---\n"}
    if not before.startswith("---"):
        files["a.md"] = "---\ntitle: a\n---\n" + before
        after = after.replace(
            "---\ntitle: a\n---\n", "---\ntitle: a\ntags: [wip, to_update]\n---\nBody.\n"
        )
    root = vault(files)
    items = stale(root)
    assert items[0]["data"]["kind"] == "migrate" and items[0]["fixable"] is True  # type: ignore[index]
    run("check", root, "--select", "stale-tag", "--fix")
    assert (root / "a.md").read_text() == after
    assert stale(root) == []


def test_stale_command(repo: Path) -> None:
    (repo / ".vaultlint.yaml").write_text("rules:\n  stale-tag:\n    graduated-tags: [done]\n")
    (repo / "links.md").write_text("---\ntitle: l\n---\n[[old]] [[old#x]] [[fresh]]\n")
    result = run("stale", repo, "--output-format", "json")
    rows = json.loads(result.output)
    assert [r["path"] for r in rows] == ["nested.md", "old.md", "fresh.md"]
    old = rows[1]
    assert old["status"] == "neglected" and old["date_source"] == "git"
    assert old["words"] == 2 and old["incoming_links"] == 1
    assert rows[2]["status"] == "growing" and rows[2]["age_days"] in (2, 3)
    text = run("stale", repo).output.splitlines()
    assert text[0].split() == ["age", "since", "source", "words", "links", "status", "note"]
    assert text[2].endswith("neglected  old.md")


def test_a_partial_run_reads_the_history_of_its_notes_only_and_agrees(repo: Path) -> None:
    whole = {d["path"]: d["message"] for d in stale(repo)}  # fills the store
    for name in ("old.md", "fresh.md", "nested.md"):
        alone = run_json(repo / name, "--select", "stale-tag")
        assert {d["path"]: d["message"] for d in alone} == (
            {name: whole[name]} if name in whole else {}
        )
    (repo / "old.md").write_text((repo / "old.md").read_text() + "\nmore")  # uncommitted
    assert run_json(repo / "old.md", "--select", "stale-tag") == []


def test_a_log_started_before_the_notes_are_read_gives_the_same_history(repo: Path) -> None:
    from vaultlint.disk.history import PendingLog, load_history

    git(repo, "mv", "old.md", "moved.md")
    commit_all(repo, days_ago=1, message="rename")
    (repo / "fresh.md").write_text("---\ntitle: fresh\n---\nUncommitted.\n")
    notes = ["moved.md", "fresh.md", "nested.md", "plain.md"]
    now = datetime.now(timezone.utc)
    pending = PendingLog(repo)
    early = load_history(repo, notes, now=now, pending=pending)
    late = load_history(repo, notes, now=now)
    assert early == late
    assert load_history(repo, notes, now=now, pending=pending) == late  # read twice: kept
    assert set(early.committed) == {"moved.md", "fresh.md", "nested.md", "plain.md"}
    assert early.uncommitted == {"fresh.md"}


def test_a_pending_log_is_ended_when_the_run_ends_first(repo: Path) -> None:
    from vaultlint.disk.history import PendingLog

    pending = PendingLog(repo)
    pending.text()  # the real log is done; stand in a git that would run on
    slow = subprocess.Popen(["sleep", "30"])
    pending._process = slow
    pending.close()
    assert slow.returncode is not None  # killed and reaped, not left running


def test_no_pending_log_outside_git_or_in_a_shallow_clone(repo: Path, tmp_path: Path) -> None:
    from vaultlint.disk.history import PendingLog

    outside = tmp_path / "outside"
    outside.mkdir()
    assert (PendingLog(outside).in_git, PendingLog(outside).text()) == (False, None)
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True
    )
    pending = PendingLog(shallow)
    assert (pending.in_git, pending.shallow, pending.text()) == (True, True, None)
