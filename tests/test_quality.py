"""The code keeps its own rules: import contracts, ruff, ruff format and mypy --strict pass.

They run here, as subprocesses of the test run, so that CI (the README's ``pytest``) checks them
with the versions the ``test`` extras pin. Every package of the source tree is installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

BIN = Path(sys.executable).parent


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    executable = BIN / tool
    if not executable.exists():
        pytest.fail(f"{tool} is not installed beside {sys.executable}: pip install -e '.[test]'")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(executable), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,  # far above what a cold mypy needs: a hang, not a slow machine
    )


@pytest.mark.parametrize(
    "command",
    [
        ("lint-imports", "--no-cache"),
        ("ruff", "check", "--no-cache", "."),
        ("ruff", "format", "--check", "--no-cache", "."),
        ("mypy",),
    ],
    ids=["import-contracts", "ruff-check", "ruff-format", "mypy-strict"],
)
def test_tool_passes(command: tuple[str, ...]) -> None:
    done = _run(*command)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"


def test_every_package_is_installed() -> None:
    """A folder under ``vaultlint/`` missing from pyproject's explicit package list would be
    left out of a regular (non-editable) install while every editable run still works."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the check is the same on 3.10
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "vaultlint").rglob("__init__.py")
    }
    assert found, "no package found under vaultlint/"
    assert found | {"vaultlint.rules"} == listed
    data = config["tool"]["setuptools"]["package-data"]["vaultlint.spelling"]
    assert data == ["data/*.txt"]
    assert sorted(p.name for p in (REPO / "vaultlint" / "spelling" / "data").glob("*.txt"))
