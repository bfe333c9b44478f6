"""What the checks of other notes need to know about a note, without its text.

A link to ``Garden#Soil`` needs the headings of ``Garden.md``, not its 3,000 words; the
``resolve-by: title`` option needs every note's title; a deleted note needs the notes that named
it. A summary is that, in plain data: it crosses process boundaries and is stored in the cache,
so that a run can check a few notes while every other note is known by its summary alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vaultlint.model.note import LinkKind, Note
from vaultlint.parse.frontmatter import string_list
from vaultlint.vault.index import NoteTargets


@dataclass(frozen=True, slots=True)
class NoteSummary:
    headings: tuple[str, ...] = ()
    block_ids: tuple[str, ...] = ()
    readable: bool = True
    title: str | None = None
    aliases: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (target, subpath) of every link with a target
    embeds: tuple[int, ...] = ()  # the positions in ``links`` of the embeds

    def targets(self) -> NoteTargets:
        return NoteTargets(list(self.headings), set(self.block_ids), self.readable)

    def encode(self) -> list[Any]:
        return [
            list(self.headings),
            list(self.block_ids),
            self.readable,
            self.title,
            list(self.aliases),
            [list(pair) for pair in self.links],
            list(self.embeds),
        ]

    @classmethod
    def decode(cls, data: Any) -> NoteSummary:
        """The summary ``encode`` wrote; ValueError for anything else."""
        try:
            headings, blocks, readable, title, aliases, links, embeds = data
            summary = cls(
                tuple(str(h) for h in headings),
                tuple(str(b) for b in blocks),
                bool(readable),
                title if title is None else str(title),
                tuple(str(a) for a in aliases),
                tuple((str(t), str(s)) for t, s in links),
                tuple(int(i) for i in embeds),
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not a note summary: {exc}") from None
        return summary


def summarize(note: Note) -> NoteSummary:
    if note.read_error is not None:
        return NoteSummary(readable=False)
    data = note.data
    title = data.get("title")
    shown = str(title).strip() if isinstance(title, (str, int, float)) else ""
    linked = [link for link in note.links if link.target]
    return NoteSummary(
        headings=tuple(h.text for h in note.headings),
        block_ids=tuple(b.id for b in note.block_ids),
        title=shown or None,
        aliases=tuple(a.strip() for a in string_list(data.get("aliases"))),
        links=tuple((link.target, link.subpath) for link in linked),
        embeds=tuple(i for i, link in enumerate(linked) if link.kind in _EMBEDS),
    )


_EMBEDS = (LinkKind.EMBED, LinkKind.MARKDOWN_EMBED)
