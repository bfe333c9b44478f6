"""Vault services: facts the session gathers (with I/O) for rules that ask for them in META.needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vaultlint.cache.store import Store
from vaultlint.disk.history import PendingLog, load_history
from vaultlint.grammar.grammalecte import Grammar
from vaultlint.run.session import ServiceFactory
from vaultlint.spelling.speller import Speller
from vaultlint.vault.view import Vault

if TYPE_CHECKING:
    from vaultlint.run.prefetch import Prefetch


def _history(
    vault: Vault, helper: Prefetch | None = None, pending: PendingLog | None = None
) -> object:
    focus = vault.focus
    history = helper.history(focus) if helper is not None and focus is not None else None
    if history is None:
        history = load_history(
            vault.root,
            vault.notes if focus is None else focus,
            only=focus is not None,
            pending=pending if focus is None else None,
        )
    messages = vault.services.setdefault("messages", [])
    messages.extend(history.messages)
    return history


def default_services(
    store: Store | None = None, helper: Prefetch | None = None, pending: PendingLog | None = None
) -> dict[str, ServiceFactory]:
    """``helper``: a pre-commit run's prefetch, which may have asked git for the history;
    ``pending``: a whole-vault run's ``git log``, started before the notes are read."""

    def spelling(vault: Vault) -> object:
        speller = Speller(vault.root)
        if speller.unavailable:
            vault.services.setdefault("messages", []).append(f"typo: {speller.unavailable}")
        elif store is not None and store.usable and vault.complete:
            speller.preload(store.known_words())  # a whole vault asks for most of them
        elif store is not None and store.usable:
            speller.remembered = lambda lang, word: store.known_word(lang, [word]).get(word)
        return speller

    def grammar(vault: Vault) -> object:
        engine = Grammar()
        if engine.unavailable:
            vault.services.setdefault("messages", []).append(f"grammar: {engine.unavailable}")
        elif store is not None and vault.complete:
            # a whole vault asks for every note's; a store another vaultlint wrote still has them
            engine.known = store.grammar()
        elif store is not None and store.usable:
            engine.remembered = lambda path: store.grammar([path]).get(path)
        return engine

    return {
        "history": lambda vault: _history(vault, helper, pending),
        "spelling": spelling,
        "grammar": grammar,
    }
