"""Data safety (issue 21): never lose a byte, never write outside the vault.

Each test is the reproduction of one defect a hostile test found.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import run
from vaultlint.engine.lint import Linter

Vault = Callable[..., Path]
# these vaults have no titles, so missing-title (the fix they need) is asked for by name
TITLES = {".vaultlint.yaml": "extend-select: [missing-title]\n"}


def _git_status(root: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


# -- 1. lost update ---------------------------------------------------------------------------


def test_a_note_edited_during_the_fix_is_not_overwritten(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = vault({**TITLES, "A.md": "Body of A\n", "B.md": "Body of B\n"})
    fix_note = Linter.fix_note

    def edit_meanwhile(self: Linter, note: Any, *args: Any, **kw: Any) -> Any:
        outcome = fix_note(self, note, *args, **kw)
        if note.path == "A.md":  # the user saves A.md while vaultlint works
            with open(root / "A.md", "a", encoding="utf-8") as handle:
                handle.write("a line typed meanwhile\n")
        return outcome

    monkeypatch.setattr(Linter, "fix_note", edit_meanwhile)
    result = run("check", root, "--fix", "--no-cache")
    assert (root / "A.md").read_text() == "Body of A\na line typed meanwhile\n"
    assert (root / "B.md").read_text() == "---\ntitle: B\n---\nBody of B\n"
    assert result.exit_code == 1
    assert "A.md: changed on disk while vaultlint worked; not fixed" in result.stderr
    assert "A.md:1:1: VL201" in result.stdout  # the note keeps its diagnostics


# -- 2. symlinked cache -----------------------------------------------------------------------


def _victim_db(path: Path) -> None:
    db = sqlite3.connect(path)
    for table in ("links", "notes", "meta", "tally", "known"):
        db.execute(f"CREATE TABLE {table} (x TEXT)")
        db.execute(f"INSERT INTO {table} VALUES ('precious')")
    db.commit()
    db.close()


def _tables(path: Path) -> list[tuple[str, int]]:
    db = sqlite3.connect(path)
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    found = [(name, db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]) for name in names]
    db.close()
    return sorted(found)


def test_a_symlinked_sqlite_cache_is_never_opened(vault: Vault, tmp_path: Path) -> None:
    victim = tmp_path / "victim.db"
    _victim_db(victim)
    before = victim.read_bytes()
    root = vault({"A.md": "---\ntitle: A\n---\n"})
    (root / ".vaultlint").mkdir()
    (root / ".vaultlint" / "notes.sqlite").symlink_to(victim)
    result = run("check", root)
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == before
    assert _tables(victim) == [(t, 1) for t in sorted(("links", "notes", "meta", "tally", "known"))]
    assert result.stderr.count("symlink") == 1  # one warning line
    assert (root / ".vaultlint" / "notes.sqlite").is_symlink()


def test_a_symlinked_cache_folder_writes_nothing_elsewhere(vault: Vault, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = vault({"A.md": "---\ntitle: A\n---\n"})
    (root / ".vaultlint").symlink_to(elsewhere)
    result = run("check", root)
    assert result.exit_code == 0, result.output
    assert list(elsewhere.iterdir()) == []
    assert "symlink" in result.stderr
    assert run("check", root, "--fix").exit_code == 0  # nor does a fix run
    assert list(elsewhere.iterdir()) == []


def test_a_dangling_gitignore_link_creates_nothing(vault: Vault, tmp_path: Path) -> None:
    target = tmp_path / "created-by-vaultlint"
    root = vault({"A.md": "---\ntitle: A\n---\n"})
    (root / ".vaultlint").mkdir()
    (root / ".vaultlint" / ".gitignore").symlink_to(target)
    for name in ("cache.json", "answers.json"):
        (root / ".vaultlint" / name).symlink_to(tmp_path / name)
    assert run("check", root).exit_code == 0
    assert not target.exists()
    assert not (tmp_path / "cache.json").exists()
    assert not (tmp_path / "answers.json").exists()


# -- 3. paths outside the vault ---------------------------------------------------------------


def test_a_path_outside_the_vault_is_a_usage_error(vault: Vault, tmp_path: Path) -> None:
    root = vault({"A.md": "---\ntitle: A\n---\n"})
    other = tmp_path / "other"
    other.mkdir()
    (other / "f.txt").write_text("x")
    result = run("check", other / "f.txt", cwd=root)
    assert result.exit_code == 2
    assert "outside the vault" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (other / ".vaultlint").exists()


def test_a_folder_that_is_not_a_vault_gets_no_cache(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "A.md").write_text("---\ntitle: A\n---\n")
    assert run("check", folder).exit_code == 0
    assert not (folder / ".vaultlint").exists()
    assert run("check", "--vault", folder).exit_code == 0  # named with --vault: it is a vault
    assert (folder / ".vaultlint").is_dir()


def test_a_folder_holding_vaults_is_not_checked_as_one(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / "all" / name / ".obsidian").mkdir(parents=True)
        (tmp_path / "all" / name / "A.md").write_text("---\ntitle: A\n---\n")
    result = run("check", tmp_path / "all")
    assert result.exit_code == 2
    assert "one" in result.stderr and "two" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "all" / ".vaultlint").exists()


# -- 6. invalid frontmatter -------------------------------------------------------------------


def test_a_note_with_invalid_frontmatter_is_never_rewritten(vault: Vault) -> None:
    text = "---\nk: 1\nk: 2\n---\nI will go accross the street.\n"
    root = vault({"dup.md": text})
    result = run("check", root, "--fix", "--unsafe-fixes", "--no-cache")
    assert result.exit_code == 1
    assert (root / "dup.md").read_text() == text


# -- 7. symlinked notes -----------------------------------------------------------------------


def test_a_symlinked_note_is_fixed_once_by_its_own_name(vault: Vault) -> None:
    root = vault({**TITLES, "A.md": "Body\n"})
    (root / "Z.md").symlink_to("A.md")
    run("check", root, "--fix", "--no-cache")
    assert (root / "A.md").read_text() == "---\ntitle: A\n---\nBody\n"
    assert (root / "Z.md").is_symlink()


def test_a_note_in_a_symlinked_folder_is_fixed_by_its_real_path(vault: Vault) -> None:
    root = vault({**TITLES, "real/Note.md": "Body\n"})
    (root / "a-link").symlink_to("real")  # sorts before the real folder
    run("check", root, "--fix", "--no-cache")
    assert (root / "real" / "Note.md").read_text() == "---\ntitle: Note\n---\nBody\n"
    assert (root / "a-link").is_symlink()


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_a_fix_keeps_the_owner(vault: Vault) -> None:
    root = vault({**TITLES, "A.md": "Body\n"})
    os.chown(root / "A.md", 1234, 5678)
    run("check", root, "--fix", "--no-cache")
    info = (root / "A.md").stat()
    assert (info.st_uid, info.st_gid) == (1234, 5678)
    assert (root / "A.md").read_text().startswith("---\ntitle: A\n")


# -- 8. one unwritable note -------------------------------------------------------------------


def test_a_long_name_is_fixed(vault: Vault) -> None:
    name = "é" * 125 + ".md"  # 253 bytes: a temporary name must not be longer
    root = vault({**TITLES, name: "Body\n", "B.md": "Body\n"})
    result = run("check", root, "--fix", "--no-cache")
    assert result.exit_code == 0, result.output
    assert (root / name).read_text().startswith("---\ntitle: ")
    assert (root / "B.md").read_text().startswith("---\ntitle: B\n")


def test_an_unwritable_note_does_not_stop_the_others(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = vault({**TITLES, "ro/A.md": "Body\n", "B.md": "Body\n", "C.md": "Body\n"})
    import vaultlint.disk.writer as writer

    replace = os.replace

    def refuse(src: Any, dst: Any) -> None:  # a read-only folder, even for root
        if str(dst).endswith(os.path.join("ro", "A.md")):
            raise PermissionError(13, "Permission denied")
        replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", refuse)
    result = run("check", root, "--fix", "--no-cache")
    assert result.exit_code == 1
    assert "ro/A.md: not fixed: cannot write (Permission denied)" in result.stderr
    assert "ro/A.md:1:1: VL201" in result.stdout
    assert (root / "ro" / "A.md").read_text() == "Body\n"
    assert (root / "B.md").read_text().startswith("---\ntitle: B\n")
    assert (root / "C.md").read_text().startswith("---\ntitle: C\n")
    assert not [p for p in root.rglob("*") if "tmp" in p.name]


# -- 11. stale temporary files ----------------------------------------------------------------


def test_a_killed_fix_leaves_nothing_in_git_status(vault: Vault) -> None:
    root = vault({**TITLES, "A.md": "Body\n", "sub/B.md": "Body\n"})
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    before = _git_status(root)
    # the process dies between writing the temporary file and renaming it
    killed = (
        "import os, sys; import vaultlint.disk.writer as w; "
        "w.os.replace = lambda *a: os._exit(9); "
        "from vaultlint.cli.main import main; sys.argv = ['vaultlint', 'check', '--fix', sys.argv[1]]; "
        "main()"
    )
    done = subprocess.run([sys.executable, "-c", killed, str(root)], capture_output=True)
    assert done.returncode == 9
    assert any(p.name.endswith(".tmp") for p in (root / ".vaultlint").iterdir())
    assert _git_status(root) == before
    assert (root / "A.md").read_text() == "Body\n"


def test_stale_temporary_files_are_cleaned_by_the_next_fix(vault: Vault) -> None:
    root = vault({**TITLES, "A.md": "Body\n", "sub/B.md": "Body\n"})
    import vaultlint.disk.writer as writer

    old = writer.TEMP_PREFIX + "abcd1234" + writer.TEMP_SUFFIX
    for folder in (root / "sub", root / ".vaultlint"):
        folder.mkdir(exist_ok=True)
        (folder / old).write_text("half a note")
        os.utime(folder / old, (1_000_000_000, 1_000_000_000))
    mine = root / "sub" / ".mine.tmp"
    mine.write_text("not ours")
    os.utime(mine, (1_000_000_000, 1_000_000_000))
    assert run("check", root).exit_code == 1
    assert (root / "sub" / old).exists()  # check never writes, nor deletes
    run("check", root, "--fix")
    assert not (root / "sub" / old).exists()
    assert not (root / ".vaultlint" / old).exists()
    assert mine.exists()


# -- 10. unsafe retargets ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Garden#ing", "Pipe|note", "Caret^note", " Lead", "Trail "])
def test_no_retarget_to_a_name_a_link_cannot_hold(vault: Vault, name: str) -> None:
    wanted = name.strip().replace("#", "").replace("|", "").replace("^", "")
    text = f"Read [[{wanted[:-1]}]].\n"
    root = vault({f"{name}.md": "---\ntitle: x\n---\n", "Links.md": text})
    result = run("check", root, "--fix", "--unsafe-fixes", "--no-cache")
    assert result.exit_code == 1
    assert "did you mean" not in result.stdout
    assert (root / "Links.md").read_text() == "---\ntitle: Links\n---\n" + text


def test_a_fix_that_breaks_the_note_does_not_drop_the_others() -> None:
    from test_engine import fix_with, make_rule  # the engine with stand-in rules

    from vaultlint.engine.rule import Edit, Fix, RuleOptions, Violation
    from vaultlint.model.note import Note, Span
    from vaultlint.vault.view import Vault as VaultView

    def breaks(note: Note, vault: VaultView, options: RuleOptions) -> Any:
        if note.text.startswith("---\na: 1"):  # a fix that makes the frontmatter invalid
            yield Violation(Span(4, 8), "bad", Fix("bad", (Edit(4, 8, "a: [\n"),)))

    def good(note: Note, vault: VaultView, options: RuleOptions) -> Any:
        if "teh" in note.text:
            at = note.text.index("teh")
            yield Violation(Span(at, at + 3), "typo", Fix("typo", (Edit(at, at + 3, "the"),)))

    text, error, applied = fix_with(
        "---\na: 1\n---\nteh end\n", make_rule("VL901", breaks), make_rule("VL902", good)
    )
    assert (text, error, applied) == ("---\na: 1\n---\nthe end\n", None, 1)


# -- 9. values used as paths ------------------------------------------------------------------


def test_a_lang_property_is_never_a_path(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultlint.spelling.speller import Speller

    asked: list[str] = []
    name = Speller.dictionary_name

    def spy(self: Speller, lang: str) -> str | None:
        asked.append(lang)
        return name(self, lang)

    monkeypatch.setattr(Speller, "dictionary_name", spy)
    root = vault({"A.md": "---\ntitle: A\nlang: ../../../../tmp/x\n---\nI will go accross.\n"})
    opened: list[str] = []
    real_open = open

    def watch(file: Any, *args: Any, **kw: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kw)

    monkeypatch.setattr("builtins.open", watch)
    run("check", root, "--no-cache")
    assert not [lang for lang in asked if "/" in lang]
    assert not [path for path in opened if "/tmp/x" in path]
    assert Speller().dictionary_name("../../tmp/x") is None


def test_the_obsidian_config_dir_stays_in_the_vault(vault: Vault) -> None:
    root = vault({"A.md": "---\ntitle: A\n---\n", ".vaultlint.yaml": "obsidian-config-dir: ../x\n"})
    result = run("check", root, "--no-cache")
    assert result.exit_code == 2
    assert "obsidian-config-dir" in result.stderr


# -- 4. safe typo fixes that would break links ------------------------------------------------


def test_a_typo_fix_never_edits_what_links_point_at(vault: Vault) -> None:
    other = "---\ntitle: The begining\n---\n## The begining\nI will go accross the street.\n"
    linking = "---\ntitle: Links\n---\nSee [[Other#The begining]] and [[Other|accross]].\n"
    root = vault({"Other.md": other, "Links.md": linking})
    result = run("check", root, "--fix", "--no-cache")
    assert (root / "Other.md").read_text() == other.replace("go accross", "go across")
    assert (root / "Links.md").read_text() == linking
    assert "VL103" not in result.stdout
    assert result.exit_code == 1  # the words left are still reported
    assert '"begining"' in result.stdout


# -- 5. migrate deletes only a tag ------------------------------------------------------------

MIGRATE = "rules:\n  stale-tag:\n    migrate: {Afairepousser: [wip]}\n"


@pytest.mark.parametrize(
    "body",
    [
        "<pre>\n#Afairepousser\n</pre>\n",
        "<!-- #Afairepousser -->\nx\n",
        "text <span>#Afairepousser</span> end\n",
        "[text #Afairepousser](https://x)\n",
        "%% #Afairepousser %%\nbody\n",
        "%%\n#Afairepousser\n%%\nbody\n",
    ],
)
def test_migrate_never_edits_inside_html_links_or_comments(vault: Vault, body: str) -> None:
    text = "---\ntitle: P\n---\n" + body
    root = vault({"P.md": text, ".vaultlint.yaml": MIGRATE})
    run("check", root, "--fix", "--no-cache")
    assert (root / "P.md").read_text() == text


@pytest.mark.parametrize(
    ("body", "after"),
    [
        ("body\n#Afairepousser", "body"),
        ("body\n#Afairepousser\n#Afairepousser", "body"),
        ("body\n\n---\n#Afairepousser", "body"),
        ("body #Afairepousser", "body"),
        ("body\n#Afairepousser\n", "body\n"),
    ],
)
def test_migrate_keeps_the_absence_of_a_final_newline(vault: Vault, body: str, after: str) -> None:
    root = vault({"P.md": "---\ntitle: P\n---\n" + body, ".vaultlint.yaml": MIGRATE})
    run("check", root, "--fix", "--no-cache")
    assert (root / "P.md").read_text() == "---\ntitle: P\ntags: [wip]\n---\n" + after


def test_init_force_replaces_a_symlinked_config_never_writes_through_it(
    vault: Vault, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    root = vault({"A.md": "Body\n"})
    (root / ".vaultlint.yaml").symlink_to(victim)
    refused = run("init", root)
    assert refused.exit_code == 2  # a dangling or live link counts as "exists"
    assert run("init", root, "--force").exit_code == 0
    assert victim.read_text() == "keep me\n"
    assert not (root / ".vaultlint.yaml").is_symlink()
    assert "respect-gitignore: true" in (root / ".vaultlint.yaml").read_text()


def test_a_note_fix_will_not_rewrite_offers_no_fix(vault: Vault) -> None:
    root = vault({"dup.md": "---\nk: 1\nk: 2\n---\nI will go accross the the street.\n"})
    result = run("check", root, "--no-cache")
    assert "accross" in result.stdout and "[*]" not in result.stdout
    assert "fixable" not in result.stdout


def test_words_add_refuses_what_is_not_one_word(vault: Vault) -> None:
    root = vault({"A.md": "Body\n"})
    for bad in ("a\nb", "bad word", "#tag"):
        result = run("words", "add", "--vault", root, bad)
        assert result.exit_code == 2, bad
        assert not (root / ".vaultlint-words.txt").exists()
    assert run("words", "add", "--vault", root, "stigmergie").exit_code == 0
    assert "stigmergie" in (root / ".vaultlint-words.txt").read_text()


def test_jekyll_sites_get_no_safe_title_for_a_file_without_frontmatter(vault: Vault) -> None:
    root = vault(
        {"README.md": "# Site\n", "_config.yml": "title: x\n", "note.md": "---\na: 1\n---\n"}
    )
    result = run("check", root, "--no-cache", "--select", "missing-title", "--fix")
    assert (root / "README.md").read_text() == "# Site\n"  # a page Jekyll would now publish
    assert (root / "note.md").read_text().startswith("---\ntitle: note\n")
    assert "unsafe: Jekyll would publish it as a page" in result.stdout
