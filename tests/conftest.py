from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from vaultlint.cli.main import main
from vaultlint.model.note import Note
from vaultlint.parse.decode import from_text
from vaultlint.parse.note import parse_note

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


def note_from(text: str, path: str = "note.md") -> Note:
    return parse_note(path, from_text(text))


def write_vault(root: Path, files: dict[str, str | bytes], obsidian: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if obsidian:
        (root / ".obsidian").mkdir(exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


TITLED = "---\ntitle: t\n---\n"  # a title, so missing-title stays quiet
# One note of every link form, resolved and not, with the files they point at: the link
# rules' position test and the run-mode matrix both read it.
LINK_FORMS: dict[str, str | bytes] = {
    "Target.md": TITLED + "# Top\n## Sub\nA paragraph. ^blk-1\n",
    "aa/Tie.md": TITLED,
    "bb/Tie.md": TITLED,
    "doc.pdf": b"%PDF",
    "img.png": b"\x89PNG",
    "src.md": TITLED
    + "[[Target]] [[Nope]]\n"
    + "![[img.png]] ![[gone.png]]\n"
    + "[[Target#Sub]] [[Target#Top#Sub]] [[Target#Missing]]\n"
    + "[[Target#^blk-1]] [[Target#^other]]\n"
    + "[[Tie]]\n"
    + "[t](Target.md) [t](Target.md#Sub) [t](nowhere.md) [u](https://x.y/z.md)\n"
    + "![[doc.pdf#page=3]] ![[img.png#interface]] [[#Local]]\n"
    + "## Local\n",
}


@pytest.fixture
def vault(tmp_path: Path) -> Callable[..., Path]:
    def make(files: dict[str, str | bytes], obsidian: bool = True) -> Path:
        return write_vault(tmp_path / "vault", files, obsidian)

    return make


def run(*args: str | Path, cwd: Path | None = None) -> Result:
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)


def run_json(*args: str | Path, cwd: Path | None = None) -> list[dict[str, Any]]:
    result = run("check", *args, "--output-format", "json", cwd=cwd)
    assert result.exit_code in (0, 1), result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def codes(items: list[dict[str, Any]]) -> list[tuple[str, int, int, str]]:
    return [(d["path"], d["line"], d["column"], d["rule"]) for d in items]


def corpus_vault(name: str) -> Path:
    path = CORPUS / name / "vault"
    if not path.is_dir():
        pytest.skip(f"corpus {name} not available at {path}")
    return path


def copy_corpus(name: str, dest: Path) -> Path:
    src = corpus_vault(name)
    target = dest / name
    shutil.copytree(src, target, symlinks=True)
    target.chmod(target.stat().st_mode | stat.S_IWUSR)
    for folder, dirs, files in os.walk(target):
        for item in dirs + files:
            p = Path(folder) / item
            if not p.is_symlink():
                p.chmod(p.stat().st_mode | stat.S_IWUSR)
    return target


NOW = datetime.now(timezone.utc)


def git(root: Path, *args: str, days_ago: int = 0) -> None:
    """Run git in ``root`` as a fixed author, dated ``days_ago`` days back."""
    when = (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The notes parsed in this process from now on, in order."""
    import vaultlint.disk.loader

    parsed: list[str] = []
    original = vaultlint.disk.loader.parse_note

    def counting(path: str, source: Any) -> Any:
        parsed.append(path)
        return original(path, source)

    monkeypatch.setattr(vaultlint.disk.loader, "parse_note", counting)
    return parsed
