"""``vaultlint mv``: every link to a moved file still reaches it, and nothing else changes."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run

Vault = Callable[..., Path]


def files_of(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def move(root: Path, *args: str) -> tuple[int, str, str]:
    result = run("mv", "--vault", root, *args, cwd=root)
    return result.exit_code, result.stdout, result.stderr


def text(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def broken(root: Path) -> list[str]:
    result = run(
        "check",
        "--no-cache",
        "--select",
        "VL1",
        "--ignore",
        "orphan-note",
        "--output-format",
        "json",
        root,
    )
    return [f"{d['path']}:{d['line']} {d['code']}" for d in json.loads(result.stdout)]


def test_every_link_form_follows_a_rename(vault: Vault) -> None:
    root = vault(
        {
            "Note.md": "# Head\n\npara ^blk\n",
            "My Note.md": "x\n",
            "A.md": (
                '---\nup: "[[Note]]"\nlist:\n  - "[[Note#Head|h]]"\n---\n'
                "[[Note]] [[Note|shown]] [[Note#Head]] [[Note#^blk|b]] ![[Note]] ![[Note#Head]]\n"
                "[t](Note.md) [t](Note.md#Head) [u](My%20Note.md) [v](<My Note.md>) ![e](Note.md)\n"
            ),
        }
    )
    code, out, _ = move(root, "Note.md", "Renamed.md")
    assert code == 0, out
    assert text(root, "A.md") == (
        '---\nup: "[[Renamed]]"\nlist:\n  - "[[Renamed#Head|h]]"\n---\n'
        "[[Renamed]] [[Renamed|shown]] [[Renamed#Head]] [[Renamed#^blk|b]] ![[Renamed]] "
        "![[Renamed#Head]]\n"
        "[t](Renamed.md) [t](Renamed.md#Head) [u](My%20Note.md) [v](<My Note.md>) "
        "![e](Renamed.md)\n"
    )
    code, out, _ = move(root, "My Note.md", "Your Note.md")
    assert code == 0, out
    assert "[u](Your%20Note.md) [v](<Your Note.md>)" in text(root, "A.md")
    assert not (root / "Note.md").exists() and (root / "Renamed.md").exists()
    assert broken(root) == []


def test_percent_encoding_is_kept_as_the_link_had_it(vault: Vault) -> None:
    root = vault({"Été.md": "x\n", "A.md": "[a](%C3%89t%C3%A9.md) [b](Été.md)\n"})
    assert move(root, "Été.md", "Été bis.md")[0] == 0
    assert text(root, "A.md") == "[a](%C3%89t%C3%A9%20bis.md) [b](Été%20bis.md)\n"


def test_frontmatter_quotes(vault: Vault) -> None:
    root = vault({"Note.md": "x\n", "A.md": "---\nup: \"[[Note]]\"\nal: '[[Note]]'\n---\n"})
    code, _, err = move(root, "Note.md", "Jane's note.md")
    assert code == 2 and "A.md:3:6" in err  # '[[Jane's note]]' would end the YAML string
    (root / "A.md").write_text('---\nup: "[[Note]]"\n---\n[[Note]]\n')
    assert move(root, "Note.md", "Jane's note.md")[0] == 0
    assert text(root, "A.md") == "---\nup: \"[[Jane's note]]\"\n---\n[[Jane's note]]\n"


def test_shortest_link_stays_short_when_the_name_is_unique(vault: Vault) -> None:
    root = vault({"Note.md": "x\n", "A.md": "[[Note]] [n](Note.md)\n"})
    code, out, _ = move(root, "Note.md", "Deep/Sub/")
    assert code == 0, out
    assert (root / "Deep/Sub/Note.md").exists()
    assert text(root, "A.md") == "[[Note]] [n](Note.md)\n"  # still resolves: untouched
    assert "rewrote 0 links in 0 notes" in out


def test_new_name_ambiguous_gets_a_path_and_other_links_keep_their_file(vault: Vault) -> None:
    root = vault({"Other/Plan.md": "o\n", "X.md": "x\n", "A.md": "[[X]] and [[Plan]]\n"})
    assert move(root, "X.md", "Sub/Plan.md")[0] == 0
    # [[Plan]] would now tie between Other/Plan.md and Sub/Plan.md: both links get a path
    assert text(root, "A.md") == "[[Sub/Plan]] and [[Other/Plan]]\n"
    assert broken(root) == []


def test_a_move_that_captures_a_name_repoints_the_captured_links(vault: Vault) -> None:
    root = vault({"Far/Away/Plan.md": "p\n", "Old.md": "o\n", "A.md": "[[Plan]]\n"})
    assert move(root, "Old.md", "Plan.md")[0] == 0
    # the root Plan.md would win [[Plan]] by its exact path: the link keeps its old file
    assert text(root, "A.md") == "[[Far/Away/Plan]]\n"


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("shortest", "[[Archive/Note]] [[Archive/Note]]"),
        ("absolute", "[[Archive/Note]] [[Archive/Note]]"),
        ("relative", "[[../Archive/Note]] [[../Archive/Note]]"),
    ],
)
def test_new_link_format_decides_when_the_name_is_taken(
    vault: Vault, setting: str, expected: str
) -> None:
    root = vault(
        {
            ".obsidian/app.json": json.dumps({"newLinkFormat": setting}),
            "Old.md": "x\n",
            "Notes/A.md": "[[Old]] [[Old]]\n",
            "Notes/Note.md": "taken\n",  # "Note" is not unique: shortest needs a path
        }
    )
    assert move(root, "Old.md", "Archive/Note.md")[0] == 0
    assert text(root, "Notes/A.md") == expected + "\n"


def test_relative_and_absolute_links_keep_their_style(vault: Vault) -> None:
    root = vault(
        {
            "a/b/Note.md": "x\n",
            "a/src.md": "[r](b/Note.md) [[a/b/Note]] [s](/a/b/Note.md) [d](./b/Note.md)\n",
        }
    )
    assert move(root, "a/b/Note.md", "a/c/Note2.md")[0] == 0
    assert text(root, "a/src.md") == (
        "[r](c/Note2.md) [[a/c/Note2]] [s](/a/c/Note2.md) [d](./c/Note2.md)\n"
    )


def test_links_from_the_moved_note_keep_working(vault: Vault) -> None:
    # in the new place, the same relative paths would reach other files of the same names
    root = vault(
        {
            "img.png": b"\x89PNG",
            "Deep/img.png": b"other",
            "Sub/B.md": "b\n",
            "Deep/er/B.md": "other b\n",
            "Sub/A.md": "![i](../img.png) [n](./B.md) [[B]] [m](B.md) [[Sub/B]]\n",
        }
    )
    assert move(root, "Sub/A.md", "Deep/er/A.md")[0] == 0
    assert text(root, "Deep/er/A.md") == (
        "![i](../../img.png) [n](../../Sub/B.md) [[Sub/B]] [m](Sub/B.md) [[Sub/B]]\n"
    )
    assert broken(root) == []


def test_folder_move(vault: Vault) -> None:
    root = vault({"Proj/Note.md": "n\n", "Home.md": "[[Proj/Note]]\n"})
    code, out, _ = move(root, "Proj", "Archive/2024/")
    assert code == 0, out
    assert (root / "Archive/2024/Proj/Note.md").exists()
    assert text(root, "Home.md") == "[[Proj/Note]]\n"  # a path's tail still finds it


def test_folder_rename(vault: Vault) -> None:
    root = vault(
        {
            "Proj/Note.md": "[[Proj/Other]] [o](Other.md) [up](../Home.md)\n",
            "Proj/Other.md": "[[Note]]\n",
            "Proj/pic.png": b"png",
            "Home.md": "[[Proj/Note]] ![[Proj/pic.png]] [n](Proj/Note.md) [[Other]]\n",
            "Archive/Home.md": "another home: ../Home.md must not reach it\n",
        }
    )
    code, out, _ = move(root, "Proj", "Archive/Project")
    assert code == 0, out
    assert not (root / "Proj").exists()
    assert text(root, "Home.md") == (
        "[[Archive/Project/Note]] ![[Archive/Project/pic.png]] "
        "[n](Archive/Project/Note.md) [[Other]]\n"
    )
    assert text(root, "Archive/Project/Note.md") == (
        "[[Archive/Project/Other]] [o](Other.md) [up](../../Home.md)\n"
    )
    assert (root / "Archive/Project/pic.png").read_bytes() == b"png"
    assert broken(root) == []


def test_attachment_move(vault: Vault) -> None:
    root = vault(
        {
            "img.png": b"\x89PNG\r\n",
            "A.md": "![[img.png|300]] ![alt](img.png) [[img.png#x]]\n",
        }
    )
    assert move(root, "img.png", "assets/pic one.png")[0] == 0
    assert (root / "assets/pic one.png").read_bytes() == b"\x89PNG\r\n"
    assert text(root, "A.md") == ("![[pic one.png|300]] ![alt](pic%20one.png) [[pic one.png#x]]\n")


def test_crlf_bom_and_mixed_line_endings_are_kept(vault: Vault) -> None:
    root = vault(
        {
            "Note.md": "x\n",
            "crlf.md": b'\xef\xbb\xbf---\r\nup: "[[Note]]"\r\n---\r\n\r\nSee [[Note]].\r\n',
            "mixed.md": b"line\r\nother\n[[Note]]\r\n",
        }
    )
    os.chmod(root / "crlf.md", 0o640)
    assert move(root, "Note.md", "N2.md")[0] == 0
    assert (root / "crlf.md").read_bytes() == (
        b'\xef\xbb\xbf---\r\nup: "[[N2]]"\r\n---\r\n\r\nSee [[N2]].\r\n'
    )
    assert (root / "mixed.md").read_bytes() == b"line\r\nother\n[[N2]]\r\n"
    assert (root / "crlf.md").stat().st_mode & 0o777 == 0o640


def test_code_comments_and_broken_links(vault: Vault) -> None:
    root = vault(
        {
            "Note.md": "x\n",
            "A.md": (
                "`[[Note]]` and\n\n```\n[[Note]]\n```\n\n    [[Note]]\n\n"
                "%% [[Note]] %% [[Missing]] [[Note]]\n"
            ),
        }
    )
    assert move(root, "Note.md", "N2.md")[0] == 0
    assert text(root, "A.md") == (
        "`[[Note]]` and\n\n```\n[[Note]]\n```\n\n    [[Note]]\n\n%% [[N2]] %% [[Missing]] [[N2]]\n"
    )


def test_dry_run_and_diff_change_nothing(vault: Vault) -> None:
    root = vault({"Note.md": "x\n", "A.md": "see [[Note]]\n"})
    before = files_of(root)
    code, out, _ = move(root, "Note.md", "N2.md", "--dry-run")
    assert code == 0
    assert "A.md:1:5: [[Note]] -> [[N2]]" in out
    assert "would move Note.md to N2.md (rename); would rewrite 1 link in 1 note" in out
    code, out, _ = move(root, "Note.md", "N2.md", "--diff")
    assert code == 0
    assert "--- a/A.md\n+++ b/A.md\n" in out and "-see [[Note]]\n+see [[N2]]\n" in out
    assert files_of(root) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Missing.md", "X.md"), "no such file or folder: Missing.md"),
        (("Note.md", "A.md"), "A.md already exists"),
        (("Note.md", "../Out.md"), "is outside the vault"),
        (("Note.md", ".trash/Note.md"), "is outside the vault"),
        (("Note.md", "Note.md"), "are the same path"),
        (("Sub", "Sub/In"), "cannot move the folder Sub into itself"),
    ],
)
def test_clear_errors(vault: Vault, args: tuple[str, str], message: str) -> None:
    root = vault({"Note.md": "x\n", "A.md": "[[Note]]\n", "Sub/B.md": "b\n"})
    before = files_of(root)
    code, _, err = move(root, *args)
    assert code == 2
    assert err.startswith("vaultlint: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert files_of(root) == before


def test_case_only_rename_on_a_case_insensitive_disk(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = vault({"Note.md": "x\n", "A.md": "[[Note]]\n"})
    # a case-insensitive disk: "note.md" is another spelling of the file "Note.md"
    lexists, samefile = os.path.lexists, os.path.samefile
    monkeypatch.setattr(os.path, "lexists", lambda p: lexists(_folded(p)))
    monkeypatch.setattr(os.path, "samefile", lambda a, b: samefile(_folded(a), _folded(b)))
    code, _, err = move(root, "Note.md", "note.md")
    assert code == 2 and "case-only rename on a case-insensitive file system" in err
    assert text(root, "A.md") == "[[Note]]\n" and (root / "Note.md").exists()


def test_case_only_rename_on_a_case_sensitive_disk(vault: Vault) -> None:
    root = vault({"Note.md": "x\n", "A.md": "[[Note]]\n"})
    assert move(root, "Note.md", "note.md")[0] == 0
    assert (root / "note.md").exists() and not (root / "Note.md").exists()
    assert broken(root) == []  # [[Note]] finds note.md: links ignore case


def _folded(path: str | os.PathLike[str]) -> str:
    p = Path(path)
    if p.parent.is_dir():
        for sibling in p.parent.iterdir():
            if sibling.name.lower() == p.name.lower():
                return str(sibling)
    return str(p)


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t"}
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_git_mv_for_a_tracked_file_and_rename_for_an_untracked_one(vault: Vault) -> None:
    root = vault({"Note.md": "x\n", "A.md": "[[Note]]\n", "Loose.md": "l\n"})
    git(root, "init", "-q")
    git(root, "add", "Note.md", "A.md")
    git(root, "commit", "-qm", "init")
    code, out, _ = move(root, "Note.md", "Sub/N2.md")
    assert code == 0 and "(git mv)" in out
    status = git(root, "status", "--porcelain")
    assert "R  Note.md -> Sub/N2.md" in status and " M A.md" in status
    code, out, _ = move(root, "Loose.md", "Sub/Loose.md")
    assert code == 0 and "(rename)" in out
    assert (root / "Sub/Loose.md").exists()


def test_a_failure_halfway_changes_nothing(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault(
        {
            "Proj/Note.md": "[up](../Home.md)\n",
            "Home.md": "[[Proj/Note]]\n",
            "B.md": "[n](Proj/Note.md)\n",
            "C.md": "![[Proj/Note]]\n",
        }
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    before, index = files_of(root), git(root, "ls-files", "-s")
    from vaultlint.move import relocate

    calls = []
    replace = os.replace

    def failing(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:  # two notes written, the third fails
            raise OSError(28, "No space left on device", dst)
        replace(src, dst)

    monkeypatch.setattr(relocate.os, "replace", failing)
    code, _, err = move(root, "Proj", "Archive/Project")
    assert code == 2 and "No space left on device" in err and "nothing was changed" in err
    assert len(calls) > 3  # the two notes written were written back
    monkeypatch.undo()
    assert files_of(root) == before
    assert not (root / "Archive").exists()
    assert git(root, "ls-files", "-s") == index and git(root, "status", "--porcelain") == ""


def test_a_note_edited_during_the_move_is_not_overwritten(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = vault({"Note.md": "x\n", "A.md": "[[Note]]\n"})
    from vaultlint.move import relocate

    check = relocate._check_unchanged

    def edit_first(where: Path, notes: list[relocate.NoteChange]) -> None:
        (root / "A.md").write_text("[[Note]] edited\n")
        check(where, notes)

    monkeypatch.setattr(relocate, "_check_unchanged", edit_first)
    code, _, err = move(root, "Note.md", "N2.md")
    assert code == 2 and "A.md changed while the move was planned" in err
    assert (root / "Note.md").exists() and text(root, "A.md") == "[[Note]] edited\n"


def test_a_name_no_link_can_reach_is_refused(vault: Vault) -> None:
    root = vault({"Note.md": "x\n", "A.md": "[[Note]]\n"})
    code, _, err = move(root, "Note.md", "Q#1.md")
    assert code == 2 and 'A.md:1:1: no link to "Q#1.md"' in err
    assert (root / "Note.md").exists() and text(root, "A.md") == "[[Note]]\n"


def test_an_ambiguous_link_is_left_and_named(vault: Vault) -> None:
    root = vault({"a/Tie.md": "a\n", "b/Tie.md": "b\n", "Home.md": "[[Tie]]\n"})
    code, _, err = move(root, "a/Tie.md", "c/Other.md")
    assert code == 0
    assert "1 links were ambiguous before the move" in err and "Home.md:1:1" in err
    assert text(root, "Home.md") == "[[Tie]]\n"


def test_staged_fix_repoints_the_links_a_staged_rename_breaks(vault: Vault) -> None:
    root = vault(
        {
            "A.md": "---\ntitle: A\n---\nSee [[Note]], [n](Note.md#H) and [[Note|n]].\n",
            "Note.md": "---\ntitle: Note\n---\n# H\n",
            "B.md": "---\ntitle: B\n---\n[[Gone]]\n",
            "Gone.md": "---\ntitle: Gone\n---\n",
        }
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    (root / "Sub").mkdir()
    git(root, "mv", "Note.md", "Sub/Renamed.md")
    git(root, "rm", "-q", "Gone.md")
    refused = run("check", "--staged", "--no-cache", "Sub/Renamed.md", cwd=root)
    assert refused.exit_code == 1
    assert 'renames "Note.md" to "Sub/Renamed.md", which 1 note links to: A.md' in refused.stderr
    assert "--staged --fix` repoints them" in refused.stderr
    fixed = run("check", "--staged", "--fix", "--no-cache", "Sub/Renamed.md", cwd=root)
    assert text(root, "A.md") == (
        "---\ntitle: A\n---\nSee [[Renamed]], [n](Renamed.md#H) and [[Renamed|n]].\n"
    )
    assert "rewrote 3 links in 1 note to follow the renamed files" in fixed.stderr
    # a deletion has nothing to follow: still refused, B.md untouched
    assert fixed.exit_code == 1 and 'deletes "Gone.md"' in fixed.stderr
    assert text(root, "B.md") == "---\ntitle: B\n---\n[[Gone]]\n"


@pytest.mark.e2e
def test_pre_commit_hook_repairs_a_renamed_note_end_to_end(vault: Vault, tmp_path: Path) -> None:
    import shutil
    import sys

    bin_dir = Path(sys.executable).parent
    if shutil.which("pre-commit", path=str(bin_dir)) is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    root = vault(
        {
            "Home.md": "---\ntitle: Home\n---\nSee [[Compost]] and ![[Compost#Heap]].\n",
            "Compost.md": "---\ntitle: Compost\n---\n# Heap\n",
            ".pre-commit-config.yaml": (
                "repos:\n- repo: local\n  hooks:\n"
                "  - id: vaultlint-fix\n    name: vaultlint (fix)\n"
                f"    entry: {bin_dir / 'vaultlint'} check --staged --fix\n"
                "    language: system\n    types: [markdown]\n"
                "    always_run: true\n    require_serial: true\n"
            ),
        }
    )
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
    }
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    subprocess.run(["pre-commit", "install"], cwd=root, env=env, check=True, capture_output=True)

    def commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-m", "rename"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )

    (root / "Garden").mkdir()
    git(root, "mv", "Compost.md", "Garden/Compost heap.md")
    first = commit()
    output = first.stdout + first.stderr
    assert first.returncode != 0, output  # the hook changed Home.md: review and stage it
    assert "files were modified by this hook" in output
    assert "rewrote 2 links in 1 note to follow the renamed files" in output
    assert text(root, "Home.md") == (
        "---\ntitle: Home\n---\nSee [[Compost heap]] and ![[Compost heap#Heap]].\n"
    )
    git(root, "add", "Home.md")
    second = commit()
    assert second.returncode == 0, second.stdout + second.stderr
    assert git(root, "status", "--porcelain") == ""


def test_staged_fix_combines_with_the_other_fixes_of_the_renamed_note(vault: Vault) -> None:
    root = vault({"x/A.md": "---\ntitle: A\n---\n", "y/A.md": "---\ntitle: A\n---\n"})
    (root / "x/Note.md").write_text("See [[A]].\r\n", newline="")  # no title: a fix adds one
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    git(root, "mv", "x/Note.md", "y/Note.md")  # [[A]] would now reach y/A.md
    fixed = run("check", "--staged", "--fix", "--no-cache", "y/Note.md", cwd=root)
    assert fixed.exit_code == 0, fixed.output
    assert (root / "y/Note.md").read_bytes() == b"---\r\ntitle: Note\r\n---\r\nSee [[x/A]].\r\n"
