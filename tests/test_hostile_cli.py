"""Hostile files around a run (config, baseline, caches, the command line) get one clear line
and exit 2, or are ignored as a corrupt cache: never a traceback, a hang or a wrong exit code."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import git, run

Vault = Callable[..., Path]
NOTE = {"A.md": "---\ntitle: A\n---\n[[B]]\n"}  # one broken link: exit 1
DEEP = "[" * 100_000 + "]" * 100_000


def one_error_line(result: object, *parts: str) -> None:
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 2, output  # type: ignore[attr-defined]
    lines = output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("vaultlint: error: "), output
    assert "Traceback" not in output
    for part in parts:
        assert part in lines[0], output


@pytest.mark.parametrize("name", ["answers.json", "cache.json"])
def test_deeply_nested_cache_is_a_corrupt_cache(name: str, vault: Vault) -> None:
    root = vault(NOTE)
    assert run("check", root).exit_code == 1
    (root / ".vaultlint" / "answers.json").unlink()  # else it answers without the report cache
    (root / ".vaultlint" / name).write_text(DEEP)
    result = run("check", root)
    assert result.exit_code == 1 and "[[B]]" in result.output
    assert run("check", root).exit_code == 1  # rebuilt: answered again
    assert (root / ".vaultlint" / name).read_text() != DEEP


@pytest.mark.parametrize("code", ["10" + "0" * 400, "true", "3", "-1", '"1"'])
def test_forged_answer_code_is_a_miss(code: str, vault: Vault) -> None:
    root = vault(NOTE)
    run("check", root)
    path = root / ".vaultlint" / "answers.json"
    text = path.read_text()
    path.write_text(
        text.replace('"code": 1', f'"code": {code}').replace('"code":1', f'"code":{code}')
    )
    assert code in path.read_text()
    result = run("check", root)
    assert result.exit_code == 1 and "[[B]]" in result.output


def test_forged_report_rows_are_a_miss(vault: Vault) -> None:
    root = vault(NOTE)
    run("check", root, "--output-format", "json")
    (root / ".vaultlint" / "answers.json").unlink()
    path = root / ".vaultlint" / "cache.json"
    data = json.loads(path.read_text())
    report = data["report"]
    for forged in ([["A.md", 0, 1, 1, 1, "VL101", "x", "error", "m", None, None, "", None]], {}):
        report["diagnostics"] = forged
        path.write_text(json.dumps(data))
        found = json.loads(run("check", root, "--output-format", "json").stdout)
        assert [d["line"] for d in found] == [4]
        (root / ".vaultlint" / "answers.json").unlink()
        data = json.loads(path.read_text())
        report = data["report"]
    report["notes_checked"] = 10**400
    path.write_text(json.dumps(data))
    assert "1 note" in run("check", root).output


def test_init_on_a_symlink_loop(vault: Vault) -> None:
    root = vault(NOTE)
    os.symlink("loop-b", root / "loop-a")
    os.symlink("loop-a", root / "loop-b")
    result = run("init", root, "--stdout")
    assert result.exit_code == 0 and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("config", "parts"),
    [
        ("exclude: ['[z-a]']\n", (".vaultlint.yaml:1:", "exclude:", "[z-a]")),
        ("per-path:\n  '[z-a]':\n    ignore: [typo]\n", (".vaultlint.yaml:2:", "[z-a]")),
        ("rules: " + "[" * 5000 + "]" * 5000 + "\n", (".vaultlint.yaml", "nested too deeply")),
        ("select: [VL101]\nselect: [VL102]\n", (".vaultlint.yaml:2:", "duplicate key")),
    ],
)
def test_bad_config_is_one_line(config: str, parts: tuple[str, ...], vault: Vault) -> None:
    root = vault({**NOTE, ".vaultlint.yaml": config})
    result = run("check", root, "--no-cache")
    one_error_line(result, *parts)
    assert "suppress" not in result.output  # not ruamel's advice paragraph


def test_bad_baselines_are_one_line(vault: Vault, tmp_path: Path) -> None:
    root = vault(NOTE)
    deep = tmp_path / "deep.json"
    deep.write_text(DEEP)
    one_error_line(run("check", root, "--baseline", deep), "deep.json", "nested too deeply")
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    one_error_line(run("check", root, "--baseline", listed), "not a vaultlint baseline")
    one_error_line(run("check", root, "--baseline", "/dev/zero"), "not a regular file")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    one_error_line(run("check", root, "--baseline", fifo), "not a regular file")
    one_error_line(run("check", root, "--config", fifo), "not a regular file")
    missing = tmp_path / "no" / "such" / "dir" / "b.json"
    one_error_line(run("check", root, "--write-baseline", missing), "cannot write baseline")
    if Path("/proc/version").exists():
        one_error_line(run("check", root, "--write-baseline", "/proc/version"), "/proc/version")


def test_missing_vault_is_a_usage_error(tmp_path: Path) -> None:
    one_error_line(run("check", "--vault", tmp_path / "nope"), "no such folder")


def test_click_usage_errors_take_one_line(vault: Vault) -> None:
    root = vault(NOTE)
    one_error_line(run("check", root, "--bogus"), "--bogus", "vaultlint check --help")
    one_error_line(run("check", root, "--output-format", "xml"), "xml")
    one_error_line(run("nosuchcommand"), "nosuchcommand")


@pytest.mark.parametrize(
    ("rules", "parts"),
    [
        ("typo:\n    language: klingon\n", (":3:", "language:", "klingon")),
        ("typo:\n    corrections: {teh: '[[x]]'}\n", (":3:", "corrections:", "[[x]]")),
        ("stale-tag:\n    migrate: {Afairepousser: ['']}\n", (":3:", "migrate:")),
        ("stale-tag:\n    migrate: {Afairepousser: ['a b']}\n", (":3:", "'a b'")),
        ("stale-tag:\n    migrate: {Afairepousser: ['#x']}\n", (":3:", "'#x'")),
        ("stale-tag:\n    migrate: {Afairepousser: [afairepousser]}\n", ("watched tag",)),
    ],
)
def test_rule_options_that_would_write_nonsense_are_refused(
    rules: str, parts: tuple[str, ...], vault: Vault
) -> None:
    root = vault({**NOTE, ".vaultlint.yaml": "rules:\n  " + rules})
    one_error_line(run("check", root, "--no-cache"), ".vaultlint.yaml", *parts)


def test_good_rule_options_still_load(vault: Vault) -> None:
    config = (
        "rules:\n  typo:\n    corrections: {alot: a lot}\n"
        "  stale-tag:\n    migrate: {Afairepousser: [wip, to_update, projets/en-cours]}\n"
    )
    root = vault({**NOTE, ".vaultlint.yaml": config})
    assert run("check", root, "--no-cache").exit_code == 1


def test_file_names_cannot_forge_lines_or_reach_the_terminal(vault: Vault) -> None:
    root = vault(
        {
            "a\nb.md:1:1: VL101 forged.md": "---\ntitle: x\n---\n[[nope]]\n",
            "osc.md": "---\ntitle: x\n---\n[[\x1b]0;pwned\x07]]\n",
        }
    )
    result = run("check", root, "--no-cache")
    lines = result.output.splitlines()
    assert len(lines) == 3, result.output  # two problems and the summary
    assert lines[0].startswith("a\\nb.md:1:1: VL101 forged.md:4:1: VL101")
    assert "\x1b" not in result.output and "\\x1b]0;pwned\\x07" in lines[1]


def test_answer_cache_sees_git_ignore_files_below_the_root(vault: Vault) -> None:
    root = vault({"A.md": "---\ntitle: A\n---\n", "sub/B.md": "---\ntitle: B\n---\n[[nope]]\n"})
    (root / "sub" / ".gitignore").write_text("B.md\n")
    git(root, "init", "-q")
    assert run("check", root).exit_code == 0
    (root / "sub" / ".gitignore").unlink()
    assert run("check", root).exit_code == 1
    (root / ".git" / "info" / "exclude").write_text("sub/B.md\n")
    assert run("check", root).exit_code == 0


def test_unreadable_folder_is_reported(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault({**NOTE, "locked/B.md": "---\ntitle: B\n---\n"})
    real_scandir = os.scandir

    def guarded(path: object = ".") -> object:  # root reads anything: refuse it here
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[arg-type]

    import vaultlint.disk.discovery

    monkeypatch.setattr(vaultlint.disk.discovery.os, "scandir", guarded)
    result = run("check", root, "--no-cache")
    assert "locked/: folder not readable: Permission denied" in result.output


def test_default_size_limit(vault: Vault) -> None:
    root = vault({"big.md": "---\ntitle: big\n---\n" + "word " * (9 * 1024 * 1024 // 5)})
    result = run("check", root, "--no-cache")
    assert "over the 8 MiB limit" in result.output and result.exit_code == 1


def test_report_caches_are_read_with_their_own_bound_not_the_small_file_one(
    vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import vaultlint.disk.smallfile as smallfile

    limits: dict[str, int] = {}
    real = smallfile.read_small

    def recording(path: Path, limit: int = smallfile.MAX_SMALL_FILE, *a: Any) -> str:
        limits[Path(path).name] = limit
        return real(path, limit, *a)

    monkeypatch.setattr(smallfile, "read_small", recording)
    root = vault({"A.md": "---\ntitle: A\n---\n[[Missing]]\n"})
    assert run("check", root).exit_code == 1
    assert run("check", root, "--output-format", "json").exit_code == 1  # from cache.json
    # a big vault's report outgrows 64 MiB: it must still be read, bounded by the cache cap
    assert limits.get("answers.json") == smallfile.MAX_CACHE_FILE
    assert limits.get("cache.json") == smallfile.MAX_CACHE_FILE
