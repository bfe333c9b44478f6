"""Output formats: text, json, github (workflow annotations), sarif 2.1.0, gitlab (code quality)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import click

from vaultlint import __version__
from vaultlint.engine.diagnostic import Diagnostic
from vaultlint.engine.rule import Rule, Safety, Severity

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: a file name
# or link text holding them could forge an output line or send escapes to the terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with each control character written as a Python escape (``\\n``, ``\\x1b``)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def format_text(diagnostics: Sequence[Diagnostic], color: bool, prefix: str = "") -> str:
    if not color:
        # the usual output holds no control character at all: one scan of the whole text
        # shows it, and then no part needs ``printable``
        text = "\n".join(
            [
                f"{prefix}{d.path}:{d.start.line}:{d.start.column}: {d.code} [{d.rule}] "
                f"{d.message}{' [*]' if d.fixable else ''}"
                for d in diagnostics
            ]
        )
        # the lines' own newlines are the only ones: their count says no piece holds one
        if text.count("\n") == len(diagnostics) - 1 and not _CONTROL_BUT_NEWLINE.search(text):
            return text
    lines = []
    for d in diagnostics:
        location = printable(f"{prefix}{d.path}:{d.start.line}:{d.start.column}:")
        code = d.code
        marker = " [*]" if d.fixable else ""
        if color:
            location = click.style(location, bold=True)
            code = click.style(code, fg=_COLORS[d.severity], bold=True)
        lines.append(f"{location} {code} [{d.rule}] {printable(d.message)}{marker}")
    return "\n".join(lines)


def summary(
    diagnostics: Sequence[Diagnostic],
    notes_checked: int,
    fixed: int,
    defaults: Sequence[str] = (),
) -> str:
    """The closing line; ``defaults``: why a rule is on or off for this vault."""
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} problem{'s' * (fixed != 1)}.")
    fitted = f" ({'; '.join(defaults)}.)" if defaults else ""
    if not diagnostics:
        parts.append(f"No problems found in {notes_checked} note{'s' * (notes_checked != 1)}.")
        return " ".join(parts) + fitted
    files = len({d.path for d in diagnostics})
    count = len(diagnostics)
    parts.append(
        f"Found {count} problem{'s' * (count != 1)} in {files} note{'s' * (files != 1)} "
        f"({notes_checked} checked)."
    )
    safe = sum(1 for d in diagnostics if d.fixable)
    unsafe = sum(1 for d in diagnostics if d.fix_safety is Safety.UNSAFE)
    if safe:
        parts.append(f"[*] {safe} fixable with `--fix`.")
    if unsafe:
        parts.append(f"{unsafe} more with `--fix --unsafe-fixes`.")
    return " ".join(parts) + fitted


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    counts = Counter((d.code, d.rule) for d in diagnostics)
    fixable = Counter((d.code, d.rule) for d in diagnostics if d.fixable)
    rows = [
        f"{n:6d}  {code:<6} {'[*]' if fixable[(code, rule)] else '   '} {rule}"
        for (code, rule), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "\n".join(rows)


def to_dict(d: Diagnostic) -> dict[str, Any]:
    item: dict[str, Any] = {
        "path": d.path,
        "line": d.start.line,
        "column": d.start.column,
        "end_line": d.end.line,
        "end_column": d.end.column,
        "code": d.code,
        "rule": d.rule,
        "severity": d.severity.value,
        "message": d.message,
        "fixable": d.fixable,
        "fix": None if d.fix is None else {"title": d.fix.title, "safety": d.fix.safety.value},
    }
    if d.data:
        item["data"] = dict(d.data)
    return item


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    """The same text as ``json.dumps([to_dict(d) ...], indent=2, ensure_ascii=False,
    default=str)``, written item by item: the standard library's indented encoder is pure
    Python, while its string encoder (used here) is C."""
    if not diagnostics:
        return "[]"
    # the parts that many items share (rule and severity; a fix, often one object for many
    # items of a restored report) are written once: keyed by value, or by the fix's identity
    # (every item is alive until the end)
    middles: dict[tuple[Any, Any, Any], str] = {}
    fixes: dict[int, str] = {}
    return "[\n" + ",\n".join([_json_item(d, middles, fixes) for d in diagnostics]) + "\n]"


_encode_str: Any = getattr(json.encoder, "c_encode_basestring", None) or (
    json.encoder.py_encode_basestring
)


def _json_item(
    d: Diagnostic, middles: dict[tuple[Any, Any, Any], str], fixes: dict[int, str]
) -> str:
    """One item, indented as the list's element; the library's encoder for unusual values."""
    start, end, enc = d.start, d.end, _encode_str
    line, column, end_line, end_column = start.line, start.column, end.line, end.column
    if not (
        type(line) is int
        and type(column) is int
        and type(end_line) is int
        and type(end_column) is int
    ):
        return _json_item_slow(d)
    try:  # the string encoder takes str only: anything else goes the library's way
        fix = d.fix
        tail = fixes.get(id(fix))
        if tail is None:
            tail = fixes[id(fix)] = (
                _JSON_NO_FIX if fix is None else _json_fix(fix.title, fix.safety.value)
            )
        key = (d.code, d.rule, d.severity)
        middle = middles.get(key)
        if middle is None:
            middle = middles[key] = _json_middle(d.code, d.rule, d.severity.value)
        return _json_text(
            enc(d.path), line, column, end_line, end_column, middle, enc(d.message), tail, d.data
        )
    except TypeError:
        return _json_item_slow(d)


def format_json_rows(rows: Sequence[Sequence[Any]]) -> str:
    """``format_json`` of the diagnostics that stored ``rows`` hold (``vaultlint.cache.report``,
    checked by its ``valid_rows``), written from the rows: no diagnostic is built."""
    if not rows:
        return "[]"
    enc = _encode_str
    middles: dict[tuple[str, str, str], str] = {}
    fixes: dict[tuple[str | None, str | None], str] = {}
    items: list[str] = []
    append = items.append
    for (
        path,
        line,
        column,
        end_line,
        end_column,
        code,
        rule,
        severity,
        message,
        title,
        safety,
        _source,
        data,
    ) in rows:
        tail = fixes.get((title, safety))
        if tail is None:
            tail = fixes[title, safety] = (
                _JSON_NO_FIX if title is None else _json_fix(title, safety)
            )
        middle = middles.get((code, rule, severity))
        if middle is None:
            middle = middles[code, rule, severity] = _json_middle(code, rule, severity)
        append(
            _json_text(
                enc(path), line, column, end_line, end_column, middle, enc(message), tail, data
            )
        )
    return "[\n" + ",\n".join(items) + "\n]"


_JSON_NO_FIX = '    "fixable": false,\n    "fix": null'


def _json_fix(title: str, safety: str) -> str:
    enc = _encode_str
    fixable = "true" if safety == Safety.SAFE.value else "false"
    return (
        f'    "fixable": {fixable},\n'
        f'    "fix": {{\n      "title": {enc(title)},\n'
        f'      "safety": {enc(safety)}\n    }}'
    )


def _json_middle(code: str, rule: str, severity: str) -> str:
    enc = _encode_str
    return f'    "code": {enc(code)},\n    "rule": {enc(rule)},\n    "severity": {enc(severity)},\n'


def _json_text(
    path: str,
    line: int,
    column: int,
    end_line: int,
    end_column: int,
    middle: str,
    message: str,
    tail: str,
    data: Any,
) -> str:
    """One item from its encoded parts (``path`` and ``message`` encoded already)."""
    text = (
        f'  {{\n    "path": {path},\n    "line": {line},\n'
        f'    "column": {column},\n    "end_line": {end_line},\n'
        f'    "end_column": {end_column},\n{middle}'
        f'    "message": {message},\n{tail}'
    )
    if data:
        # nested values of any shape: the library's encoder, its lines moved in by two levels
        # (its output holds no newline but those of its layout: strings escape theirs)
        nested = json.dumps(dict(data), indent=2, ensure_ascii=False, default=str)
        text += ',\n    "data": ' + nested.replace("\n", "\n    ")
    return text + "\n  }"


def _json_item_slow(d: Diagnostic) -> str:
    text = json.dumps(to_dict(d), indent=2, ensure_ascii=False, default=str)
    return "  " + text.replace("\n", "\n  ")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    kinds = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for d in diagnostics:
        props = (
            f"file={_escape_property(prefix + d.path)},line={d.start.line},col={d.start.column},"
            f"endLine={d.end.line},endColumn={d.end.column},"
            f"title={_escape_property(f'{d.code} {d.rule}')}"
        )
        lines.append(f"::{kinds[d.severity]} {props}::{_escape_data(d.message)}")
    return "\n".join(lines)


def format_sarif(diagnostics: Sequence[Diagnostic], rules: Sequence[Rule], prefix: str = "") -> str:
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    index = {rule.META.code: i for i, rule in enumerate(rules)}
    driver_rules = [
        {
            "id": rule.META.code,
            "name": rule.META.name,
            "shortDescription": {"text": rule.META.summary},
            "fullDescription": {"text": (rule.__doc__ or rule.META.summary).strip()},
            "defaultConfiguration": {"level": levels[rule.META.severity]},
        }
        for rule in rules
    ]
    results = []
    for d in diagnostics:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": levels[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": quote(prefix + d.path),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {
                            "startLine": d.start.line,
                            "startColumn": d.start.column,
                            "endLine": d.end.line,
                            "endColumn": d.end.column,
                        },
                    }
                }
            ],
            "partialFingerprints": {"vaultlint/v1": d.fingerprint()},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vaultlint",
                        "version": __version__,
                        "informationUri": "https://github.com/vaultlint/vaultlint",
                        "rules": driver_rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)


def format_gitlab(diagnostics: Sequence[Diagnostic], prefix: str = "") -> str:
    severities = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
    items = [
        {
            "description": f"{d.code} [{d.rule}] {d.message}",
            "check_name": d.rule,
            "fingerprint": d.fingerprint(),
            "severity": severities[d.severity],
            "location": {"path": prefix + d.path, "lines": {"begin": d.start.line}},
        }
        for d in diagnostics
    ]
    return json.dumps(items, indent=2, ensure_ascii=False)
