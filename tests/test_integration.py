"""The README's pre-commit, CI and baseline snippets, run for real.

The pre-commit test uses the real `pre-commit` package: it builds the hook from a snapshot of
this repository (its .pre-commit-hooks.yaml), installs it in a notes repo, and commits.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, write_vault
from vaultlint.cache.replay import FOLDER

BIN = Path(sys.executable).parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t",
}


def snippet(name: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- snippet: {name} -->\n```\w*\n(.*?)```", readme, re.DOTALL)
    assert match, f"README has no snippet {name}"
    return match.group(1)


def sh(
    command: str, cwd: Path, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        **GIT_ENV,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        **(env or {}),
    }
    return subprocess.run(
        command, shell=True, cwd=cwd, capture_output=True, text=True, check=check, env=full_env
    )


def notes_repo(tmp_path: Path) -> Path:
    root = write_vault(
        tmp_path / "notes",
        {
            "Welcome.md": "---\ntitle: Welcome\n---\nSee [[Compost]] and [[Seed]].\n",
            "Compost.md": "---\ntitle: Compost\n---\nBrowns and greens.\n",
        },
    )
    sh("git init -q && git add -A && git commit -qm init", root)
    return root


def test_github_workflow_snippet(tmp_path: Path) -> None:
    workflow = yaml.safe_load(snippet("github-workflow"))
    steps = workflow["jobs"]["vaultlint"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0].startswith("pip install")  # done here by the test environment
    root = notes_repo(tmp_path)
    result = sh(runs[-1], root, check=False)
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=Welcome.md,line=4,col=21,")
    assert 'unresolved link "[[Seed]]"' in result.stdout


def _reused(tmp_path: Path, path: str, command: str) -> None:
    """A CI job's cache at work: a run in a clone, ``path`` kept, then restored in a fresh clone
    (every file new) answers from the kept report, and the same as a run without cache."""
    origin = notes_repo(tmp_path)
    (origin / ".vaultlint.yaml").write_text("")  # a clone of the notes is a vault
    sh("git add -A && git commit -qm config", origin)
    first = tmp_path / "job-1"
    sh(f"git clone -q {origin} {first}", tmp_path)
    sh(command, first, check=False)
    kept = first / path.rstrip("/")
    report = json.loads((kept / "cache.json").read_text())
    assert report["report"]["diagnostics"]  # the report the next job reuses
    report["report"]["diagnostics"][0][8] += " (from the kept report)"  # a marker
    (kept / "cache.json").write_text(json.dumps(report))
    second = tmp_path / "job-2"
    sh(f"git clone -q {origin} {second}", tmp_path)
    shutil.copytree(kept, second / path.rstrip("/"))  # what the cache step restores
    reused = sh(command, second, check=False)
    assert "(from the kept report)" in reused.stdout + (second / "out").read_text(), reused
    shutil.rmtree(second / path.rstrip("/"))
    fresh = sh(command, second, check=False)
    assert "(from the kept report)" not in fresh.stdout + (second / "out").read_text()


def test_github_workflow_caches_the_vaultlint_folder(tmp_path: Path) -> None:
    steps = yaml.safe_load(snippet("github-workflow"))["jobs"]["vaultlint"]["steps"]
    restore = next(s for s in steps if s.get("uses", "").startswith("actions/cache/restore@"))
    save = next(s for s in steps if s.get("uses", "").startswith("actions/cache/save@"))
    check = next(i for i, s in enumerate(steps) if "vaultlint check" in s.get("run", ""))
    assert steps.index(restore) < check < steps.index(save)
    assert save["if"] == "always()"  # the gate fails on problems: keep that run's work too
    assert restore["with"]["path"] == save["with"]["path"] == FOLDER
    assert restore["with"]["key"] == save["with"]["key"]
    assert restore["with"]["key"].startswith(restore["with"]["restore-keys"])
    command = steps[check]["run"] + " > out"
    _reused(tmp_path, restore["with"]["path"], command)


def test_gitlab_job_caches_the_vaultlint_folder(tmp_path: Path) -> None:
    job = yaml.safe_load(snippet("gitlab-ci"))["vaultlint"]
    cache = job["cache"]
    assert cache["paths"] == [f"{FOLDER}/"] and cache["when"] == "always" and cache["key"]
    command = job["script"][-1].replace("gl-code-quality-report.json", "out")
    _reused(tmp_path, cache["paths"][0], command)


def test_gitlab_snippet(tmp_path: Path) -> None:
    job = yaml.safe_load(snippet("gitlab-ci"))["vaultlint"]
    assert job["variables"]["GIT_DEPTH"] == 0
    root = notes_repo(tmp_path)
    result = sh(job["script"][-1], root, check=False)
    assert result.returncode == 1
    report = json.loads((root / job["artifacts"]["reports"]["codequality"]).read_text())
    assert report[0]["location"] == {"path": "Welcome.md", "lines": {"begin": 4}}


def test_baseline_snippet(tmp_path: Path) -> None:
    root = notes_repo(tmp_path)
    lines = [line for line in snippet("baseline").splitlines() if line.strip()]
    assert sh(lines[0], root).returncode == 0
    sh(lines[1], root)
    assert sh(lines[2], root).stdout == ""  # nothing new
    (root / "New.md").write_text("---\ntitle: New\n---\n[[Missing]]\n")
    gate = sh(lines[2], root, check=False)
    assert gate.returncode == 1 and "file=New.md" in gate.stdout and "Welcome" not in gate.stdout


def _hook_repo(tmp_path: Path) -> tuple[Path, str]:
    """A git snapshot of this working tree, so the hook under test is the code under test."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    snapshot = tmp_path / "hook-repo"
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    sh("git init -q && git add -A && git commit -qm snapshot", snapshot)
    rev = sh("git rev-parse HEAD", snapshot).stdout.strip()
    return snapshot, rev


@pytest.mark.e2e
def test_pre_commit_end_to_end(tmp_path: Path) -> None:
    if shutil.which("pre-commit", path=str(BIN)) is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    hook_repo, rev = _hook_repo(tmp_path)
    root = notes_repo(tmp_path)
    config = snippet("pre-commit-config")
    config = config.replace("https://github.com/vaultlint/vaultlint", str(hook_repo)).replace(
        "v0.1.0", rev
    )
    (root / ".pre-commit-config.yaml").write_text(config)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    (root / "Welcome.md").write_text("---\ntitle: Welcome\n---\nSee [[Compost]].\n")
    sh("git add -A && git commit -qm config", root)  # no hook yet
    sh("pre-commit install", root, env=env)

    # a note with a broken link: refused, with the diagnostic
    (root / "Idea.md").write_text("---\ntitle: Idea\n---\nGrows from [[Compst]].\n")
    refused = sh("git add Idea.md && git commit -m idea", root, check=False, env=env)
    assert refused.returncode != 0, refused.stdout + refused.stderr
    output = refused.stdout + refused.stderr
    assert 'Idea.md:4:12: VL101 [broken-wikilink] unresolved link "[[Compst]]"' in output
    assert '(did you mean "Compost"?)' in output

    # fixed: the commit goes through
    (root / "Idea.md").write_text("---\ntitle: Idea\n---\nGrows from [[Compost]].\n")
    accepted = sh("git add Idea.md && git commit -m idea", root, check=False, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    # deleting a note others link to: refused, naming them, though no file is passed
    deleted = sh("git rm -q Compost.md && git commit -m drop", root, check=False, env=env)
    output = deleted.stdout + deleted.stderr
    assert deleted.returncode != 0, output
    assert 'this commit deletes "Compost.md", which 2 notes link to: Idea.md, Welcome.md' in output
    sh("git reset -q --hard HEAD", root)

    # the fix hook adds a missing title; pre-commit reports the modified file
    fix_config = config.replace("      - id: vaultlint        #", "      - id: vaultlint-fix    #")
    (root / ".pre-commit-config.yaml").write_text(fix_config)
    (root / "Untitled idea.md").write_text("Just a thought about [[Compost]].\n")
    fixed = sh(
        "git add -A && pre-commit run vaultlint-fix --files 'Untitled idea.md'",
        root,
        check=False,
        env=env,
    )
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "files were modified by this hook" in fixed.stdout
    assert (root / "Untitled idea.md").read_text() == (
        "---\ntitle: Untitled idea\n---\nJust a thought about [[Compost]].\n"
    )
