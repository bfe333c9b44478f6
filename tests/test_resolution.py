"""Link resolution exactly as Obsidian's ``getLinkpathDest``: spec §2.1, rule by rule, rows R1-R22."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run_json
from vaultlint.vault.index import LinkIndex

Vault = Callable[..., Path]
T = "---\ntitle: t\n---\n"

# (row, vault files, source note, linkpath, expected target, ambiguous)
ROWS = [
    ("R1", ["Note.md", "zzzz/Note.md", "a/b/Note.md"], "a/b/src.md", "Note", "Note.md", False),
    ("R2", ["zzzz/Note.md", "a/b/Note.md"], "zzzz/src.md", "Note", "zzzz/Note.md", False),
    ("R3", ["zzzz/Note.md", "a/b/Note.md"], "src.md", "Note", "a/b/Note.md", False),
    (
        "R4",
        ["zzzz/Note.md", "b/Note.md", "a/b/Note.md"],
        "zzzz/deep/src.md",
        "Note",
        "b/Note.md",
        False,
    ),
    ("R5", ["a/b/Note.md"], "suffix.md", "b/Note", "a/b/Note.md", False),
    ("R6", ["a/b/Note.md", "b/Note.md"], "a/b/src.md", "b/Note", "b/Note.md", False),
    ("R7", ["y.md"], "a/x.md", "../y", "y.md", False),
    ("R8", ["Log.md"], "x.md", "log", "Log.md", False),
    ("R8", ["Log.md"], "x.md", "LOG", "Log.md", False),
    ("R9", ["AI research.md"], "x.md", "AI", None, False),
    ("R10", ["aa/Tie.md", "bb/Tie.md"], "src.md", "Tie", "aa/Tie.md", True),
    ("R11", ["Figure 1.png"], "x.md", "Figure 1", None, False),
    ("R11", ["Figure 1.png"], "x.md", "Figure 1.png", "Figure 1.png", False),
    ("R12", ["Archive/Old.md"], "x.md", "Old", "Archive/Old.md", False),  # see the CLI test too
    ("R13", ["Note.md"], "x.md", "Old", None, False),  # .trash/ is never listed: see the CLI test
    ("R14", ["img.png"], "sub/a.md", "../../img.png", "img.png", False),
    ("R15", ["a/b/Note.md"], "a/b/src.md", "../../Note.md", "a/b/Note.md", False),
    ("R16", ["zz/ab/Deep.md"], "suffix.md", "b/Deep", "zz/ab/Deep.md", False),
    ("R16", ["zz/ab/Deep.md"], "suffix.md", "ab/Deep", "zz/ab/Deep.md", False),
    ("R17", ["a/x/yy/Dup.md", "bb/Dup.md"], "a/src.md", "Dup", "a/x/yy/Dup.md", False),
    ("R18", ["e/q/Tie2.md", "f/q/Tie2.md"], "e/src.md", "Tie2", "e/q/Tie2.md", False),
    ("R19", ["c/x/Tie.md", "c/y/Tie.md"], "c/src.md", "Tie", "c/x/Tie.md", True),
    ("R20", ["T.md"], "src.md", "/missing.md", None, False),
    ("R20", ["T.md"], "src.md", "/T.md", "T.md", False),
    ("R22", ["d/Note.with.dots.md"], "src.md", "Note.with.dots", "d/Note.with.dots.md", False),
]


@pytest.mark.parametrize(("row", "files", "source", "link", "expected", "ambiguous"), ROWS)
def test_rows(
    row: str, files: list[str], source: str, link: str, expected: str | None, ambiguous: bool
) -> None:
    result = LinkIndex([*files, source]).resolve(link, source)
    assert (result.path, result.ambiguous) == (expected, ambiguous), row


# -- one test per rule of §2.1 ------------------------------------------------------------------


def test_rule1_trim_and_nfc_and_empty_linkpath() -> None:
    index = LinkIndex(["Café.md", "a/src.md"])
    assert index.resolve("  Cafe\u0301  ", "a/src.md").path == "Café.md"
    assert index.resolve("", "a/src.md").path == "a/src.md"


def test_rule2_name_as_written_then_md_retry() -> None:
    index = LinkIndex(["Figure 1.png", "d/Note.with.dots.md", "v1.2.md", "v1.2"])
    assert index.resolve("Figure 1.png", "x.md").path == "Figure 1.png"
    assert index.resolve("Note.with.dots", "x.md").path == "d/Note.with.dots.md"
    assert index.resolve("v1.2", "x.md").path == "v1.2"  # the name as written comes first
    assert index.resolve("nothing.here", "x.md").path is None


def test_rule3_relative_paths_stop_at_the_root_and_go_on_by_name() -> None:
    index = LinkIndex(["img.png", "a/b/Note.md", "a/Other.md", "Other.md", "etc/passwd.md"])
    assert index.resolve("../../img.png", "sub/a.md").path == "img.png"
    assert index.resolve("../../../../img.png", "x.md").path == "img.png"
    assert index.resolve("../../Note.md", "a/b/src.md").path == "a/b/Note.md"
    assert index.resolve("./../Other", "a/b/src.md").path == "a/Other.md"
    assert index.resolve("./Other", "a/src.md").path == "a/Other.md"
    # whatever it climbs, a relative path only ever names files of the vault
    assert index.resolve("../../../etc/passwd", "a/b/src.md").path == "etc/passwd.md"
    assert LinkIndex(["Note.md"]).resolve("../../../etc/passwd", "a/src.md").path is None


def test_rule3_folder_reached_decides_near() -> None:
    # from a/b/src.md, ../Dup reaches a/: a/zz/Dup.md is under it, x/Dup.md is shorter
    index = LinkIndex(["a/zz/Dup.md", "x/Dup.md"])
    assert index.resolve("../Dup", "a/b/src.md").path is None  # "a/dup.md" ends neither
    # ../Dup from a/b/ is "a/dup.md": both end with it; a/xa/ is under a/, xa/ is shorter
    index = LinkIndex(["xa/Dup.md", "a/xa/Dup.md"])
    assert index.resolve("../Dup", "a/b/src.md").path == "a/xa/Dup.md"


def test_rule4_exact_vault_path_and_leading_slash_without_fallback() -> None:
    index = LinkIndex(["a/b/Note.md", "b/Note.md", "T.md"])
    assert index.resolve("b/Note", "a/b/src.md").path == "b/Note.md"
    assert index.resolve("/T", "x/src.md").path == "T.md"
    assert index.resolve("/Note", "src.md").path is None  # no file at the root: no fallback
    assert index.resolve("/b/Note", "a/src.md").path == "b/Note.md"


def test_rule5_suffix_without_folder_boundary() -> None:
    index = LinkIndex(["zz/ab/Deep.md"])
    assert index.resolve("b/Deep", "x.md").path == "zz/ab/Deep.md"
    assert index.resolve("zz/ab/Deep", "x.md").path == "zz/ab/Deep.md"
    assert index.resolve("q/Deep", "x.md").path is None


def test_rule6_near_is_a_plain_prefix_then_shortest() -> None:
    files = ["a/x/yy/Dup.md", "bb/Dup.md", "ab/Dup.md"]
    index = LinkIndex(files)
    assert index.resolve("Dup", "a/src.md").path == "ab/Dup.md"  # "ab/" starts with "a"
    assert index.resolve("Dup", "a/x/src.md").path == "a/x/yy/Dup.md"
    assert index.resolve("Dup", "zz/src.md").path == "ab/Dup.md"  # far: shortest, no tie
    assert not index.resolve("Dup", "a/x/src.md").ambiguous


def test_rule7_tie_in_the_winning_group_is_ambiguous() -> None:
    result = LinkIndex(["c/x/Tie.md", "c/y/Tie.md", "Far/Tie.md"]).resolve("Tie", "c/src.md")
    assert result.ambiguous and result.candidates == ("c/x/Tie.md", "c/y/Tie.md")


def test_rule8_aliases_never_resolve() -> None:
    assert LinkIndex(["AI research.md"]).resolve("AI", "x.md").path is None


def test_rule9_case_and_unicode() -> None:
    index = LinkIndex(["Sub/LOG.md", "Sub/log.md"])
    found = index.resolve("log", "x.md")
    assert found.path == "Sub/log.md" and not found.ambiguous


def test_rule10_no_extension_reaches_only_notes() -> None:
    index = LinkIndex(["LICENSE", "My canvas.canvas"])
    assert index.resolve("LICENSE", "x.md").path is None
    assert index.resolve("My canvas", "x.md").path is None
    assert index.resolve("My canvas.canvas", "x.md").path == "My canvas.canvas"


def test_rule11_folders_are_not_targets() -> None:
    assert LinkIndex(["Projects/Note.md"]).resolve("Projects", "x.md").path is None


def test_rule12_and_13_hidden_and_excluded_files(vault: Vault) -> None:
    root = vault(
        {
            ".obsidian/app.json": '{"userIgnoreFilters": ["Archive/"]}',
            "Archive/Old.md": T,
            ".trash/Gone.md": T,
            "src.md": T + "[[Old]] [[Gone]]\n",
        }
    )
    found = [
        (d["path"], d["column"], d["rule"])
        for d in run_json(root, "--select", "VL1", "--ignore", "orphan-note")
    ]
    assert found == [("src.md", 9, "broken-wikilink")]


def test_rows_that_need_the_scanner(vault: Vault) -> None:
    root = vault(
        {
            "img.png": b"\x89PNG",
            "sub/a.md": T + "![s](../../img.png)\n",  # R14
            "a/b/Note.md": T,
            "a/b/src.md": T + "[n](../../Note.md)\n",  # R15
            "a/x/yy/Dup.md": T + "## Only here\n",
            "bb/Dup.md": T,
            "a/src.md": T + "[[Dup#Only here]]\n",  # R17
            "T.md": T + "## Use `foo`\n",
            "src.md": T
            + "[m](/missing.md) [n](/T.md)\n"  # R20
            + "[[T#Use `foo`]] [t](T.md#Use%20`foo`) [[T#`bar`]]\n",  # R21
        }
    )
    found = [
        (d["path"], d["line"], d["column"], d["rule"])
        for d in run_json(root, "--select", "VL1", "--ignore", "orphan-note")
    ]
    assert found == [
        ("src.md", 4, 1, "broken-markdown-link"),
        ("src.md", 5, 39, "broken-heading-link"),  # [[T#`bar`]]
    ]
