"""The link rules on small vaults: exact positions, messages, suggestions, options, fixes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import LINK_FORMS, run, run_json

Vault = Callable[..., Path]
T = "---\ntitle: t\n---\n"  # a title, so missing-title stays quiet


def found(root: Path, *args: str) -> list[tuple[int, int, str, str]]:
    return [
        (d["line"], d["column"], d["rule"], d["message"])
        for d in run_json(root, "--select", "VL1", "--ignore", "orphan-note", *args)
    ]


def test_each_link_rule_with_position(vault: Vault) -> None:
    root = vault(dict(LINK_FORMS))
    assert found(root) == [
        (4, 12, "broken-wikilink", 'unresolved link "[[Nope]]": no note named "Nope"'),
        (5, 14, "broken-embed", 'unresolved embed "![[gone.png]]": no file named "gone.png"'),
        (
            6,
            35,
            "broken-heading-link",
            'unresolved heading "[[Target#Missing]]": no heading "Missing" in "Target.md"',
        ),
        (
            7,
            19,
            "broken-block-link",
            'unresolved block "[[Target#^other]]": no block "^other" in "Target.md"',
        ),
        (
            8,
            1,
            "ambiguous-wikilink",
            'ambiguous link "[[Tie]]": 2 files tie (aa/Tie.md, bb/Tie.md); write [[aa/Tie]] or [[bb/Tie]]',
        ),
        (
            9,
            35,
            "broken-markdown-link",
            'unresolved link "[t](nowhere.md)": no note named "nowhere.md"',
        ),
    ]


@pytest.mark.parametrize(
    ("existing", "written"),
    [
        ("Knowledge Management", "knowledge managment"),  # a typo
        ("Café crème", "Cafe creme"),  # accents
        ("l’été", "l'été"),  # straight vs curly apostrophe
        ("project-management", "project management"),  # - and space
        ("snake_case note", "snake case note"),  # _ and space
        ("archive/2023/Moved note", "old/Moved note"),  # a moved note
        # the start of a long name: a ratio of exactly 88, with 12 characters fewer
        (
            "How to build a compost heap in a small urban garden plot",
            "How to build a compost heap in a small urban",
        ),
    ],
)
def test_did_you_mean(vault: Vault, existing: str, written: str) -> None:
    root = vault({f"{existing}.md": T, "src.md": T + f"[[{written}]]\n"})
    (message,) = [m for _, _, _, m in found(root)]
    name = existing.rsplit("/", 1)[-1]
    assert message.endswith(f'(did you mean "{name}"?)')


def test_a_file_name_with_a_newline_does_not_upset_suggestions(vault: Vault) -> None:
    root = vault({"Compost heap.md": T, "odd\nname.md": T, "src.md": T + "[[compost heep]]\n"})
    (message,) = [m for _, _, _, m in found(root)]
    assert message.endswith('(did you mean "Compost heap"?)')


def test_no_suggestion_when_nothing_is_close(vault: Vault) -> None:
    root = vault({"Gardening.md": T, "src.md": T + "[[Quantum physics]]\n"})
    assert "did you mean" not in found(root)[0][3]


def test_unsafe_fix_keeps_visible_text(vault: Vault) -> None:
    root = vault(
        {
            "Gardening.md": T + "## Tools\n",
            "src.md": T
            + "[[gardenning]] [[Gardenning|my garden]] [[gardenning#Tools]] ![[gardenning]]\n",
        }
    )
    run("check", root, "--fix", "--unsafe-fixes", "--select", "VL1", "--ignore", "orphan-note")
    assert (root / "src.md").read_text() == T + (
        "[[Gardening|gardenning]] [[Gardening|my garden]] [[Gardening#Tools|gardenning#Tools]] ![[Gardening]]\n"
    )


def test_markdown_link_fix_is_percent_encoded(vault: Vault) -> None:
    root = vault({"notes/My note.md": T, "src.md": T + "[x](notes/My%20nte.md)\n"})
    run("check", root, "--fix", "--unsafe-fixes", "--select", "VL106")
    assert (root / "src.md").read_text() == T + "[x](notes/My%20note.md)\n"


def test_frontmatter_links(vault: Vault) -> None:
    root = vault(
        {
            "Parent.md": T,
            "src.md": '---\ntitle: s\nup: "[[Parent]]"\nrel: ["[[Gone]]"]\nbad: [[Nope]]\n---\n',
        }
    )
    assert found(root) == [
        (4, 8, "broken-wikilink", 'unresolved link "[[Gone]]": no note named "Gone"')
    ]


def test_comment_options(vault: Vault) -> None:
    root = vault({"src.md": T + "%% [[InComment]] %%\n<!-- [[InHtml]] -->\n"})
    assert [m.split('"')[1] for *_, m in found(root)] == ["[[InComment]]"]
    cfg = (
        "rules:\n  broken-wikilink:\n    ignore-in-comments: true\n    check-html-comments: true\n"
    )
    (root / ".vaultlint.yaml").write_text(cfg)
    assert [m.split('"')[1] for *_, m in found(root)] == ["[[InHtml]]"]


def test_resolve_by_title_aliases_loose_names(vault: Vault) -> None:
    root = vault(
        {
            "n1.md": "---\ntitle: Systems Thinking\n---\n",
            "n2.md": "---\ntitle: t\naliases: [KM]\n---\n",
            "design_thinking.md": T,
            "src.md": T + "[[systems thinking]] [[KM]] [[Design Thinking]]\n",
        }
    )
    assert len(found(root)) == 3  # Obsidian resolves none of them
    cfg = "rules:\n  broken-wikilink:\n    resolve-by: [path, title, aliases, loose-name]\n"
    (root / ".vaultlint.yaml").write_text(cfg)
    assert found(root) == []


def test_ignore_targets(vault: Vault) -> None:
    root = vault(
        {
            ".vaultlint.yaml": "rules:\n  broken-wikilink:\n    ignore-targets: ['future/*', 'TODO*']\n",
            "src.md": T + "[[future/idea]] [[todo later]] [[real gap]]\n",
        }
    )
    assert [m.split('"')[1] for *_, m in found(root)] == ["[[real gap]]"]


def test_site_paths_and_relative_markdown_links(vault: Vault) -> None:
    # a leading "/" is a vault-root path for Obsidian: checked, unless a site generator is found
    links = "[x](/about) [y](b.md) [z](../a/b.md) [w](./b) [v](/a/b.md)\n"
    root = vault({"a/b.md": T, "a/src.md": T + links})
    assert [(line, col, rule) for line, col, rule, _ in found(root)] == [
        (4, 1, "broken-markdown-link")
    ]
    (root / "_config.yml").write_text("title: garden\n", encoding="utf-8")
    assert found(root) == []
    assert len(found(root, "--config", str(_config(root, "ignore-site-paths: false")))) == 1


def _config(root: Path, option: str) -> Path:
    path = root.parent / "vaultlint.yaml"
    path.write_text(f"rules:\n  broken-markdown-link:\n    {option}\n", encoding="utf-8")
    return path
