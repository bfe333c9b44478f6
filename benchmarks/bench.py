"""vaultlint's speed benchmark: generate vaults, time every case of issue 8, print a table.

    python benchmarks/bench.py                       # 10,000 notes (about 8 minutes)
    python benchmarks/bench.py --notes 1000 --seed 1
    pip install typos                                # optional: the comparison column

Vaults come from ``../shared/bench/make_vault.py`` (or ``--make-vault PATH``), which also writes
the answer key used for precision and recall. Every figure is wall time of the whole process
on this machine: the cold run and `typos` are medians of ``--rounds`` alternated runs, the
pre-commit case a median of five commits, the others one run; ratios are taken within a run.
Nothing here is asserted: the test suite has no timed assertions.
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


def _median_of(rounds: int) -> str:
    return f" (median of {rounds})" if rounds > 1 else ""


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
    parser.add_argument("--rounds", type=int, default=3, help="cold runs (median reported)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="vaultlint-bench-"))
    vault = work / f"v{args.notes}"
    truth_file = Path(f"{vault}.truth.json")
    if not vault.is_dir():
        subprocess.run(
            [
                sys.executable,
                str(args.make_vault),
                str(vault),
                "--notes",
                str(args.notes),
                "--seed",
                str(args.seed),
            ],
            check=True,
        )
    truth = json.loads(truth_file.read_text())
    rows: list[tuple[str, str, str]] = []
    # An installed package has its bytecode compiled (pip does it); a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module on every run instead.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(HERE.parent / "vaultlint")], check=False
    )
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(HERE.parent / "rules")], check=False
    )

    # 1. cold, no cache: all default rules, alternated with `typos` so that both see the same
    # moments of a machine whose speed drifts; medians, and the ratio of each pair
    # on PATH, or installed beside this Python (a venv that was not activated)
    typos = shutil.which("typos") or shutil.which("typos", path=str(Path(sys.executable).parent))
    colds: list[float] = []
    peaks: list[float] = []
    typos_times: list[float] = []
    for _ in range(args.rounds):
        shutil.rmtree(vault / ".vaultlint", ignore_errors=True)
        elapsed, peak, out = measure(
            vaultlint("check", str(vault), "--no-cache", "--output-format", "json", "--exit-zero")
        )
        colds.append(elapsed)
        peaks.append(peak)
        if typos:
            typos_times.append(measure([typos, "--format", "brief", str(vault)])[0])
    items = json.loads(out)
    cold = statistics.median(colds)
    spread = f"{min(colds):.2f}-{max(colds):.2f} s, " if len(colds) > 1 else ""
    rows.append(
        (
            f"cold, all default rules (no cache){_median_of(args.rounds)}",
            f"{cold:.2f} s",
            f"{spread}peak {max(peaks):.0f} MiB",
        )
    )
    if typos_times:
        ratios = sorted(c / t for c, t in zip(colds, typos_times, strict=True))
        typos_time = statistics.median(typos_times)
        pairs = f" (pairs: {ratios[0]:.2f}-{ratios[-1]:.2f})" if len(ratios) > 1 else ""
        rows.append(
            (
                f"`typos` on the same vault{_median_of(args.rounds)}",
                f"{typos_time:.2f} s",
                f"ratio vaultlint/typos = {statistics.median(ratios):.2f}{pairs}",
            )
        )

    # 2. warm: first run fills the cache, the second answers from it
    measure(vaultlint("check", str(vault), "-q"))
    warm, warm_peak, _ = measure(vaultlint("check", str(vault), "-q"))
    rows.append(("warm, nothing changed", f"{warm:.2f} s", f"peak {warm_peak:.0f} MiB"))
    edited = sorted(vault.rglob("*.md"))[1]
    original = edited.read_bytes()
    edited.write_bytes(original + b"\nOne more line.\n")
    one, one_peak, _ = measure(vaultlint("check", str(vault), "-q"))
    edited.write_bytes(original)
    rows.append(
        (
            "one note edited, caches warm (one note parsed for facts, every note re-checked)",
            f"{one:.2f} s",
            f"peak {one_peak:.0f} MiB",
        )
    )

    # 3. typo rule alone: words per second, cold and with the dictionary cache
    words = truth["stats"].get("words") or truth["stats"].get("total_words") or 0
    shutil.rmtree(vault / ".vaultlint", ignore_errors=True)
    typo_cold, _, _ = measure(
        vaultlint("check", str(vault), "--select", "typo", "-q", "--no-cache")
    )
    measure(vaultlint("check", str(vault), "--select", "typo", "-q"))
    some_note = next(p for p in sorted(vault.rglob("*.md")))
    some_note.touch()  # the report is stale, the dictionary answers are not
    typo_warm, _, _ = measure(vaultlint("check", str(vault), "--select", "typo", "-q"))
    if words:
        rows.append(
            ("typo rule alone, cold", f"{typo_cold:.2f} s", f"{words / typo_cold:,.0f} words/s")
        )
        rows.append(
            (
                "typo rule alone, caches warm (one note touched)",
                f"{typo_warm:.2f} s",
                f"{words / typo_warm:,.0f} words/s",
            )
        )

    # 4. pre-commit: 3 staged notes changed in a git repo, warm cache
    repo = work / "repo"
    if repo.is_symlink():
        repo.unlink()
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(vault, repo, ignore=shutil.ignore_patterns(".vaultlint"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "vault")
    measure(vaultlint("check", str(repo), "-q"))
    changed = [p for p in sorted(repo.rglob("*.md")) if ".git" not in p.parts][:3]
    rel = [str(p.relative_to(repo)) for p in changed]
    # five commits in a row, each after a new edit of the same 3 notes (a single timing on
    # a shared machine says little): the median is the figure, the fastest is shown too
    times = []
    for attempt in range(1, 6):
        for path in changed:
            path.write_text(
                path.read_text(encoding="utf-8")
                + f"\nOne more line with [[Nowhere at all]], edit {attempt}.\n",
                encoding="utf-8",
            )
        git(repo, "add", *rel)
        took, _, staged_out = measure(
            vaultlint("check", "--staged", "--output-format", "json", "--exit-zero", *rel),
            cwd=repo,
        )
        times.append(took)
    _, _, full_out = measure(
        vaultlint("check", str(repo), "--no-cache", "--output-format", "json", "--exit-zero")
    )
    mine = sorted((d["path"], d["line"], d["column"], d["code"]) for d in json.loads(staged_out))
    theirs = sorted(
        (d["path"], d["line"], d["column"], d["code"])
        for d in json.loads(full_out)
        if d["path"] in rel
    )
    rows.append(
        (
            "pre-commit: 3 staged notes, just edited (median of 5 commits)",
            f"{sorted(times)[2]:.2f} s",
            f"first {times[0]:.2f} s (new word forms: Hunspell loaded), fastest "
            f"{min(times):.2f} s; same diagnostics as a full run: {mine == theirs}",
        )
    )

    # 5. a note renamed: the notes linking to it are re-checked
    target = changed[0]
    renamed = target.with_name("Renamed " + target.name)
    git(repo, "mv", str(target.relative_to(repo)), str(renamed.relative_to(repo)))
    rename_time, _, _ = measure(vaultlint("check", "--staged", "-q"), cwd=repo)
    rows.append(
        (
            "a note renamed (--staged, finds its backlinks)",
            f"{rename_time:.2f} s",
            "only the renamed note and its backlinks are parsed",
        )
    )

    for name, verdict in correctness(items, truth).items():
        rows.append((f"correctness: {name}", verdict, ""))

    print(
        f"\nvaultlint benchmark, {date.today().isoformat()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {args.notes} notes "
        f"({truth['stats'].get('bytes', 0) / 1e6:.0f} MB, {words:,} words)\n"
    )
    print("| case | time | notes |")
    print("|---|---|---|")
    for case, value, note in rows:
        print(f"| {case} | {value} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
