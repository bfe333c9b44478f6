"""The real vaults in ../shared/corpus (read-only; copied before any --fix). Skipped when absent."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import mistune
import pytest

from conftest import CORPUS, copy_corpus, corpus_vault, run, run_json
from vaultlint.loader import read_note

VAULTS = ["jardin-liut", "obsidian-help-en", "obsidian-help-fr", "obsidian-hub", "quartz-docs"]
pytestmark = pytest.mark.corpus


@pytest.mark.parametrize("name", VAULTS)
def test_check_completes_without_crash_or_false_unreadable(name: str) -> None:
    root = corpus_vault(name)
    result = run("check", root, "--output-format", "json", "--exit-zero")
    assert result.exit_code == 0, result.output[-2000:]
    assert "internal error" not in result.output
    import json

    items = json.loads(result.stdout)
    assert [d for d in items if d["rule"] == "unreadable-note"] == []


def test_help_en_link_reports_are_the_deliberate_examples() -> None:
    root = corpus_vault("obsidian-help-en")
    items = run_json(root, "--select", "VL1")
    # Internal links.md shows how links display using a note "Example" that does not exist.
    assert {d["path"] for d in items} == {"Linking notes and files/Internal links.md"}
    assert all("Example" in d["message"] for d in items) and len(items) == 6


def test_jardin_cooperation_links() -> None:
    root = corpus_vault("jardin-liut")
    items = run_json(root / "_notes" / "coopération.md", "--select", "broken-wikilink")
    reported = {d["message"].split('"')[1] for d in items}
    assert reported == {"[[knowledge management]]", "[[project management]]"}
    lines = {(d["line"], d["column"]) for d in items}
    assert lines == {(19, 116), (23, 4)}


def _copy_as_repo(name: str, tmp_path: Path) -> Path:
    root = copy_corpus(name, tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "snapshot"], cwd=root, check=True)
    return root


@pytest.mark.parametrize("name", ["obsidian-help-en", "jardin-liut"])
def test_missing_title_fix_only_inserts_title_lines(name: str, tmp_path: Path) -> None:
    root = _copy_as_repo(name, tmp_path)
    result = run("check", root, "--fix", "--select", "missing-title")
    assert result.exit_code == 0, result.output[-2000:]
    numstat = subprocess.run(
        ["git", "diff", "--numstat"], cwd=root, capture_output=True, text=True, check=True
    )
    rows = [line.split("\t") for line in numstat.stdout.splitlines()]
    assert rows, "some notes lacked a title"
    assert all(deleted == "0" for _, deleted, _ in rows)
    diff = subprocess.run(
        ["git", "diff", "-U0"], cwd=root, capture_output=True, text=True, check=True
    )
    added = [
        l[1:] for l in diff.stdout.splitlines() if l.startswith("+") and not l.startswith("+++")
    ]
    assert added and all(l == "---" or l.startswith("title: ") for l in added)
    again = run("check", root, "--fix", "--select", "missing-title")
    assert again.exit_code == 0
    after = subprocess.run(
        ["git", "diff", "--numstat"], cwd=root, capture_output=True, text=True, check=True
    )
    assert after.stdout == numstat.stdout  # the second run changed nothing


def _code_blocks(tokens: list[dict[str, object]], out: list[str]) -> None:
    for token in tokens:
        if token["type"] == "block_code":
            out.append(str(token["raw"]))
        children = token.get("children")
        if isinstance(children, list):
            _code_blocks(children, out)


# Raw HTML blocks with indented lines, where CommonMark implementations disagree among themselves.
HTML_TEMPLATES = {"_pages/search.md", "_pages/tags.md"}


@pytest.mark.parametrize("name", VAULTS)
def test_code_blocks_agree_with_mistune(name: str) -> None:
    """mistune as the oracle for fenced and indented code: same blocks, same contents."""
    root = corpus_vault(name)
    parse = mistune.create_markdown(
        renderer=None, plugins=["table", "footnotes", "strikethrough", "math"]
    )
    disagreements = []
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in rel.split("/")) or rel in HTML_TEMPLATES:
            continue
        note = read_note(root, rel, 1 << 30)
        if note.read_error is not None:
            continue
        theirs: list[str] = []
        _code_blocks(parse(note.text[note.body_start :]), theirs)
        ours = [
            note.text[s.start : s.end]
            for s in note.code
            if (s.start == 0 or note.text[s.start - 1] == "\n")
            and re.match(r"(?:[ \t>]*(?:```|~~~)|    |\t)", note.text[s.start : s.end])
        ]
        joined = "\n".join(ours)
        missing = [
            b for b in theirs if not all(l.strip() in joined for l in b.strip().splitlines())
        ]
        if missing or len(ours) != len(theirs):
            disagreements.append(rel)
    assert disagreements == []


def test_corpus_folder_layout() -> None:
    if not CORPUS.is_dir():
        pytest.skip("no corpus")
    assert {p.name for p in CORPUS.iterdir() if p.is_dir()} >= set(VAULTS)
