"""Frontmatter splitting and reading, including hostile YAML."""

from __future__ import annotations

import time

from conftest import note_from
from vaultlint.model.note import TagSource
from vaultlint.parse import frontmatter as fm


def test_split_requires_first_line_and_closing_line() -> None:
    assert fm.split("---\na: 1\n---\nbody") is not None
    assert fm.split("\n---\na: 1\n---\n") is None  # not the first line
    assert fm.split("---\na: 1\n") is None  # never closed: a thematic break
    block, yaml_span = fm.split("---\n---\n")  # type: ignore[misc]
    assert (block.start, block.end, yaml_span.start, yaml_span.end) == (0, 8, 4, 4)


def test_thematic_break_further_down_is_not_frontmatter() -> None:
    note = note_from("text\n---\nmore\n---\n")
    assert note.frontmatter is None


def test_valid_frontmatter_values() -> None:
    note = note_from("---\ntitle: x\ndate: 2024-01-02\nbad: 2024-13-45\n---\n")
    assert note.data["title"] == "x"
    assert str(note.data["date"]) == "2024-01-02"
    assert note.data["bad"] == "2024-13-45"  # an impossible date stays text, not an error


def test_invalid_yaml_has_position() -> None:
    note = note_from("---\ntitle: ok\ntags: [a\n---\nbody")
    front = note.frontmatter
    assert front is not None and front.error is not None and front.data is None
    position = note.lines.position(front.error.offset)
    assert (position.line, position.column) == (3, 7)


def test_duplicate_keys_are_errors() -> None:
    note = note_from("---\ntags: [a]\ntags: [b]\n---\n")
    assert note.frontmatter is not None and note.frontmatter.error is not None
    assert "duplicate key 'tags'" in note.frontmatter.error.message
    assert note.lines.position(note.frontmatter.error.offset).line == 3


def test_not_a_mapping() -> None:
    note = note_from("---\n- a\n- b\n---\n")
    assert note.frontmatter is not None and note.frontmatter.error is not None
    assert "not a mapping" in note.frontmatter.error.message


def test_yaml_tags_never_construct_objects() -> None:
    note = note_from("---\nx: !!python/object/apply:os.system ['echo hacked']\n---\n")
    assert note.frontmatter is not None and note.frontmatter.error is not None


def test_alias_bomb_is_harmless() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, '[[L]]']"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    lines.append("tags: *l")
    text = "---\n" + "\n".join(lines) + "\n---\nbody\n"
    started = time.perf_counter()
    note = note_from(text)
    strings = list(fm.iter_strings(note.data))
    elapsed = time.perf_counter() - started
    assert note.frontmatter is not None and note.frontmatter.error is None
    assert len(strings) == 10  # each shared list visited once: not 10**12 strings
    assert elapsed < 5  # a guard against exponential blow-up, not a speed benchmark


def test_empty_and_json_frontmatter() -> None:
    assert note_from("---\n---\nx").data == {}
    assert note_from('---\n{"tags": ["journal"]}\n---\n').data == {"tags": ["journal"]}


def test_frontmatter_tag_forms() -> None:
    assert fm.tag_values(["a", "#b"]) == ["a", "b"]
    assert fm.tag_values("a, b") == ["a", "b"]
    assert fm.tag_values("a b") == ["a", "b"]
    assert fm.tag_values(None) == []
    note = note_from("---\ntags: #project\n---\n")  # F5: a YAML comment
    assert [t for t in note.tags if t.source is TagSource.FRONTMATTER] == []
