"""Running one git command in the vault, for its output."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git_output(root: Path, *args: str, timeout: float = 120) -> bytes | None:
    """What ``git <args>`` prints, run in ``root``; None when git is missing, fails, or
    takes longer than ``timeout`` seconds (the caller then knows nothing from git)."""
    try:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None
