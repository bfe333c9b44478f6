"""Spreading the checking of notes over processes.

Workers are forked, so they start with the parent's state (the rules, the config, the whole
parsed vault with its index and services) without pickling it; only the diagnostics they find
travel back. (Parsing stays in the parent: sending parsed notes back costs as much as parsing.) Where ``fork`` is not available
(Windows, macOS' default) or the vault is small, everything runs in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

MIN_NOTES = 300  # below this, starting processes costs more than it saves
T = TypeVar("T")
R = TypeVar("R")

_JOB: tuple[Callable[[Any, Any], Any], Any] | None = None


def workers() -> int:
    wanted = os.environ.get("VAULTLINT_JOBS")
    if wanted is not None and wanted.isdigit():
        return max(1, int(wanted))
    return max(1, min(os.cpu_count() or 1, 8))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _JOB is not None
    function, context = _JOB
    return [function(context, item) for item in chunk]


def map_chunks(function: Callable[[Any, T], R], context: Any, items: Sequence[T]) -> list[R]:
    """``[function(context, item) for item in items]``, over forked workers when it pays.

    ``context`` reaches the workers by inheritance (fork), not by pickling.
    """
    jobs = workers()
    if jobs <= 1 or len(items) < MIN_NOTES or not can_fork():
        return [function(context, item) for item in items]
    global _JOB
    _JOB = (function, context)
    try:
        size = max(1, len(items) // (jobs * 4))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_run_chunk, chunks)
    finally:
        _JOB = None
    return [item for chunk in results for item in chunk]
