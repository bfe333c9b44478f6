"""The command line: options, output formats, exit codes, baseline, suppressions, config."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import vaultlint
from conftest import codes, run, run_json

BASIC = {
    "A.md": "---\ntitle: A\n---\nSee [[B]] and [[Missing]].\n",
    "B.md": "---\ntitle: B\n---\n# Top\nBack to [[A#Nope]].\n",
    "C.md": "No title here. [[A]]\n",
}

Vault = Callable[..., Path]


def test_clean_vault_exits_zero(vault: Vault) -> None:
    root = vault({"A.md": "---\ntitle: A\n---\n[[B]]\n", "B.md": "---\ntitle: B\n---\n"})
    result = run("check", root)
    assert result.exit_code == 0
    assert "No problems found in 2 notes." in result.output


def test_problems_exit_one_with_positions(vault: Vault) -> None:
    root = vault(BASIC)
    result = run("check", root)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        'A.md:4:15: VL101 [broken-wikilink] unresolved link "[[Missing]]": no note named "Missing"'
        in lines
    )
    assert any(line.startswith("B.md:5:9: VL103 [broken-heading-link]") for line in lines)
    assert any(
        line.startswith("C.md:1:1: VL201 [missing-title]") and line.endswith("[*]")
        for line in lines
    )
    assert lines[-1].startswith("Found 3 problems in 3 notes")


def test_json_output_is_stable(vault: Vault) -> None:
    root = vault(BASIC)
    items = run_json(root)
    assert codes(items) == [
        ("A.md", 4, 15, "broken-wikilink"),
        ("B.md", 5, 9, "broken-heading-link"),
        ("C.md", 1, 1, "missing-title"),
    ]
    first = items[0]
    assert set(first) >= {
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "rule",
        "severity",
        "message",
        "fixable",
    }
    assert (first["end_line"], first["end_column"], first["code"], first["severity"]) == (
        4,
        26,
        "VL101",
        "error",
    )
    assert first["fixable"] is False and items[2]["fixable"] is True


def test_select_ignore_by_code_name_prefix(vault: Vault) -> None:
    root = vault(BASIC)
    assert [d["rule"] for d in run_json(root, "--select", "VL1", "--ignore", "orphan-note")] == [
        "broken-wikilink",
        "broken-heading-link",
    ]
    assert [d["rule"] for d in run_json(root, "--select", "missing-title")] == ["missing-title"]
    assert [d["rule"] for d in run_json(root, "--ignore", "VL101,VL103")] == ["missing-title"]
    assert run_json(root, "--select", "ALL", "--ignore", "ALL") == []


def test_unknown_rule_is_usage_error(vault: Vault) -> None:
    root = vault(BASIC)
    result = run("check", root, "--select", "no-such-rule")
    assert result.exit_code == 2
    assert "unknown rule 'no-such-rule'" in result.output


def test_exit_zero_statistics_quiet(vault: Vault) -> None:
    root = vault(BASIC)
    result = run("check", root, "--exit-zero", "--statistics")
    assert result.exit_code == 0
    assert "     1  VL101  " in result.output
    quiet = run("check", root, "-q")
    assert quiet.exit_code == 1 and "Found" not in quiet.output


def test_github_annotations(vault: Vault) -> None:
    root = vault(BASIC)
    result = run("check", ".", "--output-format", "github", cwd=root)
    lines = result.output.splitlines()
    assert lines[0] == (
        "::error file=A.md,line=4,col=15,endLine=4,endColumn=26,title=VL101 broken-wikilink::"
        'unresolved link "[[Missing]]": no note named "Missing"'
    )


def test_github_paths_relative_to_working_folder(vault: Vault, tmp_path: Path) -> None:
    root = vault(BASIC)
    result = run("check", root, "--output-format", "github", "--select", "VL101", cwd=tmp_path)
    assert "file=vault/A.md," in result.output


def test_sarif_output(vault: Vault) -> None:
    root = vault(BASIC)
    result = run("check", root, "--output-format", "sarif")
    log = json.loads(result.output)
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    assert run_["tool"]["driver"]["name"] == "vaultlint"
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    first = run_["results"][0]
    assert first["ruleId"] == "VL101" and rule_ids[first["ruleIndex"]] == "VL101"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (4, 15)
    assert first["level"] == "error" and first["partialFingerprints"]["vaultlint/v1"]


def test_sarif_uri_is_percent_encoded(vault: Vault) -> None:
    root = vault({"My note.md": "[[Nowhere]]\n"})
    log = json.loads(run("check", root, "--output-format", "sarif", "--select", "VL101").output)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"
    ]
    assert uri == "My%20note.md"


def test_gitlab_code_quality(vault: Vault) -> None:
    root = vault(BASIC)
    items = json.loads(run("check", root, "--output-format", "gitlab").output)
    assert items[0]["location"] == {"path": "A.md", "lines": {"begin": 4}}
    assert items[0]["severity"] == "major" and len(items[0]["fingerprint"]) == 16


def test_check_never_writes_fix_does_diff_does_not(vault: Vault) -> None:
    root = vault(BASIC)
    before = (root / "C.md").read_bytes()
    run("check", root)
    assert (root / "C.md").read_bytes() == before
    diff = run("check", root, "--diff")
    assert diff.exit_code == 1
    assert "+++ b/C.md" in diff.output and "+title: C" in diff.output
    assert (root / "C.md").read_bytes() == before
    fixed = run("check", root, "--fix")
    assert fixed.exit_code == 1  # broken links remain
    assert (root / "C.md").read_text() == "---\ntitle: C\n---\nNo title here. [[A]]\n"
    assert "Fixed 1 problem." in fixed.output
    again = run("check", root, "--diff")
    assert again.exit_code == 0 and again.output == ""


def test_unsafe_fix_needs_flag(vault: Vault) -> None:
    root = vault(
        {"A.md": "---\ntitle: A\n---\n[[Gardenning]]\n", "Gardening.md": "---\ntitle: G\n---\n"}
    )
    run("check", root, "--fix")
    assert "[[Gardenning]]" in (root / "A.md").read_text()
    result = run("check", root, "--fix", "--unsafe-fixes")
    assert result.exit_code == 0
    assert (root / "A.md").read_text() == "---\ntitle: A\n---\n[[Gardening|Gardenning]]\n"


def test_paths_limit_reporting_not_resolution(vault: Vault) -> None:
    root = vault(BASIC)
    items = run_json(root / "A.md")
    assert {d["path"] for d in items} == {"A.md"}  # B.md still resolves [[B]]
    assert [d["rule"] for d in items] == ["broken-wikilink"]


def test_vault_root_found_from_subfolder(vault: Vault) -> None:
    root = vault({"sub/A.md": "---\ntitle: A\n---\n[[B]]\n", "B.md": "---\ntitle: B\n---\n"})
    result = run("check", "A.md", cwd=root / "sub")
    assert result.exit_code == 0, result.output


def test_missing_path_is_usage_error(vault: Vault) -> None:
    root = vault(BASIC)
    result = run("check", root / "nope.md")
    assert result.exit_code == 2 and "no such file" in result.output


def test_baseline_reports_only_new_problems(vault: Vault, tmp_path: Path) -> None:
    root = vault(BASIC)
    baseline = tmp_path / "baseline.json"
    written = run("check", root, "--write-baseline", baseline)
    assert written.exit_code == 0 and baseline.is_file()
    assert run("check", root, "--baseline", baseline).exit_code == 0
    # unrelated lines shift every position; the known problems still match
    (root / "A.md").write_text("---\ntitle: A\n---\nIntro.\n\nMore.\nSee [[B]] and [[Missing]].\n")
    assert run("check", root, "--baseline", baseline).exit_code == 0
    (root / "A.md").write_text("---\ntitle: A\n---\nSee [[B]] and [[Missing]] and [[New gap]].\n")
    items = run_json(root, "--baseline", baseline)
    assert [d["message"] for d in items] == [
        'unresolved link "[[New gap]]": no note named "New gap"'
    ]


def test_bad_baseline_is_usage_error(vault: Vault, tmp_path: Path) -> None:
    root = vault(BASIC)
    bad = tmp_path / "b.json"
    bad.write_text("{}")
    result = run("check", root, "--baseline", bad)
    assert result.exit_code == 2 and "not a vaultlint baseline" in result.output


def test_suppressions(vault: Vault) -> None:
    root = vault(
        {
            "A.md": (
                "---\ntitle: A\n---\n"
                "%% vaultlint-disable-next-line broken-wikilink %%\n[[Gone1]]\n"
                "[[Gone2]] %% vaultlint-disable-line VL101 %%\n"
                "%% vaultlint-disable VL1 %%\n[[Gone3]]\n%% vaultlint-enable %%\n"
                "[[Gone4]]\n"
                "`%% vaultlint-disable %%` in code does nothing\n[[Gone5]]\n"
            ),
            "B.md": "---\nvaultlint-disable: [missing-title, broken-wikilink]\n---\n[[Gone6]]\n",
            "C.md": "---\nvaultlint-disable: true\n---\n[[Gone7]]\n",
        }
    )
    items = run_json(root)
    assert [d["message"].split('"')[1] for d in items] == ["[[Gone4]]", "[[Gone5]]"]


def test_config_file_select_rules_per_path(vault: Vault) -> None:
    root = vault(
        {
            ".vaultlint.yaml": (
                "ignore: [broken-heading-link]\n"
                "exclude: [archive/]\n"
                "rules:\n  broken-wikilink:\n    severity: warning\n    ignore-targets: ['Future*']\n"
                "per-path:\n  'daily/**':\n    ignore: [missing-title]\n"
            ),
            "A.md": "[[Future idea]] [[Real gap]] [[A#Nope]]\n",
            "daily/2024-01-01.md": "[[A]]\n",
            "archive/old.md": "[[Nothing]]\n",
        },
        obsidian=False,
    )
    items = run_json(root)
    assert [(d["path"], d["rule"], d["severity"]) for d in items] == [
        ("A.md", "missing-title", "error"),
        ("A.md", "broken-wikilink", "warning"),
    ]
    assert items[1]["message"].startswith('unresolved link "[[Real gap]]"')


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("selct: [ALL]\n", ".vaultlint.yaml:1: selct: unknown setting"),
        (
            "rules:\n  broken-wikilink:\n    ignore-target: [x]\n",
            '.vaultlint.yaml:3: ignore-target: broken-wikilink: unknown option "ignore-target"',
        ),
        ("rules:\n  nope: {}\n", ".vaultlint.yaml:2: nope: unknown rule"),
        ("ignore: [VL999]\n", ".vaultlint.yaml:1: ignore: unknown rule 'VL999'"),
        ("rules:\n  missing-title:\n    title-from: heading\n", "must be one of filename, h1"),
        (
            "rules:\n  broken-wikilink:\n    severity: fatal\n",
            ".vaultlint.yaml:3: severity: must be one of error, warning, info",
        ),
        ("tags: [\n", "invalid YAML"),
        (
            "respect-gitignore: maybe\n",
            ".vaultlint.yaml:1: respect-gitignore: must be true or false",
        ),
    ],
)
def test_config_errors_name_file_line_key(vault: Vault, config: str, expected: str) -> None:
    root = vault({".vaultlint.yaml": config, "A.md": "x\n"})
    result = run("check", root)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_internal_error_exits_three(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    import vaultlint.rules.broken_wikilink as rule

    def crash(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(rule, "check", crash)
    root = vault(BASIC)
    result = run("check", root)
    assert result.exit_code == 3
    assert "rule broken-wikilink (VL101) crashed: RuntimeError('boom')" in result.output
    assert "VL201" in result.output  # the other rules still ran


def test_rules_and_rule_docs() -> None:
    listing = run("rules")
    assert listing.exit_code == 0
    assert "VL101   broken-wikilink" in listing.output
    items = json.loads(run("rules", "--output-format", "json").output)
    assert {"code": "VL201", "name": "missing-title"}.items() <= items[
        [i["code"] for i in items].index("VL201")
    ].items()
    doc = run("rule", "missing-title")
    assert doc.exit_code == 0
    for section in (
        "## What it does",
        "## Why it matters",
        "## Example",
        "## Fix safety",
        "## Options",
    ):
        assert section in doc.output
    assert run("rule", "VL101").output.startswith("VL101 broken-wikilink")
    assert run("rule", "nope").exit_code == 2


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and vaultlint.__version__ in result.output


def test_init_writes_fitting_config(vault: Vault) -> None:
    root = vault(
        {"a.md": "no title\n", "b.md": "none\n", "site/index.html": "<html>", "site/x.md": "x"}
    )
    result = run("init", root)
    assert result.exit_code == 0
    text = (root / ".vaultlint.yaml").read_text()
    assert "- site/" in text and "- missing-title" in text
    assert run("init", root).exit_code == 2  # will not overwrite
    checked = run("check", root)
    assert checked.exit_code == 0, checked.output  # the config it wrote is valid


def test_vault_given_through_a_symlink(vault: Vault, tmp_path: Path) -> None:
    root = vault(BASIC)
    link = tmp_path / "link-to-vault"
    link.symlink_to(root)
    result = run("check", link, "--select", "VL101")
    assert result.exit_code == 1 and "A.md:4:15: VL101" in result.output
