"""Report seedling tags that went stale: neglected notes, and grown notes still wearing them.

## What it does
Watches tags such as ``#Afairepousser`` ("à faire pousser": a note still to grow), inline or in
the frontmatter ``tags:``, case-insensitively (``#tag/sub`` counts for ``tag``), and reports:

- **neglected**: the note has not changed for longer than the tag's ``max-age``:
  ``#Afairepousser on a note unchanged for 412 days (since 2025-10-10)``;
- **outgrown**: the note also carries a tag that says it has grown (``graduated-tags``):
  the watched tag now contradicts it;
- **to migrate**: with ``migrate`` configured, an inline watched tag that should become
  frontmatter tags.

When a note last changed comes from the author date of the last commit that changed it (one
``git log`` pass for the vault; a pure rename is not a change; uncommitted edits count as
now), then a frontmatter date, then the file's modification time; JSON output says which
(``data.date_source``). In a shallow clone the ages are unknown: vaultlint says so once and
reports no neglected note rather than wrong ages.

## Why it matters
A garden's seedlings are promises. A tag that never moves is a list nobody works through; a tag
left on a finished note sends readers to the wrong notes.

## Example
``coopération.md:36:1: VL301 [stale-tag] #Afairepousser on a note unchanged for 412 days (since 2025-10-10)``.

## Fix safety
With ``migrate`` (e.g. ``Afairepousser: [wip, to_update]``) the fix is safe: it adds the mapped
tags to the frontmatter ``tags:`` list (creating it if needed, no duplicates) and removes the
watched tag, inline and from the list, and the ``---`` rule a closing inline tag sat under when
nothing follows it. For an outgrown note the fix removes the watched tag; it is unsafe (the
author decides whether the note is done). Every fix is re-parsed and checked before it is
offered. No fix is offered when a watched inline tag sits inside a comment (``%% %%``,
``<!-- -->``), a link, code or a paragraph holding HTML (``<pre>``, ``<span>``): removing it there
could delete other text. A tag in an Obsidian comment still counts (Obsidian indexes comments,
spec §4.1 T15 [unverified]): the problem is reported, the author edits the comment. A note
without a final newline keeps none.

## Options
- ``tags``: watched tag → max age (``90d``, ``6w``, ``6m``, ``1y``); default ``{Afairepousser: 180d}``.
- ``graduated-tags``: tags that mean the note has grown (default none), e.g. ``[v1, updated, evergreen]``.
- ``date-source``: order among ``git``, ``frontmatter``, ``mtime`` (default all three, in that order).
- ``date-keys``: frontmatter keys holding a date (default ``updated, modified, last_modified_at, date``).
- ``migrate``: watched tag → frontmatter tags that replace it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import yaml

from vaultlint.edit.tagedit import remove_inline_tags
from vaultlint.edit.yamledit import EditRefused, add_list_items, remove_list_items, verified
from vaultlint.engine.rule import (
    Fix,
    FixAvailability,
    OptionError,
    RuleMeta,
    RuleOptions,
    Safety,
    Severity,
    Violation,
)
from vaultlint.model.note import Note, Span, Tag, TagSource
from vaultlint.parse.frontmatter import tag_values
from vaultlint.parse.scanner import _TAG
from vaultlint.vault.history import Change, History
from vaultlint.vault.view import Vault

META = RuleMeta(
    code="VL301",
    name="stale-tag",
    summary="A watched tag (#Afairepousser) on a neglected note, or on a note that has grown",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    needs=frozenset({"history"}),
    needs_valid_frontmatter=True,
)
_AGE = re.compile(r"(\d+)\s*([dwmy])")
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_age(text: str) -> int:
    match = _AGE.fullmatch(str(text).strip().lower())
    if match is None:
        raise ValueError(f"max age {text!r} is not like 90d, 6w, 6m or 1y")
    return int(match.group(1)) * _UNIT_DAYS[match.group(2)]


@dataclass(frozen=True)
class Options(RuleOptions):
    tags: Mapping[str, str] = field(default_factory=lambda: {"Afairepousser": "180d"})
    graduated_tags: tuple[str, ...] = ()
    date_source: tuple[str, ...] = ("git", "frontmatter", "mtime")
    date_keys: tuple[str, ...] = ("updated", "modified", "last_modified_at", "date")
    migrate: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for age in self.tags.values():
            parse_age(age)
        for source in self.date_source:
            if source not in ("git", "frontmatter", "mtime"):
                raise ValueError(f"date-source: {source!r} is not git, frontmatter or mtime")
        for watched, targets in self.migrate.items():
            for target in targets:
                problem = _bad_target(str(watched), target)
                if problem:
                    raise OptionError("migrate", f"{watched}: {target!r} {problem}")


# What the scanner reads as a tag: anything else written as a target would be no tag at all.
_TAG_NAME = re.compile(_TAG.pattern[1:])


def _bad_target(watched: str, target: str) -> str | None:
    """Why ``target`` cannot replace the watched tag (None: it can)."""
    if not _TAG_NAME.fullmatch(target) or target.isdigit():
        return "is not a tag name (no #, spaces or punctuation; not only digits)"
    if carries(Tag(target, Span(0, 0), TagSource.FRONTMATTER), watched):
        return "is the watched tag itself: the note would stay watched"
    return None


def carries(tag: Tag, watched: str) -> bool:
    name, want = tag.folded.lstrip("#"), watched.casefold()
    return name == want or name.startswith(want + "/")


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return None


def last_change(note: Note, history: History, options: Options) -> Change | None:
    for source in options.date_source:
        if source == "git" and history.in_git and not history.shallow:
            change = history.git_change(note.path)
            if change is not None:
                return change
        elif source == "frontmatter":
            for key in options.date_keys:
                when = _as_datetime(note.data.get(key))
                if when is not None:
                    return Change(when, f"frontmatter:{key}")
        elif source == "mtime":
            change = history.mtime(note.path)
            if change is not None:
                return change
    return None


def _fix(note: Note, watched: str, add: tuple[str, ...], title: str, safety: Safety) -> Fix | None:
    inline = [t for t in note.tags if t.source is TagSource.INLINE and carries(t, watched)]
    present = {t.casefold() for t in tag_values(note.data.get("tags"))}

    def unwanted(item: str) -> bool:
        name = item.lstrip("#").casefold()
        return name == watched.casefold() or name.startswith(watched.casefold() + "/")

    new = [t for t in dict.fromkeys(add) if t.casefold() not in present]
    try:
        edits = remove_list_items(note, "tags", unwanted) + add_list_items(note, "tags", new)

        def expect(old: dict[str, Any]) -> dict[str, Any]:
            if not new and "tags" not in old:
                return old
            kept = [v for v in (old.get("tags") or []) if not (isinstance(v, str) and unwanted(v))]
            return {**old, "tags": kept + new}

        return verified(
            note, edits, expect, title, safety, body_edits=remove_inline_tags(note, inline)
        )
    except (EditRefused, ValueError, yaml.YAMLError):
        return None


def check(note: Note, vault: Vault, options: Options) -> Iterator[Violation]:
    history: History | None = None  # asked for only by a note with a watched tag: the run
    # keeps the findings of the others whatever the date and the commits
    graduated = [t for t in note.tags if any(carries(t, g) for g in options.graduated_tags)]
    data: dict[str, Any]
    for watched, max_age in options.tags.items():
        found = [t for t in note.tags if carries(t, watched)]
        if not found:
            continue
        first = found[0]
        label = f"#{first.name}"
        mapped = tuple(options.migrate.get(watched, ()))
        if graduated:
            fix = _fix(note, watched, (), f"Remove {label}", Safety.UNSAFE)
            data = {"kind": "outgrown", "tag": watched, "graduated": graduated[0].name}
            yield Violation(
                first.span,
                f'{label} on a note already tagged "{graduated[0].name}": it has grown',
                fix,
                data=data,
            )
            continue
        inline = any(t.source is TagSource.INLINE for t in found)
        fix = (
            _fix(note, watched, mapped, f"Replace {label} with tags {list(mapped)}", Safety.SAFE)
            if mapped and inline
            else None
        )
        if history is None:
            history = vault.service("history")
        change = last_change(note, history, options) if history is not None else None
        if change is not None:
            # calendar days, as the date shown says: the same all day long
            age = (history.now.date() - change.when.date()).days if history is not None else 0
            if age > parse_age(max_age):
                since = change.when.date().isoformat()
                data = {
                    "kind": "neglected",
                    "tag": watched,
                    "age_days": age,
                    "since": since,
                    "date_source": change.source,
                }
                yield Violation(
                    first.span,
                    f"{label} on a note unchanged for {age} days (since {since})",
                    fix,
                    data=data,
                )
                continue
        if fix is not None:
            data = {"kind": "migrate", "tag": watched, "to": list(mapped)}
            yield Violation(
                first.span,
                f"inline {label}: migrate it to frontmatter tags {list(mapped)}",
                fix,
                data=data,
            )
