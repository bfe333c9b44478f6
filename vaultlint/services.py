"""Vault services: facts the engine gathers (with I/O) for rules that ask for them in META.needs."""

from __future__ import annotations

from .engine import ServiceFactory
from .history import load_history
from .vault import Vault


def _history(vault: Vault) -> object:
    history = load_history(vault.root, vault.notes)
    messages = vault.services.setdefault("messages", [])
    messages.extend(history.messages)
    return history


def default_services() -> dict[str, ServiceFactory]:
    return {"history": _history}
