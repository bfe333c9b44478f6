"""Both install modes expose every rule, checked from outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO
from vaultlint.engine.registry import builtin_rules

pytestmark = pytest.mark.e2e


def _install(tmp_path: Path, editable: bool) -> Path:
    env_dir = tmp_path / ("editable" if editable else "regular")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    target = ["-e", str(REPO)] if editable else [str(REPO)]
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *target],
        check=True,
        cwd=tmp_path,
        capture_output=True,
        timeout=600,
    )
    return env_dir


@pytest.mark.parametrize("editable", [False, True], ids=["pip-install", "pip-install-e"])
def test_install_exposes_every_rule(tmp_path: Path, editable: bool) -> None:
    if os.environ.get("VAULTLINT_SKIP_INSTALL_TESTS"):
        pytest.skip("VAULTLINT_SKIP_INSTALL_TESTS is set")
    env_dir = _install(tmp_path, editable)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    listing = subprocess.run(
        [str(env_dir / "bin" / "vaultlint"), "rules"],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
        env=clean_env,
    )
    for rule in builtin_rules():
        assert f"{rule.META.code}   {rule.META.name}" in listing.stdout
    probe = subprocess.run(
        [
            str(env_dir / "bin" / "python"),
            "-c",
            "import vaultlint.rules.broken_wikilink as m, vaultlint, os; print(m.META.code, os.path.dirname(vaultlint.__file__))",
        ],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
        env=clean_env,
    )
    code, location = probe.stdout.split()
    assert code == "VL101"
    if editable:
        assert Path(location) == REPO / "vaultlint"
    else:
        assert "site-packages" in location
    checked = subprocess.run(
        [str(env_dir / "bin" / "vaultlint"), "check", str(REPO / "examples" / "vault")],
        cwd=outside,
        capture_output=True,
        text=True,
        env=clean_env,
    )
    assert checked.returncode == 1 and "VL101 [broken-wikilink]" in checked.stdout
    assert sys.version_info >= (3, 10)
