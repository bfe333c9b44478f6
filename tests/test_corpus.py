"""The real vaults in ../shared/corpus (read-only; copied before any --fix). Skipped when absent."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import mistune
import pytest

from conftest import CORPUS, copy_corpus, corpus_vault, run, run_json
from vaultlint.disk.loader import read_note

VAULTS = ["jardin-liut", "obsidian-help-en", "obsidian-help-fr", "obsidian-hub", "quartz-docs"]
pytestmark = pytest.mark.corpus


@pytest.mark.parametrize("name", VAULTS)
def test_check_completes_without_crash_or_false_unreadable(name: str) -> None:
    root = corpus_vault(name)
    result = run("check", root, "--output-format", "json", "--exit-zero", "--no-cache")
    assert result.exit_code == 0, result.output[-2000:]
    assert "internal error" not in result.output
    import json

    items = json.loads(result.stdout)
    assert [d for d in items if d["rule"] == "unreadable-note"] == []


def test_help_en_link_reports_are_the_deliberate_examples() -> None:
    root = corpus_vault("obsidian-help-en")
    items = run_json(root, "--select", "VL1", "--ignore", "orphan-note", "--no-cache")
    # Internal links.md shows how links display using a note "Example" that does not exist.
    assert {d["path"] for d in items} == {"Linking notes and files/Internal links.md"}
    assert all("Example" in d["message"] for d in items) and len(items) == 6


def test_jardin_cooperation_links() -> None:
    root = corpus_vault("jardin-liut")
    items = run_json(
        root / "_notes" / "coopération.md", "--select", "broken-wikilink", "--no-cache"
    )
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
    left = [l for l in result.stdout.splitlines() if "VL201" in l]
    # in a Jekyll site a file without frontmatter keeps none (the fix would publish it)
    assert all("unsafe: Jekyll would publish it" in l for l in left), left
    assert result.exit_code == (1 if left else 0), result.output[-2000:]
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
    assert again.exit_code == result.exit_code
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


def _lost_only_tag(before: str, after: str) -> bool:
    """``after`` is ``before`` minus "#Afairepousser" and the spaces or dash around it."""
    at = before.find("#Afairepousser")
    if at < 0:
        return False
    head, tail = before[:at], before[at + len("#Afairepousser") :]
    return any(
        after == h + t
        for h in (head, head.rstrip(), head.rstrip().rstrip("-–").rstrip())
        for t in (tail, tail.lstrip(), tail.lstrip().lstrip("-–").lstrip())
    )


JARDIN_TAXONOMY = (
    "rules:\n  stale-tag:\n    graduated-tags: [v1, updated, evergreen]\n"
    "    migrate:\n      Afairepousser: [wip, to_update]\n"
)


def test_jardin_afairepousser_counts_and_migration(tmp_path: Path) -> None:
    import difflib

    root = _copy_as_repo("jardin-liut", tmp_path)
    inline, front = set(), set()
    for path in root.rglob("*.md"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("."):
            continue
        note = read_note(root, rel, 1 << 30)
        for tag in note.tags:
            if tag.folded == "afairepousser":
                (inline if tag.source.value == "inline" else front).add(rel)
    assert (len(inline), len(front)) == (46, 50)  # as the issue counted in the files
    (root / ".vaultlint.yaml").write_text(JARDIN_TAXONOMY)
    items = run_json(root, "--select", "stale-tag")
    kinds = [d["data"]["kind"] for d in items]
    assert kinds.count("outgrown") == 11 and kinds.count("migrate") == 35
    assert {d["path"] for d in items} == inline  # a fresh repo: nothing is neglected yet
    before = {p: (root / p).read_text(encoding="utf-8") for p in inline}
    result = run("check", root, "--select", "stale-tag", "--fix", "--unsafe-fixes")
    assert result.exit_code == 0, result.output[-1000:]
    tag_item = re.compile(r"\s*- (wip|to_update)|tags: \[.*\]")
    for rel, old in before.items():
        new = (root / rel).read_text(encoding="utf-8")
        old_lines, new_lines = old.splitlines(), new.splitlines()
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                continue
            removed, added = old_lines[a1:a2], new_lines[b1:b2]
            for line in removed:  # only the tag's line, a closing rule or blank lines go
                assert "Afairepousser" in line or line.strip() in ("", "---"), (rel, line)
            for line in added:  # only tag items, or a line that lost just the tag
                assert tag_item.fullmatch(line) or any(_lost_only_tag(r, line) for r in removed), (
                    rel,
                    line,
                )
    assert run_json(root, "--select", "stale-tag") == []


@pytest.mark.parametrize("name", ["obsidian-help-en", "obsidian-help-fr"])
def test_help_vaults_get_few_typo_flags(name: str) -> None:
    # professionally edited: what is left are names in the credits, at most a handful
    items = run_json(corpus_vault(name), "--select", "typo", "--no-cache")
    assert len(items) <= 5, [d["message"] for d in items]


def test_jardin_cooperation_italian_proverb_is_not_flagged() -> None:
    items = run_json(corpus_vault("jardin-liut"), "--select", "typo,unknown-word", "--no-cache")
    words = {d["message"].split('"')[1] for d in items if d["path"] == "_notes/coopération.md"}
    assert not words & {"fidarsi", "meglio"}
