"""A stored report asked for as JSON is written from its stored rows, no diagnostic built: the
same bytes, messages and exit code as a run without the cache."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from test_formats_json import _TEXTS, _diagnostic

from conftest import run
from vaultlint.cache.report import decode_diagnostics, encode_diagnostics, valid_rows
from vaultlint.cli.formats import format_json, format_json_rows
from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.engine.rule import Fix, Safety, Severity
from vaultlint.model.note import Position

Vault = Callable[..., Path]
OLD = 1_577_836_800  # 2020-01-01: older than stale-tag's 180 days
FILES = {
    "A.md": "See [[Nowhere]] and [[B#Gone]].\n",  # no title: a safe fix
    "B.md": "---\ntitle: B\n---\n# B\nTo do #Afairepousser\n",  # stale: a finding with data
    "Ctrl\x1b[31m é.md": "---\ntitle: C\n---\n[[Missing \u2028 note]]\n",
    "D.md": "---\ntitle: D\n---\nNothing wrong here.\n",
}


def _stored_rows(diagnostics: list[Diagnostic]) -> list[list[object]]:
    """The rows as the report cache reads them back (JSON written, then read)."""
    rows = json.loads(json.dumps(encode_diagnostics(diagnostics), ensure_ascii=False))
    assert valid_rows(rows)
    return rows  # type: ignore[no-any-return]


def test_rows_give_the_text_of_their_diagnostics() -> None:
    rng = random.Random(7)
    for size in (0, 1, 3, 50, 400):
        diagnostics = [_diagnostic(rng) for _ in range(size)]
        for d in diagnostics:  # what a stored row can hold: JSON values
            d.data = json.loads(json.dumps(d.data, default=str)) if d.data else d.data
            if d.data:
                d.data = {str(k): v for k, v in d.data.items()}
        rows = _stored_rows(diagnostics)
        decoded = decode_diagnostics(rows)
        assert decoded is not None
        assert format_json_rows(rows) == format_json(diagnostics) == format_json(decoded)


def test_every_text_in_every_field_of_a_row() -> None:
    for text in _TEXTS:
        for safety in Safety:
            d = Diagnostic(
                text,
                Position(1, 2),
                Position(3, 4),
                text,
                text,
                Severity.INFO,
                text,
                Fix(text, (), safety),
                text,
                {text: [text, 1, None]},
            )
            assert format_json_rows(_stored_rows([d, d])) == format_json([d, d])


def _check(root: Path, *args: str) -> tuple[str, str, int]:
    result = run("check", root, "--output-format", "json", "--no-progress", *args)
    return result.stdout, result.stderr, result.exit_code


@pytest.mark.parametrize("exit_zero", [False, True])
def test_a_stored_report_replays_the_same_bytes(
    vault: Vault, monkeypatch: pytest.MonkeyPatch, parses: list[str], exit_zero: bool
) -> None:
    root = vault(FILES)
    os.utime(root / "B.md", (OLD, OLD))  # not in git: stale-tag dates it by its mtime
    args = ("--exit-zero",) if exit_zero else ()
    fresh = _check(root, "--no-cache", *args)
    assert fresh[2] == (0 if exit_zero else 1)
    found = json.loads(fresh[0])
    assert any(d.get("data") for d in found)  # the stale tag's data
    assert any(d["fix"] and d["fixable"] for d in found)
    assert any("\\u001b" in line for line in fresh[0].splitlines())  # escaped, as JSON does
    assert _check(root, *args) == fresh  # fills the caches
    (root / ".vaultlint" / "answers.json").unlink()  # the stored report answers next

    import vaultlint.cache.report

    def no_build(rows: object) -> object:
        raise AssertionError("a diagnostic was built")

    monkeypatch.setattr(vaultlint.cache.report, "_build", no_build)
    parses.clear()
    assert _check(root, *args) == fresh
    assert parses == []


def test_a_stored_report_with_a_baseline_is_filtered(vault: Vault, tmp_path: Path) -> None:
    """A baseline filters diagnostics: the rows are decoded, and the output is still the one
    of a run without the cache."""
    root = vault(FILES)
    baseline = tmp_path / "baseline.json"
    result = run("check", root, "--write-baseline", baseline)
    assert result.exit_code == 0
    (root / "D.md").write_text("---\ntitle: D\n---\n[[Brand new break]]\n")
    fresh = _check(root, "--no-cache", "--baseline", str(baseline))
    assert [d["path"] for d in json.loads(fresh[0])] == ["D.md"]
    assert _check(root, "--baseline", str(baseline)) == fresh
    (root / ".vaultlint" / "answers.json").unlink()
    assert _check(root, "--baseline", str(baseline)) == fresh


def test_a_forged_row_is_a_miss(vault: Vault) -> None:
    root = vault(FILES)
    fresh = _check(root, "--no-cache")
    assert _check(root) == fresh
    cache = root / ".vaultlint" / "cache.json"
    data = json.loads(cache.read_text())
    data["report"]["diagnostics"][0][1] = 0  # line 0: not one vaultlint writes
    cache.write_text(json.dumps(data))
    (root / ".vaultlint" / "answers.json").unlink()
    assert _check(root) == fresh
