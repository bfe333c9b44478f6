"""``vaultlint mv`` on real vaults: random moves on a copy, then what broke and what changed.

    python benchmarks/mv_corpus.py                       # every vault of ../shared/corpus
    python benchmarks/mv_corpus.py --seed 3 quartz-docs  # some vaults, another draw

Each vault is copied to a temporary folder and committed in a fresh git repository. Ten notes
and five attachments, drawn with the seed (with ``--linked``: among the files links reach), are renamed in place, moved to another folder or
moved to a new one (one ``vaultlint mv`` each). Then: the link problems (VL1xx) that
``vaultlint check --no-cache`` reports after and not before (by note, line and rule, the
notes followed across the moves),
and, for every file git sees as changed, whether anything but link paths changed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
sys.path.insert(0, str(HERE.parent))

from vaultlint.disk.discovery import walk  # noqa: E402
from vaultlint.model.note import Note, SourceText  # noqa: E402
from vaultlint.parse.decode import decode  # noqa: E402
from vaultlint.parse.note import parse_note  # noqa: E402
from vaultlint.vault.index import LinkIndex  # noqa: E402

VAULTLINT = [sys.executable, "-m", "vaultlint.cli.main"]


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, check=True)
    return result.stdout.decode("utf-8", "replace")


def link_problems(root: Path) -> Counter[tuple[str, int, str]]:
    result = subprocess.run(
        [*VAULTLINT, "check", "--no-cache", "--select", "VL1", "--output-format", "json", "."],
        cwd=root,
        capture_output=True,
    )
    # the message names the link as written and the file it reached: both may change
    found: Counter[tuple[str, int, str]] = Counter()
    for item in json.loads(result.stdout or b"[]"):
        found[(item["path"], item["line"], item["code"])] += 1
    return found


def destinations(rng: random.Random, path: str, folders: list[str], i: int) -> str:
    folder, _, name = path.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    how = rng.choice(("rename", "folder", "new-folder"))
    if how == "rename":
        return f"{folder + '/' if folder else ''}{stem} moved{i}{dot}{ext}"
    if how == "folder":
        others = [f for f in folders if f != folder] or [""]
        target = rng.choice(others)
        return f"{target + '/' if target else ''}{name}"
    return f"{folder + '/' if folder else ''}mv-new-{i}/{name}"


def only_links_changed(before: bytes, after: bytes, old: str, new: str) -> bool:
    """Whether two versions of a note differ only in the paths their links are written with
    (line endings and BOM included)."""
    a, b = decode(before), decode(after)
    if not isinstance(a, SourceText) or not isinstance(b, SourceText):
        return before == after
    if (a.bom, a.newline, a.mixed_newlines) != (b.bom, b.newline, b.mixed_newlines):
        return False
    na, nb = parse_note(old, a), parse_note(new, b)
    if len(na.links) != len(nb.links):
        return False

    def outside(note: Note) -> list[str]:
        parts, pos = [], 0
        for link in note.links:
            parts.append(note.text[pos : link.target_span.start])
            pos = link.target_span.end
        parts.append(note.text[pos:])
        return parts

    return outside(na) == outside(nb)


def linked_files(root: Path, notes: list[str], files: list[str]) -> set[str]:
    """The files some link of the vault reaches."""
    index = LinkIndex(files)
    found: set[str] = set()
    for path in notes:
        source = decode((root / path).read_bytes())
        if not isinstance(source, SourceText):
            continue
        for link in parse_note(path, source).links:
            if link.target:
                reached = index.resolve(link.target, path).path
                if reached is not None:
                    found.add(reached)
    return found


def run_vault(name: str, seed: int, work: Path, linked: bool) -> dict[str, object]:
    root = work / name
    shutil.copytree(CORPUS / name / "vault", root, symlinks=True)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "vault")
    before = link_problems(root)
    listing = walk(root)
    rng = random.Random(f"{seed}:{name}")
    pool_notes, pool_attachments = sorted(listing.notes), sorted(listing.attachments)
    if linked:  # only files that links reach: every move has links to follow
        reached = linked_files(root, pool_notes, pool_notes + pool_attachments)
        pool_notes = [p for p in pool_notes if p in reached]
        pool_attachments = [p for p in pool_attachments if p in reached]
    notes = rng.sample(pool_notes, min(10, len(pool_notes)))
    attachments = rng.sample(pool_attachments, min(5, len(pool_attachments)))
    folders = sorted({p.rpartition("/")[0] for p in listing.notes + listing.attachments})
    moved: dict[str, str] = {}  # original path -> where it is now
    failures: list[str] = []
    rewritten = 0
    for i, path in enumerate(notes + attachments):
        new = destinations(rng, path, folders, i)
        if (root / new).exists():
            continue
        result = subprocess.run([*VAULTLINT, "mv", path, new], cwd=root, capture_output=True)
        out = result.stdout.decode()
        if result.returncode != 0:
            failures.append(f"{path} -> {new}: {result.stderr.decode().strip()}")
            continue
        found = re.search(r"rewrote (\d+) link", out)
        rewritten += int(found.group(1)) if found else 0
        moved[path] = new
        for old in list(moved):
            if moved[old] == path:
                moved[old] = new
    after = link_problems(root)
    renamed = {old: new for old, new in moved.items()}
    followed: Counter[tuple[str, int, str]] = Counter()
    for (path, line, code), count in before.items():
        followed[(renamed.get(path, path), line, code)] += count
    new_problems = after - followed
    gone = followed - after
    git(root, "add", "-A")
    status = git(root, "diff", "--cached", "-M50%", "--name-status", "-z").split("\0")
    changed, bad = 0, []
    i = 0
    while i < len(status) and status[i]:
        code = status[i]
        if code[0] == "R":
            old, new = status[i + 1], status[i + 2]
            i += 3
        else:
            old = new = status[i + 1]
            i += 2
        if code[0] not in "RM":
            bad.append(f"{code} {old}")
            continue
        data_old = subprocess.run(
            ["git", "show", f"HEAD:{old}"], cwd=root, capture_output=True, check=True
        ).stdout
        data_new = (root / new).read_bytes()
        if data_old != data_new:
            changed += 1
            if not new.lower().endswith(".md") or not only_links_changed(
                data_old, data_new, old, new
            ):
                bad.append(f"{code} {old} -> {new}")
    return {
        "vault": name,
        "moves": len(moved),
        "refused": failures,
        "links rewritten": rewritten,
        "notes changed": changed,
        "link problems before": sum(before.values()),
        "after": sum(after.values()),
        "new": sorted(new_problems.elements()),
        "gone": sum(gone.values()),
        "changes beyond link paths": bad,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("vaults", nargs="*")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the copies (print where)")
    parser.add_argument("--linked", action="store_true", help="draw only files links reach")
    args = parser.parse_args()
    names = args.vaults or sorted(p.parent.name for p in CORPUS.glob("*/vault"))
    work = Path(tempfile.mkdtemp(prefix="vaultlint-mv-"))
    try:
        for name in names:
            print(
                json.dumps(run_vault(name, args.seed, work, args.linked), ensure_ascii=False),
                flush=True,
            )
    finally:
        if args.keep:
            print(f"copies kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
