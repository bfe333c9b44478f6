"""title-mismatch (VL202) and frontmatter-tags-format (VL203)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run, run_json

Vault = Callable[..., Path]


def messages(root: Path, *args: str) -> list[tuple[str, int, int, str, bool]]:
    return [
        (d["path"], d["line"], d["column"], d["rule"], d["fixable"]) for d in run_json(root, *args)
    ]


def test_title_mismatch_is_off_by_default_and_ignores_case_accents_punctuation(
    vault: Vault,
) -> None:
    root = vault(
        {
            "cooperation.md": "---\ntitle: Coopération !\n---\n",
            "Compost.md": "---\ntitle: Composting\n---\n# Compost heap\n",
        }
    )
    assert run_json(root) == []
    items = run_json(root, "--select", "title-mismatch")
    assert [(d["path"], d["line"], d["message"]) for d in items] == [
        ("Compost.md", 2, 'title "Composting" differs from the file name "Compost"')
    ]
    assert items[0]["fix"] == {"title": "Set title to 'Compost'", "safety": "unsafe"}


def test_title_mismatch_fix_directions(vault: Vault) -> None:
    root = vault({"Compost.md": "---\ntitle: Composting  # old\ntags: [a]\n---\n# Compost heap\n"})
    run("check", root, "--select", "VL202", "--fix")
    assert "Composting" in (root / "Compost.md").read_text()  # unsafe: not with --fix alone
    run("check", root, "--select", "VL202", "--fix", "--unsafe-fixes")
    assert (
        root / "Compost.md"
    ).read_text() == "---\ntitle: Compost  # old\ntags: [a]\n---\n# Compost heap\n"
    (root / "Compost.md").write_text("---\ntitle: Composting\n---\n# Compost heap\n")
    (root / ".vaultlint.yaml").write_text("rules:\n  title-mismatch:\n    direction: h1\n")
    run("check", root, "--select", "VL202", "--fix", "--unsafe-fixes")
    assert (root / "Compost.md").read_text() == "---\ntitle: Compost heap\n---\n# Compost heap\n"


@pytest.mark.parametrize(
    ("before", "after", "fixable"),
    [
        ("tags: #garden #compost\n", "tags: [garden, compost]\n", True),
        ("tags: #solo\n", "tags: [solo]\n", True),
        ("tags:\n  - ok\n  - #hidden\n", "tags:\n  - ok\n  - hidden\n", True),
        ("tag: x\n", "tags: x\n", True),
        ("tags:\n - my tag\n", "tags:\n - my tag\n", False),  # unsafe only
    ],
)
def test_tags_format_fixes(vault: Vault, before: str, after: str, fixable: bool) -> None:
    root = vault({"n.md": f"---\ntitle: n\n{before}---\nbody\n"})
    items = run_json(root, "--select", "frontmatter-tags-format")
    assert len(items) == 1 and items[0]["fixable"] is fixable
    run("check", root, "--fix", "--select", "VL203")
    assert (root / "n.md").read_text() == f"---\ntitle: n\n{after}---\nbody\n"


def test_tag_with_spaces_unsafe_fix(vault: Vault) -> None:
    root = vault({"n.md": "---\ntitle: n\ntags: [ok, my tag]\n---\n"})
    run("check", root, "--fix", "--unsafe-fixes", "--select", "VL203")
    assert (root / "n.md").read_text() == "---\ntitle: n\ntags: [ok, my-tag]\n---\n"


def test_singular_tag_not_renamed_when_tags_exists(vault: Vault) -> None:
    root = vault({"n.md": "---\ntitle: n\ntag: x\ntags: [y]\n---\n"})
    items = run_json(root, "--select", "VL203")
    assert [(d["line"], d["fixable"]) for d in items] == [(3, False)]


def test_well_formed_tags_are_quiet(vault: Vault) -> None:
    root = vault(
        {"n.md": "---\ntitle: n\ntags:\n  - a  # comment after the value is fine\n  - b/c\n---\n"}
    )
    assert run_json(root, "--select", "VL203") == []


def test_notes_without_frontmatter_are_quiet(vault: Vault) -> None:
    root = vault({"n.md": "tags: #not frontmatter\n", "m.md": ""})
    assert run("check", root, "--select", "VL203").exit_code == 0


def test_commented_item_next_to_an_empty_item_is_reported_not_guessed(vault: Vault) -> None:
    root = vault({"n.md": "---\ntitle: n\ntags:\n  -\n  - #a\n---\n"})
    items = run_json(root, "--select", "VL203")
    assert [(d["line"], d["fixable"]) for d in items] == [(5, False)]
