"""Defaults that fit the vault: rules whose worth depends on how the vault is written and
published are on or off by default for a reason this module states.

``missing-title``: Obsidian gives ``title:`` no meaning (spec §5.2), so the rule is on by
default only when the vault uses titles (at least a third of its notes have one) or a
publisher that needs them was found (a Jekyll or Hugo site shows an untitled page without
one; Quartz, MkDocs and Obsidian Publish fall back to the file name). A rule named in the
config (``select``, ``extend-select``, ``ignore``, or its own settings) is never changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vaultlint.vault.setup import Setup
from vaultlint.vault.summary import NoteSummary

TITLE_SHARE = 1 / 3  # "the vault uses titles": at least this share of its notes have one
MISSING_TITLE = "VL201"


@dataclass(frozen=True, slots=True)
class Fitted:
    """A rule's default for this vault, and why."""

    code: str
    name: str
    on: bool
    reason: str  # "212 of 302 notes have a title"

    def sentence(self) -> str:
        return f"{self.name} {'on' if self.on else 'off'}: {self.reason}"


def count_titles(summaries: Iterable[NoteSummary]) -> tuple[int, int]:
    """(notes with a non-empty title, readable notes)."""
    titled = readable = 0
    for summary in summaries:
        if summary.readable:
            readable += 1
            titled += summary.title is not None
    return titled, readable


def fitted_defaults(titled: int, notes: int, setup: Setup) -> dict[str, Fitted]:
    publisher = setup.publisher
    share = f"{titled} of {notes} note{'s' * (notes != 1)} have a title"
    if publisher is not None and publisher.needs_titles:
        reason = f"the {publisher.name} site ({publisher.evidence}) takes page titles from title:"
        reason += f"; {share}"
        on = True
    elif notes and titled >= TITLE_SHARE * notes:
        reason, on = share, True
    else:
        reason = f"only {share} and no publisher that needs one was found" if notes else share
        on = False
    return {MISSING_TITLE: Fitted(MISSING_TITLE, "missing-title", on, reason)}
