"""Vault services: facts the engine gathers (with I/O) for rules that ask for them in META.needs."""

from __future__ import annotations

from .cache import Cache
from .engine import ServiceFactory
from .history import load_history
from .spelling import Speller, dictionary_version
from .vault import Vault


def _history(vault: Vault) -> object:
    history = load_history(vault.root, vault.notes)
    messages = vault.services.setdefault("messages", [])
    messages.extend(history.messages)
    return history


def default_services(cache: Cache | None = None) -> dict[str, ServiceFactory]:
    def spelling(vault: Vault) -> object:
        speller = Speller(vault.root)
        if speller.unavailable:
            vault.services.setdefault("messages", []).append(f"typo: {speller.unavailable}")
        elif cache is not None:
            speller.preload(cache.words(dictionary_version()))
        return speller

    return {"history": _history, "spelling": spelling}
