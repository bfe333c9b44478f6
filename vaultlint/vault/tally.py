"""Vault-wide counts that rules keep per note: "how many notes use this word".

A rule's ``tally(fact)`` lists the keys one note counts for; the engine sums them over the
vault. The sum is a ``Tally``: in memory after a full run, or read from the cache (with the
changed notes' keys added and removed) when a run checks only a few notes. Missing keys count 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Protocol


class Tally(Protocol):
    def __getitem__(self, key: str) -> int: ...

    def __contains__(self, key: object) -> bool: ...

    def largest(self, skip_prefix: str = "") -> int:
        """The largest count, leaving out keys that start with ``skip_prefix``."""
        ...


class MemoryTally(Counter[str]):
    def largest(self, skip_prefix: str = "") -> int:
        if not skip_prefix:
            return max(self.values(), default=0)
        return max((n for k, n in self.items() if not k.startswith(skip_prefix)), default=0)

    @classmethod
    def of(cls, keys_per_note: Iterable[Iterable[str]]) -> MemoryTally:
        counts = cls()
        for keys in keys_per_note:
            counts.update(keys)
        return counts


class StoredTally:
    """A tally read from the cache key by key, with the changes of the notes parsed in this
    run applied: a run that checks three notes asks for a few thousand keys, not all."""

    def __init__(self, store: Any, rule: str, change: Mapping[str, int]) -> None:
        self.store = store
        self.rule = rule
        self.change = change
        self._memo: dict[str, int] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        wanted = [k for k in keys if k not in self._memo]
        if not wanted:
            return
        found = self.store.tally_of(self.rule, wanted)
        for key in wanted:
            self._memo[key] = found.get(key, 0) + self.change.get(key, 0)

    def __getitem__(self, key: str) -> int:
        n = self._memo.get(key)
        if n is None:
            self.prefetch([key])
            n = self._memo[key]
        return n

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self[key] > 0

    def largest(self, skip_prefix: str = "") -> int:
        # Of the keys this run did not change, the largest is among the stored top
        # len(change) + 1; the changed ones are counted exactly.
        rows = self.store.tally_largest(self.rule, skip_prefix, len(self.change) + 1)
        values = [n for k, n in rows if k not in self.change]
        values += [self[k] for k in self.change if not (skip_prefix and k.startswith(skip_prefix))]
        return max(values, default=0)
