"""missing-title and its fix: every preservation point of issue 4, plus a property test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vaultlint.rules.missing_title as missing_title
from conftest import note_from, run
from vaultlint.edit.yamledit import render_scalar
from vaultlint.engine.config import Config
from vaultlint.engine.lint import Linter
from vaultlint.vault.view import Vault as VaultModel

Vault = Callable[..., Path]


def fixed(text: str, name: str = "Note", **options: str) -> str:
    """The note after `check --fix --select missing-title`."""
    note = note_from(text, f"{name}.md")
    engine = Linter(Config(select=("missing-title",)))
    vault = VaultModel.build(Path("."), {note.path: note}, [note.path])
    if options:
        from vaultlint.engine.rule import build_options

        engine.config.rules = {}
        opts = build_options(missing_title.Options, options)
        original = engine.effective

        def with_options(path: str):  # type: ignore[no-untyped-def]
            eff = original(path)
            return type(eff)(eff.enabled, eff.severity, {**eff.options, "VL201": opts})

        engine.effective = with_options  # type: ignore[method-assign]
    outcome = engine.fix_note(note, vault, unsafe=False)
    assert outcome.error is None, outcome.error
    return outcome.after.text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Body\n", "---\ntitle: Note\n---\nBody\n"),
        ("---\n", "---\ntitle: Note\n---\n---\n"),  # a lone --- is a thematic break
        ("", "---\ntitle: Note\n---\n"),
        ("---\n---\nBody", "---\ntitle: Note\n---\nBody"),  # empty frontmatter
        ("---\ntags: [a, b]\n---\n", "---\ntitle: Note\ntags: [a, b]\n---\n"),  # flow list kept
        (  # a comment next to a list (the obsidian-linter plugin deletes such lists)
            "---\ntags:\n - terminologie  # keep me\n - v1\n\n---\nx",
            "---\ntitle: Note\ntags:\n - terminologie  # keep me\n - v1\n\n---\nx",
        ),
        (  # mismatched quotes around dates stay exactly as written
            "---\ncreated: '2021-01-01\"\nupdated: \"2021-01-02'\n---\n",
            "---\ntitle: Note\ncreated: '2021-01-01\"\nupdated: \"2021-01-02'\n---\n",
        ),
        (
            "---\ncreated: 2021-01-01\nupdated: '2021-01-02'\nother: \"x\"\n---\n",
            "---\ntitle: Note\ncreated: 2021-01-01\nupdated: '2021-01-02'\nother: \"x\"\n---\n",
        ),
        (
            "---\n# leading comment\nkey: v\n---\n",
            "---\n# leading comment\ntitle: Note\nkey: v\n---\n",
        ),
        ("---\ntitle:\n---\n", "---\ntitle: Note\n---\n"),  # null title
        ("---\ntitle: ''\n---\n", "---\ntitle: Note\n---\n"),
        ("---\ntitle: '   '  # todo\n---\n", "---\ntitle: Note  # todo\n---\n"),
        ("---\ntitle: Kept\n---\n", "---\ntitle: Kept\n---\n"),  # never overwritten
        ("---\ntitle: 0\n---\n", "---\ntitle: 0\n---\n"),
    ],
)
def test_fix_changes_only_what_it_must(before: str, after: str) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(
    ("name", "rendered"),
    [
        ("2022-04-12", "'2022-04-12'"),
        ("true", "'true'"),
        ("null", "'null'"),
        ("1.0", "'1.0'"),
        ("yes", "'yes'"),
        ("a: b", "'a: b'"),
        ("C# tips", "C# tips"),
        ("x #y", "'x #y'"),
        ("[draft]", "'[draft]'"),
        ("*star", "'*star'"),
        ("&amp", "'&amp'"),
        ("!bang", "'!bang'"),
        ("%pct", "'%pct'"),
        ("@at", "'@at'"),
        ("l'été", "l'été"),
        ("'quoted'", "'''quoted'''"),
        ('"dq"', "'\"dq\"'"),
        ("coopération", "coopération"),
        (
            "pourquoi travailler avec un généraliste plutôt qu’un spécialiste?",
            "pourquoi travailler avec un généraliste plutôt qu’un spécialiste?",
        ),
    ],
)
def test_title_is_quoted_when_yaml_would_read_something_else(name: str, rendered: str) -> None:
    assert render_scalar(name) == rendered
    assert fixed("x\n", name) == f"---\ntitle: {rendered}\n---\nx\n"
    assert yaml.safe_load(f"title: {rendered}")["title"] == name


def test_title_from_h1() -> None:
    text = "```\n# not this\n```\n## Sub\n# The **real** `title`\n"
    assert fixed(text, title_from="h1") == "---\ntitle: The real title\n---\n" + text
    assert fixed("no heading\n", title_from="h1") == "---\ntitle: Note\n---\nno heading\n"


def test_position_last_keeps_blank_lines_before_closing() -> None:
    assert fixed("---\na: 1\n\n---\n", position="last") == "---\na: 1\ntitle: Note\n\n---\n"


def test_json_frontmatter_gets_the_title_inside_the_braces() -> None:
    assert (
        fixed('---\n{"tags": ["journal"]}\n---\n')
        == '---\n{title: Note, "tags": ["journal"]}\n---\n'
    )
    assert fixed("---\n{}\n---\n", "a, b") == "---\n{title: 'a, b'}\n---\n"
    assert fixed("---\n{a: 1}\n---\n", position="last") == "---\n{a: 1, title: Note}\n---\n"


def test_unfixable_note_is_reported_with_reason(vault: Vault) -> None:
    root = vault({"j.md": "---\ntitle: |\n---\n"})
    result = run("check", root, "--fix", "--extend-select", "missing-title")
    assert result.exit_code == 1
    assert (
        "empty title property; not fixed automatically: 'title' is a block scalar" in result.output
    )
    assert (root / "j.md").read_text() == "---\ntitle: |\n---\n"


def test_second_fix_changes_nothing(vault: Vault) -> None:
    root = vault({"a.md": "x", "2024-01-01.md": "---\ntags: [d]\n---\n"})
    run("check", root, "--fix")
    snapshot = {p.name: p.read_bytes() for p in root.glob("*.md")}
    assert run("check", root, "--fix").exit_code == 0
    assert {p.name: p.read_bytes() for p in root.glob("*.md")} == snapshot


scalars = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.integers(),
    st.booleans(),
    st.none(),
    st.lists(st.text(alphabet="abc xyz-_", max_size=6), max_size=3),
)
keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).filter(
    lambda k: k != "title"
)
names = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="/\\\x00"
    ),
    min_size=1,
    max_size=20,
).filter(lambda n: n.strip() == n and n not in (".", ".."))
bodies = st.text(
    # NUL makes a file binary (unreadable-note); \r is normalised on reading
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\x00"),
    max_size=80,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.dictionaries(keys, scalars, max_size=5), body=bodies, name=names, flow=st.booleans())
def test_property_fix_adds_title_and_keeps_everything_else(
    data: dict[str, object], body: str, name: str, flow: bool
) -> None:
    front = (
        yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False)
        if data
        else ""
    )
    text = f"---\n{front}---\n{body}"
    before = note_from(text, f"{name}.md")
    if before.frontmatter is None or before.frontmatter.error is not None:
        return
    after = note_from(fixed(text, name), f"{name}.md")
    assert after.data == {"title": name, **before.data}
    assert after.text[after.body_start :] == before.text[before.body_start :]
