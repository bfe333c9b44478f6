"""Bad input gets a clear diagnostic, never a traceback, and the run goes on."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run, run_json

Vault = Callable[..., Path]
GOOD = "---\ntitle: Good\n---\n[[Missing]]\n"


def problems(root: Path) -> dict[str, list[tuple[int, int, str, str]]]:
    found: dict[str, list[tuple[int, int, str, str]]] = {}
    for d in run_json(root):
        found.setdefault(d["path"], []).append((d["line"], d["column"], d["rule"], d["message"]))
    return found


def test_every_bad_note_reported_and_run_goes_on(vault: Vault) -> None:
    root = vault(
        {
            "Good.md": GOOD,
            "latin1.md": b"---\ntitle: x\n---\nligne un\ncaf" + b"\xe9 au lait\n",
            "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            "empty.md": b"",
            "yaml.md": "---\ntitle: [unclosed\n---\n",
            "huge.md": "---\ntitle: Huge\n---\n" + ("word [[Good]] " * 400_000),
        }
    )
    found = problems(root)
    assert found["latin1.md"] == [
        (5, 4, "unreadable-note", "not valid UTF-8: byte 0xe9 at offset 29")
    ]
    assert found["binary.md"][0][2:] == (
        "unreadable-note",
        "binary file named .md (contains NUL bytes); not a note",
    )
    assert [p[2] for p in found["empty.md"]] == ["missing-title"]
    assert found["yaml.md"][0][:3] == (2, 8, "invalid-frontmatter")
    assert [p[2] for p in found["yaml.md"]] == ["invalid-frontmatter"]  # never title-fixed
    assert "huge.md" not in found  # 5.6 MB of links, all fine
    assert found["Good.md"][0][2] == "broken-wikilink"


def test_fix_never_touches_unparsable_notes(vault: Vault) -> None:
    root = vault({"yaml.md": "---\ntitle: [unclosed\n---\n", "bin.md": b"\x00\x01"})
    before = {p: (root / p).read_bytes() for p in ("yaml.md", "bin.md")}
    result = run("check", root, "--fix", "--unsafe-fixes")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert {p: (root / p).read_bytes() for p in before} == before


def test_unreadable_file(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault({"locked.md": "secret", "Good.md": GOOD})
    if os.geteuid() != 0:
        (root / "locked.md").chmod(0)
    else:  # root reads anything: simulate the permission error at the one place files are opened
        import builtins

        import vaultlint.disk.loader as loader

        real_open = builtins.open

        def guarded(file: object, *args: object, **kwargs: object) -> object:
            if str(file).endswith("locked.md"):
                raise PermissionError(13, "Permission denied")
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(loader, "open", guarded, raising=False)
    found = problems(root)
    assert found["locked.md"] == [(1, 1, "unreadable-note", "cannot read file: Permission denied")]
    assert "Good.md" in found


def test_symlink_loops_and_escapes(vault: Vault, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: outside\n---\n")
    root = vault({"Good.md": GOOD, "sub/x.md": "---\ntitle: x\n---\n"})
    os.symlink("loop-b.md", root / "loop-a.md")
    os.symlink("loop-a.md", root / "loop-b.md")
    os.symlink(outside, root / "escape.md")
    os.symlink("..", root / "sub" / "up")  # a folder loop
    os.symlink(tmp_path, root / "outdir")
    found = problems(root)
    assert found["loop-a.md"][0][2:] == ("unreadable-note", "broken symlink or symlink loop")
    assert found["escape.md"][0][3] == "symlink leads outside the vault; not read"
    assert "sub/up/Good.md" not in found and "sub/up/sub/x.md" not in found
    assert not any(path.startswith("outdir/") for path in found)


def test_fifo_named_md_does_not_hang(vault: Vault) -> None:
    root = vault({"Good.md": GOOD})
    os.mkfifo(root / "pipe.md")
    found = problems(root)
    assert found["pipe.md"][0][3] == "not a regular file; not read"


def test_links_never_leave_the_vault(vault: Vault, tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_text("x")
    root = vault(
        {
            "a/b/N.md": "---\ntitle: N\n---\n[[../../../secret]] [[../../../../etc/passwd]] [x](../../../secret.md)\n"
        }
    )
    items = run_json(root)
    assert [d["rule"] for d in items] == [
        "broken-wikilink",
        "broken-wikilink",
        "broken-markdown-link",
    ]


def test_dot_folders_are_outside_the_vault(vault: Vault) -> None:
    root = vault({".trash/Old.md": "x", "A.md": "---\ntitle: A\n---\n[[Old]] [[.trash/Old]]\n"})
    items = run_json(root)
    assert [d["path"] for d in items] == ["A.md", "A.md"]  # R13: nothing in .trash resolves


def test_bom_crlf_and_mode_survive_a_fix(vault: Vault) -> None:
    root = vault({"win.md": b"\xef\xbb\xbf---\r\ntags: [a]\r\n---\r\nBody\r\nno final newline"})
    (root / "win.md").chmod(0o640)
    # no note of this vault has a title: missing-title is on because it is asked for
    result = run("check", root, "--fix", "--extend-select", "missing-title")
    assert result.exit_code == 0, result.output
    assert (root / "win.md").read_bytes() == (
        b"\xef\xbb\xbf---\r\ntitle: win\r\ntags: [a]\r\n---\r\nBody\r\nno final newline"
    )
    assert (root / "win.md").stat().st_mode & 0o777 == 0o640


def test_mixed_line_endings_are_not_rewritten(vault: Vault) -> None:
    root = vault({"mixed.md": b"line one\r\nline two\n"})
    result = run("check", root, "--fix", "--extend-select", "missing-title")
    assert "mixed line endings" in result.output
    assert (root / "mixed.md").read_bytes() == b"line one\r\nline two\n"


def test_no_vault_marker_uses_given_folder(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "A.md").write_text("---\ntitle: A\n---\n[[B]]\n")
    (folder / "B.md").write_text("---\ntitle: B\n---\n")
    assert run("check", folder).exit_code == 0
