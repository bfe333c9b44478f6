"""The stored answers are read once per run, and read again whenever the file was rewritten."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vaultlint.cache import replay
from vaultlint.cache.replay import FILE, FOLDER, Answer, lookup, store


def _write(root: Path, stdout: str) -> None:
    entry = {"key": "k", "moment": None, "stdout": stdout, "stderr": "", "code": 0}
    (root / FOLDER / FILE).write_text(json.dumps({"format": 1, "answers": [entry]}))


def test_a_rewritten_file_is_read_again(tmp_path: Path) -> None:
    (tmp_path / FOLDER).mkdir()
    _write(tmp_path, "first")
    assert lookup(tmp_path, "k") == Answer("first", "", 0)
    (tmp_path / FOLDER / FILE).unlink()
    _write(tmp_path, "second, longer")  # another file in its place
    assert lookup(tmp_path, "k") == Answer("second, longer", "", 0)
    store(tmp_path, "other", Answer("third", "", 1), time_sensitive=False)
    assert lookup(tmp_path, "other") == Answer("third", "", 1)
    assert lookup(tmp_path, "k") == Answer("second, longer", "", 0)
    (tmp_path / FOLDER / FILE).unlink()
    assert lookup(tmp_path, "k") is None


def test_an_unchanged_file_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / FOLDER).mkdir()
    _write(tmp_path, "first")
    reads: list[Path] = []
    from vaultlint.disk.smallfile import read_json as real

    def counting(*args: Any, **kwargs: Any) -> Any:
        reads.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(replay, "read_json", counting)
    assert lookup(tmp_path, "missing") is None
    store(tmp_path, "missing", Answer("new", "", 0), time_sensitive=False)
    assert len(reads) == 1
    assert lookup(tmp_path, "k") == Answer("first", "", 0)
    assert lookup(tmp_path, "missing") == Answer("new", "", 0)
