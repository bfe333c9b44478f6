"""The false-alarm classes of issue 15, each on a two-note vault, and the options around them:
leading-slash links, resolve-by profiles, templates folders, defaults fitted to the vault."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run, run_json

Vault = Callable[..., Path]
T = "---\ntitle: t\n---\n"


def links(root: Path, *args: str) -> list[tuple[str, int, int, str]]:
    return [
        (d["path"], d["line"], d["column"], d["rule"])
        for d in run_json(root, "--select", "VL1", "--ignore", "orphan-note", *args)
    ]


# (what Obsidian does, the two notes, what vaultlint reports: path, line, column, rule)
CLASSES = [
    # §2.1 rule 3: a relative path never climbs above the vault root
    ("relative stops at root", {"img.png": "", "sub/a.md": T + "![s](../../img.png)\n"}, []),
    # rule 3: a relative path that misses goes on by name
    ("relative miss by name", {"a/b/Note.md": T, "a/b/src.md": T + "[n](../../Note.md)\n"}, []),
    # rule 5: the suffix match has no folder boundary
    ("suffix no boundary", {"zz/ab/Deep.md": T, "src.md": T + "[[b/Deep]]\n"}, []),
    # rule 6: "near" is a plain prefix of the source folder, before shortest: no false tie
    (
        "near before shortest",
        {"a/x/Dup.md": T, "a/y/Dup.md": T, "bb/Dup.md": T, "a/src.md": T + "[[bb/Dup]]\n"},
        [],
    ),
    ("near is a prefix", {"e/q/Tie2.md": T, "f/q/Tie2.md": T, "e/src.md": T + "[[Tie2]]\n"}, []),
    # rule 4: a leading "/" is a vault-root path
    ("leading slash", {"T.md": T, "x/src.md": T + "[n](/T.md) [m](/x/src.md)\n"}, []),
    # rule 2: the .md retry
    ("md retry", {"d/Note.with.dots.md": T, "src.md": T + "[[Note.with.dots]]\n"}, []),
    # backticks are plain characters inside [[...]] and a Markdown destination
    (
        "backticks in links",
        {"T.md": T + "## Use `foo`\n", "src.md": T + "[[T#Use `foo`]] [t](T.md#Use%20`foo`)\n"},
        [],
    ),
    (
        "backtick subpath is checked",
        {"T.md": T + "## Use `foo`\n", "src.md": T + "[[T#`bar`]]\n"},
        [("src.md", 4, 1, "broken-heading-link")],
    ),
    # an angle-bracket destination is an internal link
    ("angle destination", {"Sub/My Note.md": T, "src.md": T + "[x](<Sub/My Note.md>)\n"}, []),
    (
        "angle destination unresolved",
        {"Sub/My Note.md": T, "src.md": T + "[x](<[a](https://e.com)>)\n"},
        [("src.md", 4, 1, "broken-markdown-link")],
    ),
    # the file resolves, the heading does not: a broken heading link, not a missing note
    (
        "markdown heading",
        {"T.md": T + "## Here\n", "src.md": T + "[t](T.md#Gone) [u](<T.md#Not here>)\n"},
        [("src.md", 4, 1, "broken-heading-link"), ("src.md", 4, 16, "broken-heading-link")],
    ),
    # inline code still hides a link that it opens before
    ("code first", {"T.md": T, "src.md": T + "`[[Nope]]` `a [[Nope` b]]\n"}, []),
]


@pytest.mark.parametrize(("name", "files", "expected"), CLASSES, ids=[c[0] for c in CLASSES])
def test_false_alarm_classes(
    vault: Vault, name: str, files: dict[str, str], expected: list[tuple[str, int, int, str]]
) -> None:
    assert links(vault(files)) == expected, name


def test_resolution_never_leaves_the_vault(tmp_path: Path, vault: Vault) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd.md").write_text("outside\n", encoding="utf-8")
    root = vault({"src.md": T + "[[../../../etc/passwd]] [x](../etc/passwd.md)\n"})
    assert [r for *_, r in links(root)] == ["broken-wikilink", "broken-markdown-link"]


def _config(root: Path, text: str) -> Path:
    path = root / ".vaultlint.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_leading_slash_follows_the_site_generator(vault: Vault) -> None:
    root = vault({"T.md": T, "src.md": T + "[a](/about) [t](/T.md)\n"})
    assert links(root, "--no-cache") == [("src.md", 4, 1, "broken-markdown-link")]
    for generator in ("_config.yml", "mkdocs.yml", "quartz.config.ts"):
        (root / generator).write_text("x\n", encoding="utf-8")
        assert links(root, "--no-cache") == [], generator
        (root / generator).unlink()
    (root.parent / "hugo.toml").write_text("x\n", encoding="utf-8")  # content/ opened as vault
    assert links(root, "--no-cache") == []
    _config(root, "rules:\n  broken-markdown-link:\n    ignore-site-paths: false\n")
    assert links(root, "--no-cache") == [("src.md", 4, 1, "broken-markdown-link")]


def test_publish_profile_resolves_aliases_after_names(vault: Vault) -> None:
    root = vault(
        {
            "AI research.md": "---\ntitle: t\naliases: [AI, ml]\n---\n",
            "AI.md": T,
            "src.md": T + "[[AI]] [[ml]] [[x/ml]] [[Nope]]\n",
        }
    )
    assert len(links(root, "--no-cache")) == 3
    _config(root, "rules:\n  broken-wikilink:\n    resolve-by: obsidian-publish\n")
    assert links(root, "--no-cache") == [("src.md", 4, 24, "broken-wikilink")]
    _config(root, "rules:\n  broken-wikilink:\n    resolve-by: [nonsense]\n")
    assert run("check", root, "--no-cache").exit_code == 2


def test_templates_folders_are_not_linted_but_resolve(vault: Vault) -> None:
    placeholders = T + "[[{{title}}]] [[<% tp.file.title %>]]\n"
    root = vault(
        {
            ".obsidian/templates.json": '{"folder": "Templates"}',
            ".obsidian/plugins/templater-obsidian/data.json": '{"templates_folder": "/Tpl/"}',
            "Templates/Daily.md": placeholders,
            "Tpl/Meeting.md": placeholders,
            "src.md": T + "![[Daily]] [[Meeting]]\n",
        }
    )
    assert links(root, "--no-cache") == []
    _config(root, "lint-templates: true\n")
    assert {p for p, *_ in links(root, "--no-cache")} == {"Templates/Daily.md", "Tpl/Meeting.md"}


def _titles(root: Path, *args: str) -> list[str]:
    return [d["path"] for d in run_json(root, "--no-cache", *args) if d["rule"] == "missing-title"]


def test_missing_title_fits_the_vault(vault: Vault) -> None:
    root = vault({"a.md": "# A\n", "b.md": "# B\n", "c.md": T, "d.md": "# D\n"})
    assert _titles(root) == []  # 1 of 4: off
    summary = run("check", root, "--no-cache").output
    assert "missing-title off: only 1 of 4 notes have a title" in summary
    (root / "_config.yml").write_text("title: site\n", encoding="utf-8")
    assert _titles(root) == ["a.md", "b.md", "d.md"]
    assert (
        "missing-title on: the jekyll site (_config.yml)" in run("check", root, "--no-cache").output
    )
    (root / "_config.yml").unlink()
    _config(root, "extend-select: [missing-title]\n")  # an explicit config always wins
    assert _titles(root) == ["a.md", "b.md", "d.md"]
    assert "missing-title" not in run("check", root, "--no-cache").output.splitlines()[-1]
    listing = run("rules", "--vault", root).output
    assert "VL201   missing-title              always    on " in listing
    _config(root, "rules:\n  missing-title:\n    title-from: h1\n")
    assert _titles(root) == ["a.md", "b.md", "d.md"]
    (root / ".vaultlint.yaml").unlink()
    listing = run("rules", "--vault", root).output
    assert "VL201   missing-title              always    off*" in listing
    assert "missing-title off: only 1 of 4 notes have a title" in listing


def test_missing_title_share_counts_titled_notes(vault: Vault) -> None:
    root = vault({"a.md": "# A\n", "b.md": "# B\n", "c.md": T})
    assert _titles(root, "--select", "VL201") == ["a.md", "b.md"]  # selected: always on
    assert _titles(root) == ["a.md", "b.md"]  # 1 of 3 is a third: the vault uses titles


def test_init_proposes_what_it_finds(vault: Vault) -> None:
    root = vault({"_notes/a.md": T + "[[b]]\n", "_notes/b.md": T, "_config.yml": "title: g\n"})
    text = run("init", "--stdout", root).output
    assert "resolve-by: jekyll-garden" in text
    assert "ignore-site-paths: true" in text
    assert "# Published with jekyll (found _config.yml)." in text
    assert "missing-title stays on" in text
    (root / "_config.yml").unlink()
    (root / ".obsidian" / "publish.json").write_text("{}", encoding="utf-8")
    (root / ".obsidian" / "templates.json").write_text('{"folder": "tpl"}', encoding="utf-8")
    text = run("init", "--stdout", root).output
    assert "resolve-by: obsidian-publish" in text
    assert "ignore-site-paths: false" in text
    assert "Obsidian's templates (tpl/)" in text
