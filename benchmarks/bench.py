"""vaultlint's speed benchmark: generate vaults, time every case of issues 8 and 19, print a table.

    python benchmarks/bench.py                       # 10,000 notes (about 15 minutes)
    python benchmarks/bench.py --notes 1000 --seed 1
    python benchmarks/bench.py --python old/.venv/bin/python --python .venv/bin/python
    pip install typos                                # optional: the comparison column

Vaults come from ``../shared/bench/make_vault.py`` (or ``--make-vault PATH``), which also writes
the answer key used for precision and recall. Every figure is wall time of the whole process
on this machine, the median of ``--rounds`` runs (the pre-commit case: of five commits); with
several ``--python`` (each an interpreter with a vaultlint installed), every case runs for each
version in turn, on a copy of the vault of its own, so that all versions see the same moments
of a machine whose speed drifts. Ratios are taken within a run. Nothing here is asserted: the
test suite has no timed assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_MAKER = HERE.parent.parent / "shared" / "bench" / "make_vault.py"
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)\n"
    "elapsed = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "sys.stderr.write(f'{elapsed:.3f} {peak:.1f} {done.returncode}\\n')\n"
    "sys.stdout.buffer.write(done.stdout)\n"
)


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, float, bytes]:
    """Wall seconds, peak MiB and stdout of ``command`` run in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, check=False
    )
    elapsed, peak, _ = done.stderr.decode().split()
    return float(elapsed), float(peak), done.stdout


def vaultlint(*args: str) -> list[str]:
    return [sys.executable, "-m", "vaultlint.cli.main", *args]


def git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@b",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@b",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def precision_recall(found: set[Any], truth: set[Any]) -> str:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return f"P={precision:.2f} R={recall:.2f} ({hits}/{len(truth)})"


def correctness(items: list[dict[str, Any]], truth: dict[str, Any]) -> dict[str, str]:
    links = {
        (d["path"], d["line"], d["column"])
        for d in items
        if d["rule"] in ("broken-wikilink", "broken-embed")
    }
    headings = {
        (d["path"], d["line"], d["column"]) for d in items if d["rule"] == "broken-heading-link"
    }
    titles = {d["path"] for d in items if d["rule"] == "missing-title"}
    want_links = {
        (b["file"], b["line"], b["col"])
        for b in truth["broken_links"]
        if b["kind"] != "missing_heading"
    }
    want_headings = {
        (b["file"], b["line"], b["col"])
        for b in truth["broken_links"]
        if b["kind"] == "missing_heading"
    }
    want_titles = {t["file"] for t in truth["missing_titles"]}
    return {
        "broken links": precision_recall(links, want_links),
        "broken headings": precision_recall(headings, want_headings),
        "missing titles": precision_recall(titles, want_titles),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--make-vault", type=Path, default=DEFAULT_MAKER)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each case (median)")
    parser.add_argument(
        "--heavy-rounds",
        type=int,
        default=None,
        help="runs of the cases that check the whole vault again (default: --rounds)",
    )
    parser.add_argument(
        "--python",
        action="append",
        type=Path,
        help="a Python with the vaultlint to measure (repeat to compare versions)",
    )
    parser.add_argument(
        "--cases",
        default="",
        help="only the cases whose names hold one of these comma-separated words "
        "(cold, warm, edited, typo, clone, renamed, deleted, paths, staged)",
    )
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="vaultlint-bench-"))
    generated = work / f"v{args.notes}"
    truth_file = Path(f"{generated}.truth.json")
    if not generated.is_dir():
        subprocess.run(
            [
                sys.executable,
                str(args.make_vault),
                str(generated),
                "--notes",
                str(args.notes),
                "--seed",
                str(args.seed),
            ],
            check=True,
        )
    truth = json.loads(truth_file.read_text())
    words = truth["stats"].get("words") or truth["stats"].get("total_words") or 0
    # An installed package has its bytecode compiled (pip does it); a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module on every run instead.
    for folder in ("vaultlint", "rules"):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / folder)])
    pythons = [str(p) for p in args.python] if args.python else [sys.executable]
    versions = [Version(work, i, python, generated) for i, python in enumerate(pythons)]
    table = Table(versions, args.rounds, [w for w in args.cases.split(",") if w])
    heavy = args.heavy_rounds or args.rounds
    typos = shutil.which("typos") or shutil.which("typos", path=str(Path(sys.executable).parent))

    # 1. cold, no cache: all default rules, alternated with `typos`
    typos_times: list[float] = []

    def cold(v: Version) -> Run:
        shutil.rmtree(v.vault / ".vaultlint", ignore_errors=True)
        run = v.measure(
            "check", str(v.vault), "--no-cache", "--output-format", "json", "--exit-zero"
        )
        v.cold_out = run.out
        if typos and v is versions[0]:
            typos_times.append(measure([typos, "--format", "brief", str(v.vault)])[0])
        return run

    table.case("cold", "cold, all default rules, no cache", cold, peak=True, rounds=heavy)
    if typos_times:
        table.note(f"`typos` on the same vault: {statistics.median(typos_times):.2f} s (median)")

    # 2. warm: the first run fills the caches, the others answer from them
    for v in versions:
        if table.wanted("warm", "edited", "typo"):
            v.measure("check", str(v.vault), "-q")
    table.case("warm", "warm, nothing changed", lambda v: v.measure("check", str(v.vault), "-q"))

    # 3. one note edited, then the whole vault (a new edit each round, undone after it)
    def edited(v: Version) -> Run:
        note = v.notes()[1 + table.round]
        original = note.read_bytes()
        note.write_bytes(original + f"\nOne more line, edit {table.round}.\n".encode())
        try:
            return v.measure("check", str(v.vault), "-q")
        finally:
            note.write_bytes(original)
            v.measure("check", str(v.vault), "-q")  # the caches know the note again

    table.case("edited", "one note edited, whole vault", edited, peak=True, rounds=heavy)

    # 4. typo rule alone: words per second, cold and with the dictionary cache
    def typo_cold(v: Version) -> Run:
        shutil.rmtree(v.vault / ".vaultlint", ignore_errors=True)
        return v.measure("check", str(v.vault), "--select", "typo", "-q", "--no-cache")

    def typo_warm(v: Version) -> Run:
        v.measure("check", str(v.vault), "--select", "typo", "-q")
        v.notes()[0].write_bytes(v.notes()[0].read_bytes() + b" ")  # the report is stale
        return v.measure("check", str(v.vault), "--select", "typo", "-q")

    table.case("typo", "typo rule alone, cold", typo_cold, rate=words, rounds=1)
    table.case("typo", "typo rule alone, warm (one note edited)", typo_warm, rate=words, rounds=1)

    # 5. the rest runs in a git repository (stale-tag dates notes by their commits there)
    for v in versions:
        if table.wanted("clone", "renamed", "deleted", "paths", "staged"):
            v.make_repo()

    def clone(v: Version) -> Run:
        """What a CI job does: a fresh clone (every file new), ``.vaultlint/`` restored."""
        shutil.rmtree(v.clone, ignore_errors=True)
        git(v.work, "clone", "-q", str(v.repo), str(v.clone))
        shutil.copytree(v.repo / ".vaultlint", v.clone / ".vaultlint")
        run = v.measure("check", str(v.clone), "--output-format", "json", "--exit-zero")
        v.clone_out = run.out
        return run

    table.case("clone", "fresh clone, `.vaultlint/` restored, contents unchanged", clone)
    for v in versions if table.wanted("clone") else []:
        fresh = v.measure(
            "check", str(v.clone), "--no-cache", "--output-format", "json", "--exit-zero"
        )
        table.note(
            f"{v.label}: fresh clone's diagnostics equal a --no-cache run's: {fresh.out == v.clone_out}"
        )

    def renamed(v: Version) -> Run:
        note = v.linked_note()
        moved = note.with_name(f"Renamed {table.round} {note.name}")
        note.rename(moved)
        try:
            return v.measure("check", str(v.repo), "-q")
        finally:
            moved.rename(note)
            v.measure("check", str(v.repo), "-q")

    def deleted(v: Version) -> Run:
        note = v.linked_note()
        data = note.read_bytes()
        note.unlink()
        try:
            return v.measure("check", str(v.repo), "-q")
        finally:
            note.write_bytes(data)
            v.measure("check", str(v.repo), "-q")

    table.case("renamed", "a note renamed, whole vault", renamed, rounds=heavy)
    table.case("deleted", "a note deleted, whole vault", deleted, rounds=heavy)

    def three_paths(v: Version) -> Run:
        changed = v.repo_notes()[:3]
        for path in changed:
            path.write_bytes(path.read_bytes() + f"\nMore [[Nowhere]], {table.round}.\n".encode())
        return v.measure("check", *map(str, changed), "-q")

    table.case("paths", "`vaultlint check` of 3 paths (just edited)", three_paths)

    # 6. pre-commit: 3 staged notes, each commit after a new edit of the same notes; the first
    # brings new word forms (Hunspell loaded): the median of five is the figure
    def staged(v: Version) -> Run:
        changed = v.repo_notes()[3:6]
        rel = [str(p.relative_to(v.repo)) for p in changed]
        for path in changed:
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text + f"\nA line with [[Nowhere at all]], {table.round}.\n", encoding="utf-8"
            )
        git(v.repo, "add", *rel)
        run = v.measure(
            "check", "--staged", "--output-format", "json", "--exit-zero", *rel, cwd=v.repo
        )
        git(v.repo, "commit", "-qm", f"edit {table.round}")
        return run

    table.case("staged", "pre-commit: 3 staged notes, just edited", staged, rounds=5)

    def staged_rename(v: Version) -> Run:
        rel = v.repo_notes()[6].relative_to(v.repo)
        moved = rel.with_name(f"Renamed {rel.name}")
        git(v.repo, "mv", str(rel), str(moved))
        try:
            return v.measure("check", "--staged", "-q", cwd=v.repo)
        finally:
            git(v.repo, "mv", str(moved), str(rel))

    table.case("staged", "a note renamed, staged (pre-commit: finds its backlinks)", staged_rename)

    items = json.loads(versions[-1].cold_out or b"[]")
    for name, verdict in correctness(items, truth).items() if items else []:
        table.note(f"correctness ({versions[-1].label}): {name} {verdict}")

    print(
        f"\nvaultlint benchmark, {date.today().isoformat()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {args.notes} notes "
        f"({truth['stats'].get('bytes', 0) / 1e6:.0f} MB, {words:,} words), "
        f"median of {args.rounds} unless said\n"
    )
    table.print()
    return 0


@dataclass
class Run:
    seconds: float
    peak: float
    out: bytes


class Version:
    """One vaultlint to measure, with copies of the vault of its own (caches differ)."""

    def __init__(self, work: Path, index: int, python: str, generated: Path) -> None:
        self.work = work
        self.python = python
        self.label = _label(python, work)
        self.vault = work / f"{generated.name}-{index}"
        self.repo = work / f"repo-{index}"
        self.clone = work / f"clone-{index}"
        self.cold_out = self.clone_out = b""
        shutil.rmtree(self.vault, ignore_errors=True)
        shutil.copytree(generated, self.vault, ignore=shutil.ignore_patterns(".vaultlint"))

    def measure(self, *args: str, cwd: Path | None = None) -> Run:
        # never in a folder holding a ``vaultlint`` package: ``-m`` would import that one
        seconds, peak, out = measure(
            [self.python, "-m", "vaultlint.cli.main", *args], cwd or self.work
        )
        return Run(seconds, peak, out)

    def notes(self) -> list[Path]:
        return sorted(self.vault.rglob("*.md"))

    def make_repo(self) -> None:
        shutil.rmtree(self.repo, ignore_errors=True)
        shutil.copytree(self.vault, self.repo, ignore=shutil.ignore_patterns(".vaultlint"))
        git(self.repo, "init", "-q")
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "-qm", "vault")
        self.measure("check", str(self.repo), "-q")  # fills the caches

    def repo_notes(self) -> list[Path]:
        return [p for p in sorted(self.repo.rglob("*.md")) if ".git" not in p.parts]

    def linked_note(self) -> Path:
        """A note other notes link to: the most linked of the first hundred."""
        names = [p for p in self.repo_notes()[:100]]
        text = " ".join(p.read_text(encoding="utf-8") for p in self.repo_notes()[100:400])
        return max(names, key=lambda p: text.count(f"[[{p.stem}"))


def _label(python: str, work: Path) -> str:
    """The version's name: the commit of the checkout it runs, else its interpreter."""
    done = subprocess.run(
        [
            python,
            "-c",
            "import vaultlint, pathlib; print(pathlib.Path(vaultlint.__file__).parent.parent)",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=work,
    )
    folder = done.stdout.strip()
    if not folder:
        return python
    commit = subprocess.run(
        ["git", "-C", folder, "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return commit or folder or python


class Table:
    """Cases measured for every version in alternation, each the median of its rounds."""

    def __init__(self, versions: list[Version], rounds: int, only: list[str]) -> None:
        self.versions = versions
        self.only = only
        self.rounds = rounds
        self.round = 0
        self.rows: list[list[str]] = []
        self.notes: list[str] = []

    def case(
        self,
        key: str,
        name: str,
        step: Callable[[Version], Run],
        peak: bool = False,
        rate: int = 0,
        rounds: int | None = None,
    ) -> None:
        if not self.wanted(key):
            return
        runs: list[list[Run]] = [[] for _ in self.versions]
        count = rounds or self.rounds
        for self.round in range(count):
            for i, v in enumerate(self.versions):
                runs[i].append(step(v))
        cells = []
        for i, _ in enumerate(self.versions):
            times = sorted(r.seconds for r in runs[i])
            cell = f"{statistics.median(times):.2f} s"
            if len(times) > 1:
                cell += f" ({times[0]:.2f}-{times[-1]:.2f})"
            if peak:
                cell += f", peak {max(r.peak for r in runs[i]):.0f} MiB"
            if rate:
                cell += f", {rate / statistics.median(times):,.0f} words/s"
            cells.append(cell)
        suffix = f" (median of {count})" if count != self.rounds else ""
        if count == 1:
            suffix = " (one run)"
        self.rows.append([name + suffix, *cells])
        print(f"{name}: {' | '.join(cells)}", file=sys.stderr, flush=True)

    def wanted(self, *words: str) -> bool:
        return not self.only or any(w in self.only for w in words)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(text, file=sys.stderr, flush=True)

    def print(self) -> None:
        print("| case | " + " | ".join(v.label for v in self.versions) + " |")
        print("|---|" + "---|" * len(self.versions))
        for row in self.rows:
            print("| " + " | ".join(row) + " |")
        print()
        for text in self.notes:
            print(f"- {text}")


if __name__ == "__main__":
    sys.exit(main())
