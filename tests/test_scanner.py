"""The body scanner against the spec's tables (obsidian-markdown.md §1, §3, §4, §7)."""

from __future__ import annotations

import pytest

from conftest import note_from
from vaultlint.model.note import LinkKind
from vaultlint.parse.scanner import holds, scan


def links(text: str) -> list[tuple[str, str, str | None]]:
    return [(l.target, l.subpath, l.display) for l in note_from(text).links]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[[Note]]", [("Note", "", None)]),  # L1
        ("[[Note|Shown]]", [("Note", "", "Shown")]),  # L2
        ("[[Note#Heading]]", [("Note", "Heading", None)]),  # L3
        ("[[Note#H1#H2]]", [("Note", "H1#H2", None)]),  # L4
        ("[[#Heading]]", [("", "Heading", None)]),  # L5
        ("[[Note#^abc-123]]", [("Note", "^abc-123", None)]),  # L6
        ("[[#^abc-123]]", [("", "^abc-123", None)]),  # L7
        ("[[^abc-123]]", [("^abc-123", "", None)]),  # L8
        ("[[Note.md]]", [("Note.md", "", None)]),  # L10
        ("[[Projects/Note]]", [("Projects/Note", "", None)]),  # L12
        ("[[Note#Heading|Shown]]", [("Note", "Heading", "Shown")]),  # L13
        ("[[Note|a|b]]", [("Note", "", "a|b")]),  # L14
        ("| [[Note\\|Shown]] | x |", [("Note", "", "Shown")]),  # L15
        ("[[Sq]uare]]", [("Sq]uare", "", None)]),  # L16
        ("[[Nested [[Inner]] x]]", [("Inner", "", None)]),  # L17
        ("[[Multi\nLine]]", []),  # L18
        ("[[https://example.com]]", [("https://example.com", "", None)]),  # L19
        ("[[]] [[ ]] [[|x]]", []),  # L20
        ("[[Quick Switcher ]]", [("Quick Switcher", "", None)]),  # L21
        (
            "[[What's new?]] [[Café]] [[日本語]] [[A & B]]",
            [
                ("What's new?", "", None),
                ("Café", "", None),
                ("日本語", "", None),
                ("A & B", "", None),
            ],
        ),  # L23
        ("\\[[Note]]", []),  # L24
        ("[[Note|C# tips]]", [("Note", "", "C# tips")]),  # L25
    ],
)
def test_wikilink_grammar(source: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert links(source) == expected


def test_embed_kinds_and_spans() -> None:
    note = note_from("See ![[img.png|100]] and [[Note]].")
    embed, link = note.links
    assert embed.kind is LinkKind.EMBED and embed.target == "img.png" and embed.display == "100"
    assert (embed.span.start, embed.span.end) == (4, 20)
    assert note.text[embed.target_span.start : embed.target_span.end] == "img.png"
    assert link.kind is LinkKind.WIKILINK and note.lines.position(link.span.start).column == 26


@pytest.mark.parametrize(
    "source",
    [
        "```\n[[x]]\n```",
        "~~~~\n[[x]]\n~~~~",
        "````md\n```\n[[x]]\n```\n````",
        "`[[x]]`",
        "``a ` [[x]] ``",
        "para\n\n    [[x]] indented code",
        "$[[x]]$",
        "$$\n[[x]]\n$$",
        "> ```\n> [[x]]\n> ```",
        "```\nunclosed fence runs to the end [[x]]",
    ],
)
def test_no_links_in_code_or_math(source: str) -> None:
    assert links(source) == []


@pytest.mark.parametrize(
    "source",
    [
        "- item\n\n    [[x]] continuation, not code",
        "> [!note] Title\n> body with [[x]]",
        "# See [[x]]",
        "| a | [[x]] |",
        "[^1]: see [[x]]",
        "costs $5 and [[x]] and $6",
        "text\n    [[x]] lazy continuation, not code",
    ],
)
def test_links_recognised(source: str) -> None:
    assert [t for t, _, _ in links(source)] == ["x"]


def test_comments_are_marked() -> None:
    note = note_from("%%[[Hidden]]%% <!-- [[Html]] --> [[Plain]]")
    kinds = {l.target: l.comment for l in note.links}
    assert kinds == {"Hidden": "%%", "Html": "html", "Plain": None}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[t](Three%20laws%20of%20motion.md)", [("Three laws of motion.md", "", "t")]),  # M1
        ("[t](Three%20laws)", [("Three laws", "", "t")]),  # M2
        ("[w](Sub/My Note.md)", []),  # M4: a space ends the destination
        ("[w](<Sub/My Note.md>)", [("Sub/My Note.md", "", "w")]),  # M5
        ("[t](Note.md#Some%20Heading)", [("Note.md", "Some Heading", "t")]),  # M6
        ("[t](#Test%20Heading)", [("", "Test Heading", "t")]),  # M7
        ("[x](https://a.b/c) [m](mailto:a@b.c) [o](obsidian://open?vault=x)", []),  # M9
        ("[x](../Notes/Note.md)", [("../Notes/Note.md", "", "x")]),  # M10
        ("![alt](img.png)", [("img.png", "", "alt")]),
        ('[a](x.md "title")', [("x.md", "", "a")]),
        ("![]({{page.image}})", []),
        ("[x](a_(b).md)", [("a_(b).md", "", "x")]),
    ],
)
def test_markdown_links(source: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert links(source) == expected


def tags(text: str) -> list[str]:
    return [t.name for t in note_from(text).tags]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("#meeting", ["meeting"]),  # T1
        ("#inbox/to-read", ["inbox/to-read"]),  # T2
        ("#1984", []),  # T3
        ("#y1984 #1984y", ["y1984", "1984y"]),  # T4
        ("#café #日本語", ["café", "日本語"]),  # T6
        ("word#notatag", []),  # T7
        ("see https://example.com/page#section", []),  # T8
        ("`#code`\n```\n#x\n```", []),  # T9
        ("# Title", []),  # T10
        ("#tag.", ["tag"]),  # T11
        ("\\#notatag", []),  # T12
        ("#ffffff", ["ffffff"]),  # T13
        ("#a-b_c/d", ["a-b_c/d"]),  # T14
        ("$#x$", []),  # T16
        ('<span style="color: #f5f7ff">x</span>', []),
        ("[[Note#Heading]] [[#Heading]]", []),
        ("---\n#Afairepousser", ["Afairepousser"]),
        ("l’#tag", []),
    ],
)
def test_inline_tags(source: str, expected: list[str]) -> None:
    assert tags(source) == expected


def test_frontmatter_tags_and_positions() -> None:
    note = note_from("---\ntitle: x\ntags:\n - seed\n - Afairepousser\n---\nbody #inline\n")
    assert [(t.name, t.source.value) for t in note.tags] == [
        ("seed", "frontmatter"),
        ("Afairepousser", "frontmatter"),
        ("inline", "inline"),
    ]
    assert note.lines.position(note.tags[1].span.start).line == 5


def headings(text: str) -> list[tuple[int, str]]:
    return [(h.level, h.text) for h in note_from(text).headings]


def test_headings() -> None:
    text = "# One\n## Two ##\n###### Six\n####### seven\n#tag\n```\n# code\n```\nSetext\n===\npara\n---\n> # Quoted"
    assert headings(text) == [
        (1, "One"),
        (2, "Two"),
        (6, "Six"),
        (1, "Setext"),
        (2, "para"),
        (1, "Quoted"),
    ]


def test_thematic_break_after_blank_is_not_heading() -> None:
    assert headings("text\n\n---\n#Afairepousser") == []


def block_ids(text: str) -> list[str]:
    return [b.id for b in note_from(text).block_ids]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Some text. ^quote-of-the-day", ["quote-of-the-day"]),  # B1
        ("Some text.^abc", []),  # B2
        ("Some text ^abc_def", []),  # B3
        ("> quote\n\n^37066f\n", ["37066f"]),  # B4
        ("- item ^li1", ["li1"]),  # B5
        ("```\nx ^abc\n```", []),  # B6
        ("Text ^abc more text", []),  # B7
        ("Text ^ABC-123", ["ABC-123"]),  # B8
        ("![[image.png]]^after-embed", ["after-embed"]),
    ],
)
def test_block_ids(source: str, expected: list[str]) -> None:
    assert block_ids(source) == expected


def test_frontmatter_links_need_quotes() -> None:
    note = note_from('---\nup: "[[Parent]]"\nrelated:\n  - "[[A|shown]]"\nbad: [[B]]\n---\n')
    found = [(l.target, l.key, l.kind) for l in note.links]
    assert found == [("Parent", "up", LinkKind.FRONTMATTER), ("A", "related", LinkKind.FRONTMATTER)]
    assert note.lines.position(note.links[0].span.start) == note.lines.position(9)


def test_positions_count_characters_not_bytes() -> None:
    note = note_from("é😀 [[x]]")
    assert note.lines.position(note.links[0].span.start).column == 4


def test_unclosed_wikilink_with_many_brackets_is_scanned_in_linear_time() -> None:
    # A nested quantifier would backtrack exponentially here (2**40 steps): the run would hang.
    text = "[[" + "a]b" * 40 + " [x] " * 40 + "\n[[real]]\n"
    result = scan(text, 0)
    assert [link.target for link in result.links] == ["real"]


@pytest.mark.parametrize(
    "text",
    ["", "a < b", "<%", "<% x %>", "{ {", "{{", "5 %", "%%", "$", "$$", "[^1]", "[ ^", "\\"],
)
@pytest.mark.parametrize("needle", ["<%", "{{", "{%", "%%", "$$", "[^", "<!--", "www.", "](", "@"])
def test_holds_is_in(text: str, needle: str) -> None:
    # the single-character shortcut answers as ``in`` does, whether the rare character is
    # there alone, in the needle or not at all
    assert holds(text, needle) is (needle in text)
