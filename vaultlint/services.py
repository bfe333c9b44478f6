"""Vault services: facts the engine gathers (with I/O) for rules that ask for them in META.needs."""

from __future__ import annotations

from .engine import ServiceFactory


def default_services() -> dict[str, ServiceFactory]:
    return {}
