"""Vault services: facts the engine gathers (with I/O) for rules that ask for them in META.needs."""

from __future__ import annotations

from .engine import ServiceFactory
from .history import load_history
from .spelling import Speller
from .store import Store
from .vault import Vault


def _history(vault: Vault) -> object:
    focus = vault.focus
    history = load_history(
        vault.root, vault.notes if focus is None else focus, only=focus is not None
    )
    messages = vault.services.setdefault("messages", [])
    messages.extend(history.messages)
    return history


def default_services(store: Store | None = None) -> dict[str, ServiceFactory]:
    def spelling(vault: Vault) -> object:
        speller = Speller(vault.root)
        if speller.unavailable:
            vault.services.setdefault("messages", []).append(f"typo: {speller.unavailable}")
        elif store is not None and store.usable and vault.complete:
            speller.preload(store.known_words())  # a whole vault asks for most of them
        elif store is not None and store.usable:
            speller.remembered = lambda lang, word: store.known_word(lang, [word]).get(word)
        return speller

    return {"history": _history, "spelling": spelling}
