"""The command line: a thin click layer over the run (``vaultlint.run``). Exit codes: 0 clean,
1 problems, 2 usage or config error, 3 internal error."""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vaultlint import __version__
from vaultlint.disk.discovery import (
    find_root,
    is_vault,
    nested_vaults,
)

if TYPE_CHECKING:
    from vaultlint.cache.contents import Contents
    from vaultlint.cache.report import StoredReport
    from vaultlint.disk.discovery import Entry
    from vaultlint.engine.config import Config
    from vaultlint.engine.report import Report
    from vaultlint.engine.rule import Rule
    from vaultlint.run.prefetch import Prefetch

# The modules behind a check are imported where they are used: a command answered from the
# cache (nothing changed) needs none of them, so the output formats are listed here.
FORMATS = ("text", "json", "github", "sarif", "gitlab")

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
FULL_COLLECTION_EVERY = 1000  # middle-generation collections (CPython's default: 10)


class UsageError(Exception):
    pass


def _split_selectors(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part for value in values for part in value.split(",") if part.strip())


def locate(paths: Sequence[Path], vault: Path | None) -> tuple[Path, list[str] | None]:
    """The vault root, and the vault-relative files or folders to report on (None: all).

    The root is ``--vault``, else the nearest vault around the first path (or the current
    folder). A path with no vault around it is outside the vault of the current folder, if
    there is one (a usage error); else the folder given (or the current one) is checked as
    it is, unless it holds vaults of its own, which would be merged into one."""
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"no such file or folder: {path}")
    if vault is not None:
        if not vault.is_dir():
            raise UsageError(f"--vault {vault}: no such folder")
        root = vault.resolve()
    else:
        start = paths[0] if paths else Path.cwd()
        found = find_root(start)
        if found is None and paths:
            around = find_root(Path.cwd())
            if around is not None:
                raise UsageError(f"{paths[0]} is outside the vault {around}")
        if found is None:
            start_dir = start.resolve() if start.is_dir() else start.resolve().parent
            cwd = Path.cwd().resolve()
            found = cwd if not paths or start_dir.is_relative_to(cwd) else start_dir
            if paths and all(p.is_dir() for p in paths) and len(paths) == 1:
                found = paths[0].resolve()
            inner = nested_vaults(found)
            if inner:
                names = ", ".join(f"{n}/" for n in inner[:5]) + (", ..." if len(inner) > 5 else "")
                raise UsageError(
                    f"{found} is not a vault (no .obsidian/ or .vaultlint.yaml) and holds "
                    f"vaults: {names}; check each one, or name the root with --vault"
                )
        root = found
    if not paths:
        return root, None
    selected: list[str] = []
    for path in paths:
        try:
            rel = Path(os.path.abspath(path)).relative_to(root)
        except ValueError:
            try:  # the vault, or a folder above the path, reached through a symlink
                rel = Path(os.path.realpath(path)).relative_to(root)
            except ValueError:
                raise UsageError(f"{path} is outside the vault {root}") from None
        if rel == Path("."):
            return root, None
        selected.append(rel.as_posix())
    return root, selected


def _cache_guard(kw: dict[str, Any]) -> str | None:
    """Turn the cache off where it must not be written: in a folder that is not a vault
    (unless named with ``--vault``), and when ``.vaultlint`` or a file in it is a symlink
    (a warning, returned)."""
    if kw["no_cache"]:
        return None
    try:
        root, _ = locate(kw["paths"], kw["vault"])
    except UsageError:
        return None  # the run says why
    if kw["vault"] is None and not is_vault(root):
        kw["no_cache"] = True
        return None
    from vaultlint.disk.writer import cache_refusal

    reason = cache_refusal(root / ".vaultlint")
    if reason is None:
        return None
    kw["no_cache"] = True
    return f"{reason}: running without the cache (vaultlint never follows a link there)"


def _progress(enabled: bool) -> Any:
    if not enabled or not sys.stderr.isatty():
        return None

    def wrap(items: Sequence[str]) -> Iterable[str]:
        if len(items) < 200:
            yield from items
            return
        terminal = getattr(sys.stderr, "stream", sys.stderr)  # never into a recorded answer
        with click.progressbar(items, label="Reading notes", file=terminal) as bar:
            yield from bar

    return wrap


def _display_prefix(root: Path) -> str:
    """For GitHub and SARIF, paths must be relative to the repository (the working folder)."""
    try:
        rel = root.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return ""
    return "" if rel == Path(".") else rel.as_posix() + "/"


def _diff(report: Report) -> str:
    import difflib

    chunks: list[str] = []
    for outcome in report.outcomes:
        if not outcome.changed:
            continue
        chunks.extend(
            difflib.unified_diff(
                outcome.before.text.splitlines(keepends=True),
                outcome.after.text.splitlines(keepends=True),
                fromfile=f"a/{outcome.path}",
                tofile=f"b/{outcome.path}",
            )
        )
    text = "".join(chunks)
    return text if text.endswith("\n") or not text else text + "\n"


class _OneLineUsage(click.UsageError):
    """A click usage error printed as one line, like every other vaultlint error."""

    def show(self, file: Any = None) -> None:
        path = self.ctx.command_path.split(" ")[1:] if self.ctx is not None else []
        where = " ".join(["vaultlint", *path])
        message = " ".join(self.format_message().split())
        click.echo(f"vaultlint: error: {message} (see `{where} --help`)", err=True)


class _Group(click.Group):
    """The command group, whose usage errors (and its commands') take one line."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _OneLineUsage:
            raise
        except click.UsageError as exc:
            raise _one_line(exc) from None


def _one_line(exc: click.UsageError) -> _OneLineUsage:
    return _OneLineUsage(exc.message, exc.ctx)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="vaultlint")
def main() -> None:
    """Lint and fix an Obsidian vault: broken links, titles, stale tags, typos."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--vault",
    type=click.Path(file_okay=False, path_type=Path),
    help="Vault root (default: found from PATHS or the current folder).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (default: .vaultlint.yaml at the vault root).",
)
@click.option(
    "--select",
    multiple=True,
    help="Only these rules (codes, names, prefixes, ALL); comma-separated.",
)
@click.option("--extend-select", multiple=True, help="Add rules to the selection.")
@click.option("--ignore", multiple=True, help="Turn rules off.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (they rewrite the frontmatter).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--output-format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems remain.")
@click.option("--statistics", "show_statistics", is_flag=True, help="Count problems per rule.")
@click.option("-q", "--quiet", is_flag=True, help="Print the problems only, no summary.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only problems not in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record the current problems as the baseline and exit 0.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache in .vaultlint/.")
@click.option(
    "--staged",
    is_flag=True,
    help="For the pre-commit hook: check PATHS (the staged notes) and the notes whose links "
    "the staged deletions and renames break.",
)
def check(
    paths: tuple[Path, ...],
    vault: Path | None,
    config_path: Path | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    output_format: str,
    exit_zero: bool,
    show_statistics: bool,
    quiet: bool,
    no_progress: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    staged: bool,
    no_cache: bool,
) -> None:
    """Check the vault (or only PATHS, still resolving links against the whole vault)."""
    kw = dict(locals())
    warning = _cache_guard(kw)
    if warning is not None:
        click.echo(f"vaultlint: warning: {warning}", err=True)
    info: dict[str, Any] = {}
    quick = _quick_key(kw, info)
    if quick is not None:
        from vaultlint.cache.replay import lookup

        try:
            known = lookup(*quick)
        except Exception:  # the answer cache is data: whatever is wrong with it is a miss
            known = None
        if known is not None:
            sys.stdout.write(known.stdout)
            sys.stderr.write(known.stderr)
            sys.exit(known.code)
    recording = _record() if quick is not None else None
    try:
        code = _check(info, **kw)
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:
        from vaultlint.cli.baseline import BaselineError
        from vaultlint.engine.config import ConfigError

        if isinstance(exc, (UsageError, ConfigError, BaselineError)):
            from vaultlint.cli.formats import printable

            click.echo(f"vaultlint: error: {printable(str(exc))}", err=True)
            code = EXIT_USAGE
        elif os.environ.get("VAULTLINT_DEBUG"):
            raise
        else:
            click.echo(
                f"vaultlint: internal error: {exc!r} (set VAULTLINT_DEBUG=1 for details)", err=True
            )
            code = EXIT_INTERNAL
    if recording is not None and quick is not None:
        out, err = _stop_recording(recording)
        if code in (EXIT_CLEAN, EXIT_PROBLEMS) and info.get("cacheable"):
            from vaultlint.cache.replay import Answer, store

            store(quick[0], quick[1], Answer(out, err, code), bool(info.get("time_sensitive")))
    sys.exit(code)


def _quick_key(kw: dict[str, Any], info: dict[str, Any]) -> tuple[Path, str] | None:
    """The vault and the answer key of a command that may be answered from the cache. A
    check of named notes is not: it mostly follows an edit of the notes it names, so its
    answer would seldom be asked again, while looking it up and storing it reads and rewrites
    ``answers.json``, which holds whole-vault answers (megabytes): more than the check costs.
    Asked again unchanged, it is answered from its stored report (the same key)."""
    if kw["fix"] or kw["diff"] or kw["staged"] or kw["no_cache"] or kw["write_baseline"]:
        return None
    try:
        root, selection = locate(kw["paths"], kw["vault"])
    except UsageError:
        return None
    from vaultlint.cache.replay import answer_key, files_digest
    from vaultlint.disk.discovery import walk

    files = [f for f in (kw["config_path"], kw["baseline"]) if f is not None]
    # one walk of the vault: the report cache's key reads its entries too, and a run that is
    # not answered lists the vault's files from it
    entries: list[Entry] = []
    info["listing"] = walk(root, entries)
    info["entries"] = entries
    vault = info["files_digest"] = files_digest(root, entries)  # named notes' report key too
    if selection is not None:
        return None
    return root, answer_key(root, [repr(sorted(kw.items()))], files, vault)


def _record() -> tuple[Any, Any]:
    from vaultlint.cache.replay import Recorder

    previous = (sys.stdout, sys.stderr)
    sys.stdout, sys.stderr = Recorder(sys.stdout), Recorder(sys.stderr)
    return previous


def _stop_recording(previous: tuple[Any, Any]) -> tuple[str, str]:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = previous
    return getattr(out, "text", str)(), getattr(err, "text", str)()


def _load_config(root: Path, config_path: Path | None) -> Config:
    from vaultlint.engine.registry import builtin_rules
    from vaultlint.run.config import find_config, load_config

    rules = builtin_rules()
    path = config_path if config_path is not None else find_config(root)
    return load_config(path, rules)


def _check(info: dict[str, Any], **kw: Any) -> int:
    # A run builds millions of objects that live to its end (parsed notes, the link index,
    # word sets) and frees few: CPython rescans all of them in a full collection each time
    # the heap grows by a quarter, a large share of a cold run's CPU on a big vault. Young
    # collections, which reclaim short-lived cycles, go on as usual; workers inherit this.
    gc.set_threshold(*gc.get_threshold()[:2], FULL_COLLECTION_EVERY)
    root, selection = locate(kw["paths"], kw["vault"])
    if not kw["staged"]:
        return _check_vault(info, root, selection, None, **kw)
    from vaultlint.run.prefetch import start

    # a pre-commit run: the vault's files and git's answers, fetched while the rules load
    helper = start(root, selection)
    try:
        return _check_vault(info, root, selection, helper, **kw)
    finally:
        if helper is not None:
            helper.close()  # also when the run ends early: the helper must not linger


def _check_vault(
    info: dict[str, Any],
    root: Path,
    selection: list[str] | None,
    helper: Prefetch | None,
    **kw: Any,
) -> int:
    from vaultlint.cache.report import Cache, encode_diagnostics, read_report, vault_digest
    from vaultlint.cache.stamps import dictionary_version
    from vaultlint.engine.registry import builtin_rules, unknown_selectors
    from vaultlint.engine.report import Report

    rules = builtin_rules()
    config = _load_config(root, kw["config_path"])
    for option in ("select", "extend_select", "ignore"):
        values = _split_selectors(kw[option])
        unknown = unknown_selectors(values, rules)
        if unknown:
            raise UsageError(f"--{option.replace('_', '-')}: unknown rule {unknown[0]!r}")
        if values and option == "select":
            config.select = values
        elif values:
            setattr(config, option, getattr(config, option) + values)
    from vaultlint.grammar.grammalecte import missing

    problem = missing(config, rules)
    if problem is not None:
        raise UsageError(problem)
    fixing = kw["fix"] or kw["diff"]
    cache = Cache(root, f"{config.digest()}:{dictionary_version()}", enabled=not kw["no_cache"])
    digest = None
    if not fixing and not kw["staged"]:
        run_key = json.dumps([sorted(selection or []), config.digest()])
        time_sensitive = _needs_history(config, rules)
        info["time_sensitive"] = time_sensitive
        entries = info.get("entries")
        contents = None
        if selection is None:  # a whole vault: a restored cache in a fresh clone answers too
            contents = _contents(root, config, rules, time_sensitive, not kw["no_cache"], entries)
            key = contents.digest
        else:  # a few notes (cheap to check anyway): known by the stat keys alone
            key = info.get("files_digest") or ""
            if not key:
                from vaultlint.cache.replay import files_digest

                key = files_digest(root, entries)
        digest = vault_digest(root, run_key, time_sensitive, key)
        cached = cache.report(digest)
        stored = read_report(cached) if cached else None
        if stored is not None:
            from vaultlint.cache.store import keep_stats

            if contents is not None:
                keep_stats(root, contents.restat)
            info["cacheable"] = True
            if _rows_suffice(**kw):
                return _finish_rows(stored, **kw)
            report = Report(root, stored.diagnostics(), notes_checked=stored.notes_checked)
            report.messages = stored.messages
            report.defaults = stored.defaults
            return _finish(report, rules, root, **kw)
    from vaultlint.run.check import CheckRequest, check_vault  # an unchanged vault needs no parser

    request = CheckRequest(
        selection=selection,
        staged=kw["staged"],
        fix=kw["fix"],
        diff=kw["diff"],
        unsafe=kw["unsafe_fixes"],
        no_cache=kw["no_cache"],
        history=_needs_history(config, rules),
        listing=info.get("listing"),
    )
    report = check_vault(root, config, rules, request, helper, _progress(not kw["no_progress"]))
    cacheable = digest is not None and not report.internal_errors
    info["cacheable"] = cacheable
    if cacheable:
        cache.save(
            digest,
            {
                "diagnostics": encode_diagnostics(report.diagnostics),
                "notes_checked": report.notes_checked,
                "messages": report.messages,
                "defaults": report.defaults,
            },
        )
    return _finish(report, rules, root, **kw)


def _contents(
    root: Path,
    config: Config,
    rules: Sequence[Rule],
    time_sensitive: bool,
    cached: bool,
    entries: list[Entry] | None,
) -> Contents:
    """The vault's contents, the report cache's key: each note known by its stored text hash
    while its stat key is the stored one. Where a rule may date a note by its mtime (not in
    git, or a date source that puts mtime before git), that mtime counts too."""
    from vaultlint.cache.contents import untracked, vault_contents
    from vaultlint.cache.stamps import dictionary_version
    from vaultlint.cache.store import Store

    known = Store(root, dictionary_version(), enabled=cached).stats() if cached else {}
    mtimes = None
    if time_sensitive:
        mtimes = (lambda path: True) if _mtime_first(config, rules) else untracked(root)
    return vault_contents(root, known, config.max_file_size, mtimes, entries)


def _mtime_first(config: Config, rules: Sequence[Rule]) -> bool:
    """Whether a rule's ``date-source`` puts a file's mtime before git (or a folder has
    options of its own, which may)."""
    if config.per_path:
        return True
    for options in config.for_path("", rules).options.values():
        order = getattr(options, "date_source", None)
        if not isinstance(order, tuple) or "mtime" not in order:
            continue
        if "git" not in order or order.index("mtime") < order.index("git"):
            return True
    return False


def _needs_history(config: Config, rules: Sequence[Rule]) -> bool:
    """Whether an enabled rule reads the notes' history (its findings then change with the
    day and with the commits, not only with the files)."""
    enabled = config.for_path("", rules).enabled
    return any("history" in r.META.needs for r in rules if r.META.code in enabled)


def _rows_suffice(**kw: Any) -> bool:
    """Whether the output is the stored rows as they are: JSON, no baseline to filter by."""
    return (
        kw["output_format"] == "json"
        and kw["baseline"] is None
        and not (kw["write_baseline"] or kw["diff"] or kw["fix"])
    )


def _finish_rows(stored: StoredReport, **kw: Any) -> int:
    """``_finish`` of a stored report asked for as JSON (``_rows_suffice``): the same bytes and
    exit code, written from the stored rows without building a diagnostic."""
    from vaultlint.cli.formats import format_json_rows, printable

    for message in stored.messages:
        click.echo(f"vaultlint: {printable(message)}", err=True)
    click.echo(format_json_rows(stored.rows))
    return EXIT_PROBLEMS if stored.rows and not kw["exit_zero"] else EXIT_CLEAN


def _finish(report: Report, rules: Any, root: Path, **kw: Any) -> int:
    from vaultlint.cli.baseline import filter_new, load_baseline, write_baseline
    from vaultlint.cli.formats import (
        format_github,
        format_gitlab,
        format_json,
        format_sarif,
        format_text,
        printable,
        statistics,
        summary,
    )

    for message in report.messages:
        click.echo(f"vaultlint: {printable(message)}", err=True)
    for outcome in report.outcomes:
        problems = [outcome.error] if outcome.error else []
        for problem in problems + outcome.warnings:
            click.echo(f"vaultlint: {printable(f'{outcome.path}: {problem}')}", err=True)
    if kw["diff"]:
        click.echo(_diff(report), nl=False)
        changed = any(o.changed for o in report.outcomes)
        return EXIT_PROBLEMS if changed and not kw["exit_zero"] else EXIT_CLEAN
    diagnostics = report.diagnostics
    if kw["write_baseline"] is not None:
        write_baseline(kw["write_baseline"], diagnostics)
        click.echo(
            f"vaultlint: wrote {len(diagnostics)} problems to {kw['write_baseline']}", err=True
        )
        return EXIT_CLEAN
    if kw["baseline"] is not None:
        diagnostics = filter_new(diagnostics, load_baseline(kw["baseline"]))
    fmt = kw["output_format"]
    prefix = _display_prefix(root)
    if fmt == "text":
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        if diagnostics:
            click.echo(format_text(diagnostics, color))
        if kw["show_statistics"] and diagnostics:
            click.echo(statistics(diagnostics))
        if not kw["quiet"]:
            click.echo(
                summary(diagnostics, report.notes_checked, report.fixes_applied, report.defaults)
            )
    elif fmt == "json":
        click.echo(format_json(diagnostics))
    elif fmt == "github":
        if diagnostics:
            click.echo(format_github(diagnostics, prefix))
    elif fmt == "sarif":
        click.echo(format_sarif(diagnostics, rules, prefix))
    elif fmt == "gitlab":
        click.echo(format_gitlab(diagnostics, prefix))
    for error in report.internal_errors:
        click.echo(f"vaultlint: internal error: {printable(error)}", err=True)
    if report.internal_errors:
        return EXIT_INTERNAL
    if report.unwritten:  # a fix made but not written: never a clean exit
        return EXIT_PROBLEMS
    if diagnostics and not kw["exit_zero"]:
        return EXIT_PROBLEMS
    return EXIT_CLEAN


@main.command()
@click.argument("vault", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def stale(vault: Path | None, config_path: Path | None, output_format: str) -> None:
    """List the notes carrying a watched tag (stale-tag), oldest first."""
    import json

    from vaultlint.cli.stale import format_rows, stale_rows
    from vaultlint.engine.config import ConfigError
    from vaultlint.engine.registry import builtin_rules, find_rule

    try:
        root, _ = locate([vault] if vault else [], None)
        config = _load_config(root, config_path)
        rule = find_rule("stale-tag")
        assert rule is not None
        from vaultlint.run.check import load_vault

        rules = builtin_rules()
        loaded, lintable = load_vault(root, config, rules, {rule.META.code})
        options = config.for_path("", rules).options[rule.META.code]
        rows = stale_rows(loaded, lintable, options, rule)
    except (UsageError, ConfigError) as exc:
        click.echo(f"vaultlint: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for message in loaded.services.get("messages", []):
        click.echo(f"vaultlint: {message}", err=True)
    if output_format == "json":
        click.echo(json.dumps([r.as_dict() for r in rows], indent=2, ensure_ascii=False))
    else:
        click.echo(format_rows(rows))


@main.command(name="rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--vault",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Say which defaults fit this vault (default: the vault around the current folder).",
)
def list_rules(output_format: str, vault: Path | None) -> None:
    """List every rule: code, name, fixable, on by default (for this vault, and why)."""
    from vaultlint.engine.registry import builtin_rules

    rules = builtin_rules()
    root = vault.resolve() if vault is not None else find_root(Path.cwd())
    fitted: dict[str, Any] = {}
    if root is not None:
        from vaultlint.cli.init import fitted_for
        from vaultlint.engine.config import ConfigError

        try:
            config = _load_config(root, None)
        except ConfigError as exc:
            click.echo(f"vaultlint: error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        named = set(config.named(rules))
        fitted = {c: f for c, f in fitted_for(root, config).items() if c not in named}

    def default(meta: Any) -> bool:
        found = fitted.get(meta.code)
        return bool(found.on) if found is not None else bool(meta.default_on)

    if output_format == "json":
        import json

        items = [
            {
                "code": r.META.code,
                "name": r.META.name,
                "summary": r.META.summary,
                "severity": r.META.severity.value,
                "default": default(r.META),
                "fix": r.META.fix.value,
            }
            for r in rules
        ]
        for item in items:
            if item["code"] in fitted:
                item["default_reason"] = fitted[str(item["code"])].reason
        click.echo(json.dumps(items, indent=2))
        return
    click.echo(f"{'code':<6}  {'name':<26} {'fix':<9} {'default':<7} summary")
    for r in rules:
        m = r.META
        shown = ("on" if default(m) else "off") + ("*" if m.code in fitted else "")
        click.echo(f"{m.code:<6}  {m.name:<26} {m.fix.value:<9} {shown:<7} {m.summary}")
    for found in fitted.values():
        click.echo(f"* for the vault {root}: {found.sentence()}")


@main.command(name="rule")
@click.argument("name")
def show_rule(name: str) -> None:
    """Print the documentation of one rule (by code or name)."""
    from vaultlint.engine.registry import find_rule

    rule = find_rule(name)
    if rule is None:
        click.echo(f"vaultlint: error: unknown rule {name!r} (see `vaultlint rules`)", err=True)
        sys.exit(EXIT_USAGE)
    m = rule.META
    from vaultlint.engine.rule import option_names

    header = [
        f"{m.code} {m.name}",
        "",
        m.summary,
        "",
        f"Severity: {m.severity.value}. On by default: {'yes' if m.default_on else 'no'}. "
        f"Fix: {m.fix.value}.",
        f"Options: {', '.join(option_names(rule.Options)) or 'none'}.",
        "",
    ]
    click.echo("\n".join(header) + _dedent(rule.__doc__ or ""))


def _dedent(text: str) -> str:
    import inspect

    return inspect.cleandoc(text) + "\n"


@main.command(name="mv")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("destination", type=click.Path())  # a str: a trailing "/" means a folder
@click.option("--vault", type=click.Path(file_okay=False, path_type=Path), help="Vault root.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="List the links that would change; change nothing.")
@click.option("--diff", is_flag=True, help="Print the note changes as a diff; change nothing.")
def move(
    source: Path,
    destination: str,
    vault: Path | None,
    config_path: Path | None,
    dry_run: bool,
    diff: bool,
) -> None:
    """Move or rename a note, attachment or folder and rewrite every link to it."""
    from vaultlint.cli.move import run_move
    from vaultlint.engine.config import ConfigError
    from vaultlint.move.plan import MoveError

    try:
        code = run_move(source, destination, vault, config_path, dry_run, diff)
    except (MoveError, ConfigError) as exc:
        click.echo(f"vaultlint: error: {exc}", err=True)
        code = EXIT_USAGE
    sys.exit(code)


@main.command()
@click.argument("vault", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing config.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the config instead of writing it.")
def init(vault: Path | None, force: bool, to_stdout: bool) -> None:
    """Write a starter .vaultlint.yaml that fits the vault, each line explained."""
    from vaultlint.cli.init import starter_config

    try:
        root = (vault or find_root(Path.cwd()) or Path.cwd()).resolve()
        target = root / ".vaultlint.yaml"
        text = starter_config(root)
        if to_stdout:
            click.echo(text, nl=False)
            return
        if os.path.lexists(target) and not force:
            click.echo(f"vaultlint: error: {target} exists (use --force to overwrite)", err=True)
            sys.exit(EXIT_USAGE)
        from vaultlint.disk.writer import replace_text

        replace_text(target, text)  # a symlink there is replaced, never written through
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        click.echo(f"vaultlint: error: {exc.strerror or exc}{where}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"wrote {target}")


@main.group()
def words() -> None:
    """The vault's accepted words (.vaultlint-words.txt at its root)."""


@words.command(name="add")
@click.argument("word_list", nargs=-1, metavar="[WORD]...")
@click.option(
    "--all-unknown",
    is_flag=True,
    help="Add every word the typo and unknown-word rules report in the vault now.",
)
@click.option(
    "--vault",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The vault (default: the one holding the current folder).",
)
def add_words_command(word_list: tuple[str, ...], all_unknown: bool, vault: Path | None) -> None:
    """Accept WORDs in this vault (written to .vaultlint-words.txt at its root, sorted): the
    typo rules stop reporting them."""
    from vaultlint.disk.wordlist import NotAWord, add_words
    from vaultlint.engine.config import ConfigError
    from vaultlint.spelling.speller import WORD_LIST

    root = (vault or find_root(Path.cwd()) or Path.cwd()).resolve()
    wanted = list(word_list)
    if all_unknown:
        try:
            wanted += _reported_words(root)
        except ConfigError as exc:
            click.echo(f"vaultlint: error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
    elif not wanted:
        raise click.UsageError("give the words to add, or --all-unknown")
    try:
        new = add_words(root, wanted)
    except NotAWord as exc:
        raise click.UsageError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        click.echo(f"vaultlint: error: cannot update the word list: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"added {len(new)} word{'s' * (len(new) != 1)} to {root / WORD_LIST}")


def _reported_words(root: Path) -> list[str]:
    """The words the typo and unknown-word rules report in the vault (a check run)."""
    from vaultlint.engine.registry import builtin_rules
    from vaultlint.run.check import CheckRequest, check_vault

    rules = builtin_rules()
    config = _load_config(root, None)
    config.select = ("typo", "unknown-word")
    request = CheckRequest(None, False, False, False, False, no_cache=True, history=False)
    report = check_vault(root, config, rules, request)
    return [d.source for d in report.diagnostics if d.rule in ("typo", "unknown-word") and d.source]


if __name__ == "__main__":  # pragma: no cover
    main()
