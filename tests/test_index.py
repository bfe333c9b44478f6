"""Link resolution (spec §2.1, R1-R13) and heading/block matching (spec §3, H1-H11)."""

from __future__ import annotations

import unicodedata

import pytest

from vaultlint.vault.index import LinkIndex, NoteTargets, normalize_heading


@pytest.mark.parametrize(
    ("files", "source", "link", "expected"),
    [
        (["Note.md", "zzzz/Note.md", "a/b/Note.md"], "a/b/src.md", "Note", "Note.md"),  # R1
        (["zzzz/Note.md", "a/b/Note.md"], "zzzz/src.md", "Note", "zzzz/Note.md"),  # R2
        (["zzzz/Note.md", "a/b/Note.md"], "src.md", "Note", "a/b/Note.md"),  # R3
        (
            ["zzzz/Note.md", "b/Note.md", "a/b/Note.md"],
            "zzzz/deep/src.md",
            "Note",
            "b/Note.md",
        ),  # R4
        (["a/b/Note.md"], "suffix.md", "b/Note", "a/b/Note.md"),  # R5
        (["a/b/Note.md", "b/Note.md"], "a/b/src.md", "b/Note", "b/Note.md"),  # R6
        (["y.md", "a/x.md"], "a/x.md", "../y", "y.md"),  # R7
        (["Log.md"], "x.md", "log", "Log.md"),  # R8
        (["Log.md"], "x.md", "LOG", "Log.md"),  # R8
        (["AI research.md"], "x.md", "AI", None),  # R9: aliases never resolve
        (["Figure 1.png"], "x.md", "Figure 1", None),  # R11
        (["Figure 1.png"], "x.md", "Figure 1.png", "Figure 1.png"),  # R11
        (["Note.md"], "x.md", "Note.md", "Note.md"),  # L10
        (["Note.md"], "x.md", "Note.MD", "Note.md"),  # L11
        (["Projects/Note.md"], "x.md", "Projects", None),  # folders are not targets
        (["Note.md"], "x.md", "../../../etc/passwd", None),  # never outside the vault
        (["Note.md"], "a/x.md", "./Note", None),
        (["a/Note.md"], "a/x.md", "./Note", "a/Note.md"),
        (["Log.md", "log.md"], "x.md", "log", "log.md"),  # exact case first on Linux
        (["My canvas.canvas"], "x.md", "My canvas", None),
        (["deep/x.md.md", "deep/x.md"], "src.md", "x.md", "deep/x.md"),  # the shorter path
        (["deep/x.md.md"], "src.md", "x.md", "deep/x.md.md"),  # "x.md" as "x.md" + ".md"
        (["a/b/NOTE.md", "c/Note.md"], "x.md", "B/note", "a/b/NOTE.md"),  # folded suffix
    ],
)
def test_resolution(files: list[str], source: str, link: str, expected: str | None) -> None:
    assert LinkIndex(files).resolve(link, source).path == expected


def test_nfd_file_name_resolves_from_nfc_link() -> None:
    nfd = unicodedata.normalize("NFD", "Café.md")
    assert nfd != "Café.md"
    assert LinkIndex([nfd]).resolve("Café", "x.md").path == nfd


def test_tie_is_ambiguous() -> None:  # R10
    result = LinkIndex(["aa/Tie.md", "bb/Tie.md"]).resolve("Tie", "src.md")
    assert result.path == "aa/Tie.md"
    assert result.ambiguous and result.candidates == ("aa/Tie.md", "bb/Tie.md")


def test_own_folder_breaks_tie() -> None:
    result = LinkIndex(["aa/Tie.md", "bb/Tie.md"]).resolve("Tie", "bb/src.md")
    assert result.path == "bb/Tie.md" and not result.ambiguous


def test_empty_linkpath_is_the_note_itself() -> None:
    index = LinkIndex(["a/x.md", "a/y.md"])
    assert index.resolve("", "a/x.md").path == "a/x.md"
    assert index.resolve("", "a/y.md").path == "a/y.md"


def index_with(headings: list[str], blocks: set[str] | None = None) -> LinkIndex:
    index = LinkIndex(["N.md"])
    index.set_targets("N.md", NoteTargets(headings=headings, block_ids=blocks or set()))
    return index


@pytest.mark.parametrize(
    ("heading", "subpath", "found"),
    [
        ("Preview a linked file", "Preview a linked file", True),  # H1
        ("Minecraft: The Video Game", "Minecraft The Video Game", True),  # H2
        ("Minecraft: The Video Game", "Minecraft: The Video Game", True),  # H3
        ("TCP/IP Model", "TCP IP Model", True),  # H4
        ("Main Section Title", "main section title", True),  # H5
        ("**Bold** idea", "Bold idea", True),  # H7
        ("snake_case", "snake case", False),  # H8
        ("wifi 2.4 vs 5.0", "wifi 2 4 vs 5 0", True),
        ("Café", "Café", True),
        ("Other", "Missing", False),
    ],
)
def test_heading_matching(heading: str, subpath: str, found: bool) -> None:
    assert index_with([heading]).subpath_found("N.md", subpath) is found


def test_heading_chain_uses_last_segment() -> None:  # H6
    index = index_with(["A", "B"])
    assert index.subpath_found("N.md", "A#B") is True
    assert index.subpath_found("N.md", "A#C") is False


def test_block_ids_case_insensitive_by_default() -> None:
    index = index_with([], {"abc-1"})
    assert index.subpath_found("N.md", "^abc-1") is True
    assert index.subpath_found("N.md", "^ABC-1") is True
    assert index.subpath_found("N.md", "^other") is False


def test_unknown_targets_are_not_judged() -> None:
    assert LinkIndex(["N.md"]).subpath_found("N.md", "Anything") is None


def test_normalize_heading() -> None:
    assert normalize_heading("  A:  b/c [[d]] ") == "a b c d"
