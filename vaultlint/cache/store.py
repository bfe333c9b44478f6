"""What vaultlint knows of every note between runs: ``.vaultlint/notes.sqlite``.

One row per note: its stat key (mtime, size, ctime, inode: to tell it unchanged without reading
it), a hash of its text (to tell it unchanged by reading it when the stat key differs), its summary (what other notes' checks need of it) and the facts rules collected from it.
Beside them, the rules' vault-wide tallies (kept equal to the sum of the rows' facts), the
dictionary's answers, what a whole-vault run leaves for partial runs, and each note's
findings under the key of what they depend on (``vaultlint.run.reuse``). With it, a run that
checks three notes reads three notes, not the vault.

SQLite gives atomic transactions and safe concurrent use for free. The file is data only: a
file that is corrupt, from another vaultlint or Python, or written under another configuration
is ignored (and replaced), never trusted; a value of the wrong shape counts as missing. The
grammar findings alone outlive a file of another vaultlint or Python: each is keyed by the text
Grammalecte read, its version and options, so none can answer for another text.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultlint import __version__
from vaultlint.cache.replay import writable
from vaultlint.cache.shapes import (
    Check,
    fact_checks,
    valid_carried,
    valid_count,
    valid_findings,
    valid_summary,
)
from vaultlint.disk.identity import NO_STAT as NO_STAT  # re-exported: the engine names them
from vaultlint.disk.identity import Stat as Stat
from vaultlint.disk.writer import cache_folder, cache_refusal
from vaultlint.vault.summary import NoteSummary
from vaultlint.vault.view import link_name

FILE = "notes.sqlite"
# a count of the wrong type or range: the tallies are not the sums of the facts any more
DAMAGED_TALLY = (
    "SELECT 1 FROM tally WHERE typeof(n) != 'integer' OR n <= 0 OR n >= 4611686018427387904 "
    "OR typeof(key) != 'text' OR typeof(rule) != 'text' LIMIT 1"
)
FORMAT = "6"  # 4: the stat key holds ctime and inode; 6: findings and "did you mean" kept
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notes (
    path TEXT PRIMARY KEY, mtime INTEGER, size INTEGER, ctime INTEGER, ino INTEGER, ckey TEXT,
    summary TEXT, facts TEXT, names TEXT
);
-- what every run reads first, apart from the big summary and facts columns (a covering index)
CREATE INDEX IF NOT EXISTS notes_stat ON notes (path, mtime, size, ctime, ino, ckey);
CREATE TABLE IF NOT EXISTS tally (
    rule TEXT, key TEXT, n INTEGER, PRIMARY KEY (rule, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tally_by_count ON tally (rule, n);
CREATE TABLE IF NOT EXISTS known (
    lang TEXT, word TEXT, ok INTEGER, PRIMARY KEY (lang, word)
) WITHOUT ROWID;
-- the grammar checker's findings per note, under a key of what it read and how
CREATE TABLE IF NOT EXISTS grammar (path TEXT PRIMARY KEY, key TEXT, found TEXT);
-- each note's diagnostics, under a key of everything they depend on (``vaultlint.run.reuse``)
CREATE TABLE IF NOT EXISTS findings (path TEXT PRIMARY KEY, key TEXT, diags TEXT, asks TEXT);
-- the file "did you mean" offered for each link target that resolves to nothing ("" for none),
-- with the vault's files at the time (meta "suggested_from")
CREATE TABLE IF NOT EXISTS suggestions (target TEXT PRIMARY KEY, path TEXT);
"""


@dataclass
class NoteRecord:
    """What parsing one note gave: enough to know it later without reading it again."""

    path: str
    stat: Stat
    ckey: str  # hash of the text
    summary: NoteSummary
    facts: dict[str, list[Any]]  # rule code -> [options key, fact]

    def encode(self) -> tuple[str, str, str]:
        """The record as the store keeps it: summary, facts and link names. Made as the store
        writes it and not kept: a cold run's rows, all held at once, would add half again to
        the memory of the process that saves them."""
        return (
            json.dumps(self.summary.encode(), ensure_ascii=False),
            json.dumps(self.facts, ensure_ascii=False),
            _names(self.summary),
        )


def _identity() -> dict[str, str]:
    return {"format": FORMAT, "version": __version__, "python": sys.version.split()[0]}


class Store:
    """The note store of one vault, read; every value read is checked (``cache.shapes``)."""

    def __init__(
        self,
        root: Path,
        dictionary: str,
        enabled: bool = True,
        rules: Iterable[Any] | None = None,
    ) -> None:
        """Dictionary answers are kept for one ``dictionary`` version; facts, tallies and
        what was carried count only once ``accept`` knows they were made under this run's
        configuration. ``rules``: whose facts are read (None: the built-in rules)."""
        self.path = root / ".vaultlint" / FILE
        self._rules = rules
        self._fact_checks: dict[str, Check] | None = None
        self.facts_keys: dict[str, str] = {}
        self.dictionary = dictionary
        # never through a link: a cloned vault may carry ``notes.sqlite -> ~/other.db``
        safe = cache_refusal(self.path.parent) is None
        self.writable = enabled and safe and writable(root)
        self.words_valid = False
        self.db: sqlite3.Connection | None = None
        self.leftover: sqlite3.Connection | None = None  # another vaultlint's file: grammar only
        self.facts_valid = False  # the rows' facts and the tallies were made under facts_key
        self.rejected = False  # a facts row was damaged: this run counts every note afresh
        self.carried: dict[str, Any] = {}
        self._meta: dict[str, str] = {}
        if not enabled or not safe or not self.path.is_file():
            return
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            meta = dict(self.db.execute("SELECT k, v FROM meta").fetchall())
        except sqlite3.Error:
            self.close()
            return
        if any(meta.get(k) != v for k, v in _identity().items()):
            # another vaultlint or Python wrote it: start again, but for the grammar findings,
            # whose key holds all they depend on (Grammalecte is the slowest part of a run)
            self.leftover, self.db = self.db, None
            return
        self._meta = meta
        self.words_valid = meta.get("dictionary") == dictionary

    def accept(self, facts_keys: Mapping[str, str]) -> None:
        """``facts_keys``: this run's collecting rules, each with a key for everything its
        facts depend on. Facts and tallies count only when every one matches what the file was
        written with; otherwise the rows keep their summaries only."""
        self.facts_keys = dict(facts_keys)
        written: Any = {}
        with contextlib.suppress(ValueError, TypeError, RecursionError):
            written = json.loads(self._meta.get("facts", "{}"))
        written = written if isinstance(written, dict) else {}
        self.facts_valid = (
            self.db is not None
            and all(written.get(code) == key for code, key in facts_keys.items())
            and not self._query(DAMAGED_TALLY)
            and not self.rejected
        )
        self.carried = {}
        if self.facts_valid:
            carried: Any = None
            with contextlib.suppress(ValueError, TypeError, RecursionError):
                carried = json.loads(self._meta.get("carried", "{}"))
            kept = valid_carried(carried) if isinstance(carried, dict) else None
            if kept is None or kept != carried:  # what a full run left is damaged: do one
                self.facts_valid = False
            else:
                self.carried = kept

    @property
    def usable(self) -> bool:
        return self.db is not None

    def close(self) -> None:
        for db in (self.db, self.leftover):
            if db is not None:
                with contextlib.suppress(sqlite3.Error):
                    db.close()
        self.db = self.leftover = None
        self.facts_valid = False

    def _query(self, sql: str, args: Iterable[Any] = (), leftover: bool = False) -> list[Any]:
        db = self.db if self.db is not None or not leftover else self.leftover
        if db is None:
            return []
        try:
            return db.execute(sql, tuple(args)).fetchall()
        except sqlite3.Error:
            self.close()
            return []

    def _query_in(
        self, sql: str, fixed: list[Any], values: Iterable[Any], leftover: bool = False
    ) -> list[Any]:
        """``sql`` with its ``IN ({marks})`` filled with ``values``, 500 at a time (SQLite
        limits the number of parameters of a statement)."""
        rows: list[Any] = []
        wanted = list(values)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows += self._query(sql.format(marks=marks), [*fixed, *chunk], leftover)
        return rows

    # -- reading ---------------------------------------------------------------------------

    def stats(self) -> dict[str, tuple[Stat, str]]:
        """Every stored note: its stat key and its text hash (a row of another shape is left
        out: the note is read again)."""
        rows = self._query("SELECT path, mtime, size, ctime, ino, ckey FROM notes")
        return {row[0]: (row[1:5], row[5]) for row in rows if _valid_stat_row(row)}

    def summaries(self, paths: Iterable[str] | None = None) -> dict[str, NoteSummary]:
        found: dict[str, NoteSummary] = {}
        for path, raw in self._rows("summary", paths):
            with contextlib.suppress(ValueError, TypeError, RecursionError):
                data = json.loads(raw)
                if valid_summary(data):
                    found[path] = NoteSummary.decode(data)
        return found

    def facts(self, paths: Iterable[str] | None = None) -> dict[str, dict[str, list[Any]]]:
        if not self.facts_valid:
            return {}
        found: dict[str, dict[str, list[Any]]] = {}
        checks = self.fact_checks()
        for path, raw in self._rows("facts", paths):
            with contextlib.suppress(ValueError, TypeError, RecursionError):
                facts = json.loads(raw)
                if isinstance(facts, dict) and all(
                    isinstance(v, list)
                    and len(v) == 2
                    and type(v[0]) is str
                    and (code not in checks or checks[code](v[1]))
                    for code, v in facts.items()
                ):
                    found[path] = facts
                    continue
            self._damaged()
        return found

    def _damaged(self) -> None:
        """A damaged facts row: the note is read again, and the stored tallies, which
        counted what the row held, are counted again from every note by the next run (the
        facts are saved under keys no run has)."""
        self.facts_keys = {code: "damaged" for code in self.facts_keys}
        self.rejected = True

    def fact_checks(self) -> dict[str, Check]:
        if self._fact_checks is None:
            if self._rules is None:
                from vaultlint.engine.registry import builtin_rules

                self._rules = builtin_rules()
            self._fact_checks = fact_checks(self._rules)
        return self._fact_checks

    def _rows(self, column: str, paths: Iterable[str] | None) -> list[tuple[str, str]]:
        if paths is None:
            return self._query(f"SELECT path, {column} FROM notes")
        return self._query_in(
            f"SELECT path, {column} FROM notes WHERE path IN ({{marks}})", [], paths
        )

    def linking(self, names: Iterable[str]) -> set[str]:
        """The stored notes with a link to one of ``names`` (folded last path components).

        Each row keeps its link names as one "\\n"-delimited text; a scan of that column
        (in C) costs less than writing an index row per link on every cold run."""
        found: set[str] = set()
        for name in set(names):
            rows = self._query("SELECT path FROM notes WHERE instr(names, ?) > 0", [f"\n{name}\n"])
            found.update(path for (path,) in rows)
        return found

    def tally_of(self, rule: str, keys: Iterable[str]) -> dict[str, int]:
        sql = "SELECT key, n FROM tally WHERE rule = ? AND key IN ({marks})"
        return {k: n for k, n in self._query_in(sql, [rule], keys) if valid_count(n)}

    def tally_largest(self, rule: str, skip_prefix: str, count: int) -> list[tuple[str, int]]:
        """The ``count`` keys with the largest counts, leaving out the keys that start with
        ``skip_prefix`` (compared in hexadecimal: SQLite's text functions stop at a NUL, and
        ``NAME_KEY`` is one)."""
        marker = skip_prefix.encode("utf-8", "surrogatepass").hex().upper()
        rows = self._query(
            "SELECT key, n FROM tally WHERE rule = ? AND (? = '' OR substr(hex(key), 1, ?) != ?) "
            "ORDER BY n DESC LIMIT ?",
            [rule, marker, len(marker), marker, count],
        )
        return [(k, n) for k, n in rows if isinstance(k, str) and valid_count(n)]

    def grammar(self, paths: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
        """Each note's grammar findings, as ``(key, findings JSON)`` (see ``vaultlint.grammar.grammalecte``)."""
        if not self._has_grammar():
            return {}  # a file written before the table existed: no findings kept yet
        if paths is None:
            rows = self._query("SELECT path, key, found FROM grammar", leftover=True)
        else:
            sql = "SELECT path, key, found FROM grammar WHERE path IN ({marks})"
            rows = self._query_in(sql, [], paths, leftover=True)
        return {
            path: (key, found)
            for path, key, found in rows
            if isinstance(key, str) and isinstance(found, str) and valid_findings(found)
        }

    def findings(self, paths: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        """Each note's stored diagnostics, as ``(key, diagnostics JSON, services asked)``
        (the JSON is checked where it is decoded, ``vaultlint.run.reuse.decode``)."""
        sql = "SELECT path, key, diags, asks FROM findings WHERE path IN ({marks})"
        return {
            path: (key, diags, asks)
            for path, key, diags, asks in self._query_in(sql, [], paths)
            if type(path) is str and type(key) is str and type(diags) is str and type(asks) is str
        }

    def suggestions(self) -> tuple[list[str], dict[str, str | None]] | None:
        """The vault's files when "did you mean" last ran, and what it offered for each link
        target (None: nothing); None when not kept or damaged."""
        raw = self._meta.get("suggested_from")
        if raw is None or self.db is None:
            return None
        paths: Any = None
        with contextlib.suppress(ValueError, TypeError, RecursionError):
            paths = json.loads(raw)
        if not isinstance(paths, list) or not all(type(p) is str for p in paths):
            return None
        found: dict[str, str | None] = {}
        for target, path in self._query("SELECT target, path FROM suggestions"):
            if type(target) is not str or type(path) is not str:
                return None
            found[target] = path or None
        return paths, found

    def _has_grammar(self) -> bool:
        rows = self._query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", ["grammar"], True
        )
        return bool(rows)

    def known_words(self, lang: str | None = None) -> dict[str, dict[str, bool]]:
        found: dict[str, dict[str, bool]] = {}
        if not self.words_valid:
            return found
        sql = "SELECT lang, word, ok FROM known"
        args: list[Any] = []
        if lang is not None:
            sql += " WHERE lang = ?"
            args.append(lang)
        for row_lang, word, ok in self._query(sql, args):
            if type(row_lang) is str and type(word) is str and ok in (0, 1):
                found.setdefault(row_lang, {})[word] = bool(ok)
        return found

    def known_word(self, lang: str, words: Iterable[str]) -> dict[str, bool]:
        if not self.words_valid:
            return {}
        sql = "SELECT word, ok FROM known WHERE lang = ? AND word IN ({marks})"
        rows = self._query_in(sql, [lang], words)
        return {word: bool(ok) for word, ok in rows if type(word) is str and ok in (0, 1)}


@dataclass
class Changes:
    """What a run learnt, to write in one transaction."""

    records: list[NoteRecord] = field(default_factory=list)  # notes parsed in this run
    removed: list[str] = field(default_factory=list)  # stored notes that are gone
    touched: dict[str, tuple[Stat, str]] = field(default_factory=dict)  # new mtime, same text
    tallies: dict[str, Counter[str]] = field(default_factory=dict)  # changes, or the whole
    replace_tallies: bool = False  # ``tallies`` are whole: they replace the stored ones
    carried: Mapping[str, Any] | None = None  # None: a partial run, leave it as it is
    known: Mapping[str, Mapping[str, bool]] | None = None  # new dictionary answers
    grammar: Mapping[str, tuple[str, str]] | None = None  # new grammar findings, by note
    # new diagnostics, by note: (key, diagnostics JSON, services asked), encoded as written
    findings: Iterable[tuple[str, str, str, str]] | None = None
    # the vault's files and what "did you mean" offered then, by target (replaces the kept)
    suggestions: tuple[list[str], Mapping[str, str | None]] | None = None


def save(root: Path, keys: tuple[Mapping[str, str], str], changes: Changes) -> None:
    """Write ``changes`` under ``keys`` (this run's facts keys, the dictionary version)."""
    if not writable(root):
        return
    path = root / ".vaultlint" / FILE
    try:
        cache_folder(path.parent)  # UnsafeCache (an OSError) when a link is in the way
    except OSError:
        return
    for _ in range(2):  # a file that is not a database (or a damaged one) is replaced once
        try:
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
        except sqlite3.Error:
            return
        try:
            _write(db, keys, changes)
            return
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                return  # another run is writing: it will leave a complete file
            db.close()
            for stale in (path, path.with_name(FILE + "-wal"), path.with_name(FILE + "-shm")):
                with contextlib.suppress(OSError):
                    stale.unlink()
        finally:
            with contextlib.suppress(sqlite3.Error):
                db.close()


def keep_stats(root: Path, touched: Mapping[str, tuple[Stat, str]]) -> None:
    """New stat keys for notes whose text is the stored one, read and hashed outside a run
    (the report cache's key): a store of another vaultlint is left alone."""
    path = root / ".vaultlint" / FILE
    if not touched or not writable(root) or cache_refusal(path.parent) is not None:
        return
    if not path.is_file():
        return
    with contextlib.suppress(sqlite3.Error):
        db = sqlite3.connect(path, timeout=5, isolation_level=None)
        try:
            meta = dict(db.execute("SELECT k, v FROM meta").fetchall())
            if all(meta.get(k) == v for k, v in _identity().items()):
                db.execute("PRAGMA synchronous = NORMAL")  # as ``save``: no sync per commit
                db.execute("BEGIN IMMEDIATE")
                _restat(db, touched)
                db.execute("COMMIT")
        finally:
            db.close()


def _write(db: sqlite3.Connection, keys: tuple[Mapping[str, str], str], changes: Changes) -> None:
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in _statements():
            db.execute(statement)
        meta = dict(db.execute("SELECT k, v FROM meta").fetchall())
        facts_keys, dictionary = keys
        records, removed, replace_tallies = (
            changes.records,
            changes.removed,
            changes.replace_tallies,
        )
        written: Any = {}
        same_parser = all(meta.get(k) == v for k, v in _identity().items())
        if same_parser:
            with contextlib.suppress(ValueError, TypeError, RecursionError):
                written = json.loads(meta.get("facts", "{}"))
        written = written if isinstance(written, dict) else {}
        if not same_parser:  # another format: its tables may have other columns
            for table in ("meta", "notes", "tally", "known", "links", "findings", "suggestions"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            # but the grammar findings are keyed by all they depend on: only those of notes
            # gone from the vault go (this run parsed every note: ``records``)
            present = {r.path for r in records}
            gone = [row for row in db.execute("SELECT path FROM grammar") if row[0] not in present]
            db.executemany("DELETE FROM grammar WHERE path = ?", gone)
            for statement in _statements():
                db.execute(statement)
        if not same_parser or any(written.get(c) != k for c, k in facts_keys.items()):
            # this run gathered every note's facts afresh: they replace all the old ones
            db.execute("UPDATE notes SET facts = '{}'")  # summaries stay, facts do not
            db.execute("DELETE FROM tally")
            replace_tallies = True
            written = {}
        if not same_parser or meta.get("dictionary") != dictionary:
            db.execute("DELETE FROM known")
        if records or removed:  # rules off in this run did not see these changes: drop them
            for code in [c for c in written if c not in facts_keys]:
                db.execute("DELETE FROM tally WHERE rule = ?", (code,))
                del written[code]
        # rows are made as SQLite takes them (generators): all of them at once, encoded, would
        # double the memory of a cold run
        db.executemany(
            "INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((r.path, *r.stat, r.ckey, *r.encode()) for r in records),
        )
        db.executemany("DELETE FROM notes WHERE path = ?", [(p,) for p in removed])
        db.executemany("DELETE FROM grammar WHERE path = ?", [(p,) for p in removed])
        db.executemany("DELETE FROM findings WHERE path = ?", [(p,) for p in removed])
        if changes.findings is not None:
            db.executemany("INSERT OR REPLACE INTO findings VALUES (?, ?, ?, ?)", changes.findings)
        if changes.grammar:
            db.executemany(
                "INSERT OR REPLACE INTO grammar VALUES (?, ?, ?)",
                [(p, key, found) for p, (key, found) in changes.grammar.items()],
            )
        _restat(db, changes.touched)
        suggested = changes.suggestions
        if suggested is not None:
            db.execute("DELETE FROM suggestions")
            db.executemany(
                "INSERT INTO suggestions VALUES (?, ?)",
                [(target, path or "") for target, path in suggested[1].items()],
            )
        for rule, counts in changes.tallies.items():
            if replace_tallies:
                db.execute("DELETE FROM tally WHERE rule = ?", (rule,))
                db.executemany(
                    "INSERT INTO tally VALUES (?, ?, ?)",
                    ((rule, k, n) for k, n in counts.items() if n > 0),
                )
                continue
            db.executemany(
                "INSERT INTO tally VALUES (?, ?, ?) "
                "ON CONFLICT (rule, key) DO UPDATE SET n = n + excluded.n",
                [(rule, k, n) for k, n in counts.items() if n],
            )
            db.execute("DELETE FROM tally WHERE rule = ? AND n <= 0", (rule,))
        if changes.known:
            db.executemany(
                "INSERT OR REPLACE INTO known VALUES (?, ?, ?)",
                [
                    (lang, w, int(ok))
                    for lang, words in changes.known.items()
                    for w, ok in words.items()
                ],
            )
        values = {
            **_identity(),
            "dictionary": dictionary,
            "facts": json.dumps({**written, **facts_keys}, sort_keys=True),
        }
        if changes.carried is not None:
            values["carried"] = json.dumps(changes.carried, ensure_ascii=False)
        if suggested is not None:
            values["suggested_from"] = json.dumps(suggested[0])
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise


def _restat(db: sqlite3.Connection, touched: Mapping[str, tuple[Stat, str]]) -> None:
    """New stat keys for notes whose text is the stored one (read and hashed this run)."""
    db.executemany(
        "UPDATE notes SET mtime = ?, size = ?, ctime = ?, ino = ? WHERE path = ? AND ckey = ?",
        [(*stat, p, ckey) for p, (stat, ckey) in touched.items()],
    )


def _valid_stat_row(row: Any) -> bool:
    path, ckey, numbers = row[0], row[5], row[1:5]
    return (
        type(path) is str
        and type(ckey) is str
        and len(ckey) in (0, 40)  # none for a note that could not be read
        and all(type(n) is int and 0 <= n < 1 << 63 for n in numbers)
    )


def _names(summary: NoteSummary) -> str:
    """The names the note links to, each between newlines (a name holds none)."""
    names = sorted({link_name(target) for target, _ in summary.links})
    return "\n" + "\n".join(names) + "\n" if names else ""


def _statements() -> list[str]:
    return [s.strip() for s in SCHEMA.split(";") if s.strip()]


class StoredSummaries(Mapping[str, NoteSummary]):
    """Every note's summary: this run's for the notes it parsed, the stored one, read when
    first asked for, for the others (``reread``: the note's own, when its row is missing or
    damaged)."""

    def __init__(
        self,
        store: Store,
        paths: Iterable[str],
        fresh: Mapping[str, NoteSummary],
        reread: Callable[[str], NoteSummary] | None = None,
    ):
        self.store = store
        self.reread = reread
        self.order = list(paths)
        self.paths = set(self.order)
        self.known: dict[str, NoteSummary] = dict(fresh)

    def __getitem__(self, path: str) -> NoteSummary:
        found = self.known.get(path)
        if found is None:
            if path not in self.paths:
                raise KeyError(path)
            found = self.store.summaries([path]).get(path)
            if found is None:  # a row that went missing or is damaged: read the note
                found = self.reread(path) if self.reread else NoteSummary(readable=False)
            self.known[path] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def __contains__(self, path: object) -> bool:
        return path in self.paths

    def items(self) -> Any:  # all of them at once: one query, not one per note
        missing = [p for p in self.order if p not in self.known]
        stored = self.store.summaries(missing if len(missing) < 500 else None)
        self.known.update((p, s) for p, s in stored.items() if p in self.paths)
        return [(p, self[p]) for p in self.order]
