"""Vault services: facts the engine gathers (with I/O) for rules that ask for them in META.needs."""

from __future__ import annotations

from .engine import ServiceFactory
from .history import load_history
from .spelling import Speller
from .vault import Vault


def _history(vault: Vault) -> object:
    history = load_history(vault.root, vault.notes)
    messages = vault.services.setdefault("messages", [])
    messages.extend(history.messages)
    return history


def _spelling(vault: Vault) -> object:
    speller = Speller(vault.root)
    if speller.unavailable:
        vault.services.setdefault("messages", []).append(f"typo: {speller.unavailable}")
    return speller


def default_services() -> dict[str, ServiceFactory]:
    return {"history": _history, "spelling": _spelling}
