"""Vault-wide counts: in memory, and read from the store with this run's changes applied."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from vaultlint.cache.store import Changes, NoteRecord, Store, save
from vaultlint.vault.summary import NoteSummary
from vaultlint.vault.tally import MemoryTally, StoredTally

KEYS = ({"VL501": "k"}, "dict-1")


def _stored(tmp_path: Path, counts: dict[str, int]) -> Store:
    record = NoteRecord("a.md", (1, 1, 1, 1), "h", NoteSummary(), {})
    changes = Changes([record], tallies={"VL501": Counter(counts)}, replace_tallies=True)
    save(tmp_path, KEYS, changes)
    store = Store(tmp_path, "dict-1")
    store.accept(KEYS[0])
    assert store.facts_valid
    return store


def test_stored_tally_applies_changes_and_finds_the_largest(tmp_path: Path) -> None:
    counts = {"the": 90, "and": 80, "jardin": 5, "\0name": 500}
    store = _stored(tmp_path, counts)
    change = Counter({"the": -85, "compost": 2, "jardin": -5})
    stored = StoredTally(store, "VL501", change)
    memory = MemoryTally(counts)
    memory.update(change)
    memory = MemoryTally({k: n for k, n in memory.items() if n > 0})
    for key in ("the", "and", "jardin", "compost", "absent", "\0name"):
        assert stored[key] == memory[key], key
        assert (key in stored) == (key in memory), key
    # "the" fell from 90 to 5: "and" is now the most used word; names do not count
    assert stored.largest("\0") == memory.largest("\0") == 80
    assert stored.largest() == memory.largest() == 500


def test_stored_tally_of_a_store_written_under_other_options_is_not_used(tmp_path: Path) -> None:
    _stored(tmp_path, {"the": 3})
    store = Store(tmp_path, "dict-1")
    store.accept({"VL501": "other options"})
    assert not store.facts_valid
    assert store.facts(["a.md"]) == {}
    assert "a.md" in store.summaries()  # summaries do not depend on options
