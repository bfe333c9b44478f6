"""The caches never change an answer: random sequences of edits, renames, deletions, additions,
touches (also edits that keep mtime and size, as ``touch -r``) and config changes on a small
vault; after each step a run with every cache gives the same exit code and JSON as a run
without any (whole vault, and a few notes named on the command line).

Each step also picks how the notes are read and checked (one process, workers forked per
step, or a team of workers), with the thresholds lowered so that a few notes use them, as
``runmodes.py`` does. A seeded loop with a bounded number of steps: ``VAULTLINT_CACHE_STEPS``
for more, ``VAULTLINT_CACHE_SEED`` to replay a failure (the message names seed and step).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

import vaultlint.run.executors
import vaultlint.run.parallel
from conftest import run, write_vault
from vaultlint.run.parallel import can_fork

STEPS = int(os.environ.get("VAULTLINT_CACHE_STEPS", "14"))
SEED = int(os.environ.get("VAULTLINT_CACHE_SEED", "1907"))
NAMES = ["Garden", "Soil", "Seeds", "Compost", "Notes/Water", "Notes/Sun", "Tools"]
HEADINGS = ["Top", "Compost", "Care"]
WORDS = [
    "le jardin pousse",
    "le jardinn pousse",
    "des graines",
    "the garden grows",
    "teh soil",
    "voici l'arbra-vert",  # judged by its parts' parts: "arbra", next to "arbre"
    "un arbre",
]
TITLES = "rules:\n" + "".join(
    f"  {rule}:\n    resolve-by: jekyll-garden\n"
    for rule in ("broken-wikilink", "broken-heading-link")
)
CONFIGS = [
    "",
    "ignore: [broken-wikilink]\n",
    "rules:\n  typo:\n    language: fr\n",
    "rules:\n  typo:\n    min-notes: 1\n",
    "ignore: [typo]\n",
    "exclude: ['Notes/**']\n",
    # links to titles: a #heading looked up in the note titled so (without typo, which
    # leaves an unreadable note's findings unkept, too)
    TITLES,
    "ignore: [typo]\n" + TITLES,
]


def note_text(rng: random.Random) -> str:
    """A note with links (to notes that exist or not, headings, blocks), words, a tag."""
    lines = ["---", f"title: T{rng.randrange(100)}", "---"]
    for _ in range(rng.randrange(1, 5)):
        kind = rng.randrange(6)
        target = rng.choice([*NAMES, "Gone"])
        if kind == 0:
            lines.append(f"See [[{target}]].")
        elif kind == 1:
            lines.append(f"See [[{target}#{rng.choice(HEADINGS)}]].")
        elif kind == 2:
            lines.append(f"## {rng.choice(HEADINGS)}")
        elif kind == 3:
            lines.append(f"Quote ^b{rng.randrange(3)} and [[{target}#^b{rng.randrange(3)}]].")
        elif kind == 4:
            lines.append(f"{rng.choice(WORDS)}.")
        else:
            lines.append("To do #Afairepousser")
    return "\n".join(lines) + "\n"


def text_of(note: Path) -> str | None:
    """The note's text, None for a note made unreadable (``World.unreadable``)."""
    try:
        return note.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


class World:
    """The vault under test and the random steps that change it."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng

    def notes(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*.md") if ".vaultlint" not in p.parts)

    def pick(self) -> Path | None:
        notes = self.notes()
        return self.rng.choice(notes) if notes else None

    def edit(self) -> str:
        note = self.pick()
        if note is None:
            return self.add()
        note.write_text(note_text(self.rng), encoding="utf-8")
        return f"edit {note.name}"

    def same_stat_edit(self) -> str:
        """A new text of the same size, the old mtime put back (``touch -r``, ``cp -p``)."""
        note = self.pick()
        if note is None:
            return self.add()
        before = note.stat()
        text = text_of(note)
        if text is None:  # made unreadable: written anew
            return self.edit()
        swapped = text.replace("Top", "Tip") if "Top" in text else text.replace("T", "X", 1)
        note.write_text(swapped, encoding="utf-8")
        os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
        return f"same-stat edit {note.name}"

    def rename(self) -> str:
        note = self.pick()
        if note is None:
            return self.add()
        free = [n for n in NAMES if not (self.root / f"{n}.md").exists()]
        if not free:
            return self.delete()
        new = self.root / f"{self.rng.choice(free)}.md"
        new.parent.mkdir(parents=True, exist_ok=True)
        note.rename(new)
        return f"rename {note.name} -> {new.name}"

    def delete(self) -> str:
        note = self.pick()
        if note is None or len(self.notes()) < 3:
            return self.add()
        note.unlink()
        return f"delete {note.name}"

    def add(self) -> str:
        free = [n for n in NAMES if not (self.root / f"{n}.md").exists()]
        if not free:
            return self.edit()
        new = self.root / f"{self.rng.choice(free)}.md"
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_text(note_text(self.rng), encoding="utf-8")
        return f"add {new.name}"

    def touch(self) -> str:
        """A new mtime, or an old one (stale-tag dates notes outside git by their mtime)."""
        when = self.rng.choice([None, (1_500_000_000, 1_500_000_000)])
        for note in self.rng.sample(self.notes(), k=min(2, len(self.notes()))):
            os.utime(note, when)
        return f"touch {when}"

    def title_link(self) -> str:
        """A note titled like a link of another note to one of its headings (``resolve-by``
        reaches it by its title)."""
        notes = self.notes()
        if len(notes) < 2:
            return self.add()
        titled, linking = self.rng.sample(notes, k=2)
        name = f"Idea {self.rng.randrange(2)}"
        text = text_of(titled)
        if text is None or not text.startswith("---\n"):
            return self.edit()
        lines = text.split("\n")
        lines[1] = f"title: {name}"  # every note this test writes starts with its title
        titled.write_text(
            "\n".join(lines) + f"\n## {self.rng.choice(HEADINGS)}\n", encoding="utf-8"
        )
        with linking.open("a", encoding="utf-8") as out:
            out.write(f"See [[{name}#{self.rng.choice(HEADINGS)}]].\n")
        config = self.root / ".vaultlint.yaml"
        if TITLES not in (config.read_text(encoding="utf-8") if config.exists() else ""):
            config.write_text(self.rng.choice(CONFIGS[-2:]), encoding="utf-8")  # links so
        return f"title link {titled.name} <- {linking.name}"

    def unreadable(self) -> str:
        """A note that cannot be read: a byte that is not UTF-8 somewhere, or a NUL."""
        bad = [n for n in self.notes() if text_of(n) is None]
        note = self.rng.choice(bad) if bad and self.rng.random() < 0.5 else self.pick()
        if note is None:
            return self.add()
        lines = [b"ok"] * self.rng.randrange(1, 4)
        note.write_bytes(b"\n".join(lines) + self.rng.choice([b"\n\xff\n", b"\n\x00\n"]))
        return f"unreadable {note.name} ({len(lines)} lines)"

    def config(self) -> str:
        text = self.rng.choice(CONFIGS)
        (self.root / ".vaultlint.yaml").write_text(text, encoding="utf-8")
        return f"config {text!r}"


def answer(*args: str | Path) -> tuple[int, object]:
    result = run("check", *args, "--output-format", "json")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def set_mode(patch: pytest.MonkeyPatch, mode: str) -> None:
    workers = mode in ("map", "team")
    patch.setenv("VAULTLINT_JOBS", "2" if workers else "1")
    for module in (vaultlint.run.executors, vaultlint.run.parallel):
        patch.setattr(module, "MIN_NOTES", 1 if workers else 10**9)
    patch.setattr(vaultlint.run.executors, "TEAM_MIN_NOTES", 1 if mode == "team" else 10**9)


def test_cached_runs_answer_as_runs_without_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(SEED)
    files = {f"{name}.md": note_text(rng) for name in NAMES[:5]}
    world = World(write_vault(tmp_path / "vault", files), rng)
    steps: list[Callable[[], str]] = [
        world.edit,
        world.edit,
        world.same_stat_edit,
        world.same_stat_edit,
        world.rename,
        world.delete,
        world.add,
        world.touch,
        world.config,
        world.title_link,
        world.title_link,
        world.unreadable,
    ]
    modes = ("one", "map", "team") if can_fork() else ("one",)
    history: list[str] = []
    answer(world.root)  # every cache filled
    for step in range(STEPS):
        history.append(rng.choice(steps)())
        mode = rng.choice(modes)
        where = f"seed {SEED}, step {step} ({mode}): {history}"
        with monkeypatch.context() as patch:
            set_mode(patch, mode)
            assert answer(world.root) == answer(world.root, "--no-cache"), where
            assert answer(world.root) == answer(world.root, "--no-cache"), where  # stored
            named = rng.sample(world.notes(), k=min(2, len(world.notes())))
            assert answer(*named) == answer(*named, "--no-cache"), where  # a partial run
