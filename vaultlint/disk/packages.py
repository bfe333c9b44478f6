"""Where an installed Python package is, and when it changed, read without importing it."""

from __future__ import annotations

import contextlib
import os
from importlib.util import find_spec
from pathlib import Path


def installed(package: str) -> str:
    """Where a package is installed and when it changed, without importing it (an upgrade
    or a reinstall rewrites its folder): cheaper than reading its metadata."""
    with contextlib.suppress(ImportError, ValueError):
        spec = find_spec(package)
        if spec is not None and spec.origin:
            folder = Path(spec.origin).parent
            try:
                info = os.stat(folder)
            except OSError:
                return f"{folder} -"
            return f"{folder} {info.st_mtime_ns} {info.st_size}"
    return f"{package} -"
