"""Baselines: record today's diagnostics, then report only new ones.

A diagnostic is matched by (path, code, the text under its span), not by line number, so
editing other parts of a note does not resurface old findings. Counts make it a multiset:
a second identical broken link in the same note is new.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from vaultlint.disk.smallfile import SmallFileError, read_json
from vaultlint.engine.diagnostic import Diagnostic

VERSION = 1


class BaselineError(Exception):
    pass


def write_baseline(path: Path, diagnostics: Sequence[Diagnostic]) -> None:
    counts = Counter(d.fingerprint() for d in diagnostics)
    entries = []
    done: set[str] = set()
    for d in diagnostics:
        key = d.fingerprint()
        if key in done:
            continue
        done.add(key)
        entries.append(
            {
                "path": d.path,
                "code": d.code,
                "fingerprint": key,
                "count": counts[key],
                "message": d.message,
            }
        )
    payload = {"vaultlint-baseline": VERSION, "entries": entries}
    try:
        path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None


def load_baseline(path: Path) -> Counter[str]:
    try:
        payload = read_json(path)
    except SmallFileError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
    if not isinstance(payload, dict) or payload.get("vaultlint-baseline") != VERSION:
        raise BaselineError(f"{path}: not a vaultlint baseline (version {VERSION})")
    entries = payload.get("entries")
    try:
        if not isinstance(entries, list):
            raise TypeError("'entries' is not a list")
        found: Counter[str] = Counter()
        for entry in entries:
            count = entry["count"]
            if not isinstance(entry["fingerprint"], str) or type(count) is not int or count < 0:
                raise TypeError("an entry's fingerprint or count has the wrong type")
            found[entry["fingerprint"]] += count
        return found
    except (KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a vaultlint baseline: {exc}") from None


def filter_new(diagnostics: Sequence[Diagnostic], known: Counter[str]) -> list[Diagnostic]:
    remaining = Counter(known)
    fresh = []
    for d in diagnostics:
        key = d.fingerprint()
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            fresh.append(d)
    return fresh
