"""A property-based fuzzer of ``check --fix --unsafe-fixes`` (issue 21).

Hostile notes (odd YAML, comments, HTML, links, fences, line endings, BOM, no final newline)
go through the real command; an oracle of its own (ruamel.yaml, where vaultlint reads with
PyYAML; its own frontmatter split) checks every promise of the README's fix section: exit 0
or 1 and no traceback; a note with invalid frontmatter or mixed line endings never written;
BOM, line endings, final newline and mode kept; the other properties equal; the body changed
only by the documented edits; a second ``--fix`` changes nothing.

A short fixed-seed run is part of the suite; ``VAULTLINT_FUZZ_EXAMPLES=5000`` runs a long one
(random examples), and ``VAULTLINT_FUZZ_LOG=file`` writes every failure there instead of
stopping at the first.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor

from vaultlint.cli.main import main

EXAMPLES = int(os.environ.get("VAULTLINT_FUZZ_EXAMPLES", "0"))
LOG = os.environ.get("VAULTLINT_FUZZ_LOG")  # with it, failures are logged, not raised
NOTES_PER_VAULT = 4
BOM = b"\xef\xbb\xbf"
WATCHED = "afairepousser"

CONFIG = "select: [ALL]\nrules:\n  stale-tag:\n    migrate: {Afairepousser: [wip, to_update]}\n"
FIXED_NOTES = {
    "Gardening.md": "---\ntitle: Gardening\n---\n## The beginning\nSoil. ^soil\n",
    "Other.md": "## The begining\nText.\n",
    "Garden#ing.md": "x\n",
    " Lead.md": "x\n",
    "img.png": "not an image",
}

# -- what a note is made of ----------------------------------------------------------------

PROPERTIES = [
    "title: x",
    "title: 2022-04-12",
    "title: 'it''s'",
    'title: "[[Gardenin]]"',
    "tags: [a, b]",
    "tags:\n  - a\n  - Afairepousser",
    "tags:\n- wip",
    "tags: #a",
    "tags: a b",
    "tag: x",
    "tags: Afairepousser",
    "aliases: [A, B]",
    "base: &anchor\n  k: v",
    "copy: *anchor",
    "merged:\n  <<: *anchor\n  j: w",
    "s: !!str 12",
    "when: 2024-01-02",
    "bad: 2024-13-45",
    "desc: |\n  block\n  scalar",
    "folded: >-\n  a\n  b",
    '"quoted key": 1',
    "ключ: значение",
    "clé: été",
    'link: "[[Gardenin]]"',
    'links: ["[[Gardening]]", "[[Nope]]"]',
    "# a comment",
    "n: null",
    "empty:",
    "flow: [1, {a: b}, [c]]",
    "yes: no",
    "lang: en",
    "lang: ../../../tmp/x",
    "k: v # trailing comment",
    "lst:\n  - a\n  -  b\n  # c\n  - d",
    "tab:\tvalue",
]
BROKEN_PROPERTIES = [
    "k: 1\nk: 2",
    "k:\n\t- a",
    "k: [unclosed",
    "- a\n- b",
    "just text",
    "k: v: w",
    "a: *undefined",
    "k: 'open",
    "!!python/object:os.system x: 1",
    "t: !custom x",
]
BODY = [
    "I will go accross the street.",
    "The begining of it.",
    "## The begining",
    "# Heading accross",
    "Read [[Gardenin]] and [[Gardening#The beginin]].",
    "See [[Gardenin|the garden]] or [[Other#The begining]].",
    "A [link](Gardenin.md) and [text #Afairepousser](https://x).",
    "![[img.pgn]] ![[img.png]]",
    "[[Garden#ing]] [[Lead]] [[Leed]]",
    "```\n#Afairepousser accross [[Gardenin]]\n```",
    "    indented accross code",
    "> [!note] accross\n> #Afairepousser",
    "| a | b |\n|---|---|\n| accross | [[Gardenin\\|x]] |",
    "<pre>\n#Afairepousser accross\n</pre>",
    "<!-- accross #Afairepousser [[Gardenin]] -->",
    "%% accross #Afairepousser %%",
    "%%\nblock comment accross\n%%",
    "<span>#Afairepousser</span> <div>accross</div>",
    "</div> closing tag accross",
    "#Afairepousser",
    "#Afairepousser - a seedling",
    "Text #Afairepousser more text",
    "#tag #Afairepousser/sub",
    "---",
    "***",
    "Block ^abc-1",
    "$$\naccross\n$$ and $accross$",
    "Unicode: café, naïve, 日本語の文章, emoji 🌱",
    "\ttabbed\tline\t",
    "trailing spaces   ",
    "...",
    "",
    "definately recieve parmis suffisament",
    "`inline accross` code",
    "[^1] footnote\n\n[^1]: accross",
]


@st.composite
def notes(draw: Any) -> bytes:
    kind = draw(st.sampled_from(["none", "valid", "valid", "broken", "empty", "late", "open"]))
    lines: list[str] = []
    if kind in ("valid", "broken", "late"):
        chosen = draw(st.lists(st.sampled_from(PROPERTIES), max_size=5))
        if kind == "broken":
            at = draw(st.integers(0, len(chosen)))
            chosen.insert(at, draw(st.sampled_from(BROKEN_PROPERTIES)))
        closing = draw(st.sampled_from(["---", "---", "--- ", "..."]))
        block = ["---", *chosen, closing]
        lines += ([""] if kind == "late" else []) + block
    elif kind == "empty":
        lines += ["---", "---"]
    elif kind == "open":
        lines += ["---", draw(st.sampled_from(PROPERTIES))]
    lines += draw(st.lists(st.sampled_from(BODY), max_size=8))
    text = "\n".join(lines)
    ending = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "mixed"]))
    if ending == "mixed":
        parts = text.split("\n")
        text = "".join(p + draw(st.sampled_from(["\n", "\r\n"])) for p in parts[:-1]) + parts[-1]
    else:
        text = text.replace("\n", ending)
    if draw(st.booleans()):
        text += "\n" if ending == "mixed" else ending
    data = text.encode("utf-8")
    return BOM + data if draw(st.integers(0, 4)) == 0 else data


# -- the oracle ------------------------------------------------------------------------------


class _Lenient(SafeConstructor):
    """An impossible date (``2024-13-45``) is text, as the README says, not an error."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_Lenient.add_constructor("tag:yaml.org,2002:timestamp", _Lenient.construct_yaml_timestamp)
_YAML = YAML(typ="safe", pure=True)
_YAML.Constructor = _Lenient
_OPENING = re.compile(r"---[ \t]*")


class Invalid(Exception):
    pass


def decode(data: bytes) -> str:
    return data.removeprefix(BOM).decode("utf-8")


def newline_kind(data: bytes) -> str:
    crlf = data.count(b"\r\n")
    cr, lf = data.count(b"\r") - crlf, data.count(b"\n") - crlf
    if cr or (crlf and lf):
        return "mixed"
    return "crlf" if crlf else "lf"


def split_note(text: str) -> tuple[str | None, str]:
    """(the frontmatter's YAML or None, the body), by the README's definition."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not _OPENING.fullmatch(lines[0]) or len(lines) < 2:
        return None, text
    for i in range(1, len(lines)):
        if _OPENING.fullmatch(lines[i]):
            # each YAML line keeps its line break: a block scalar last ends with one
            return "".join(line + "\n" for line in lines[1:i]), "\n".join(lines[i + 1 :])
    return None, text


def properties(text: str) -> dict[Any, Any]:
    """The note's properties; Invalid when its frontmatter is not a valid YAML mapping."""
    source, _ = split_note(text)
    if source is None or not source.strip():
        return {}
    try:
        data = _YAML.load(io.StringIO(source))
    except Exception as exc:
        # YAML 1.2 allows a tab as separation after "key:" (libyaml and Obsidian read it);
        # ruamel's pure parser does not: ask it again with a space there
        try:
            data = _YAML.load(
                io.StringIO(re.sub(r"^([^\s#][^:\n]*):\t", r"\1: ", source, flags=re.M))
            )
        except Exception:
            raise Invalid(str(exc)) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Invalid("not a mapping")
    return data


CHANGEABLE = {"title", "tags", "tag"}  # the properties fixes write
_RULE = re.compile(r"\s*(?:---|\*\*\*|___)\s*")


def _explained(before: str, after: str) -> bool:
    """Whether a body change is one of the documented edits."""
    if not before.strip() and not after.strip():
        return True  # the line breaks around a removed tag
    if WATCHED in before.lower():  # migrate: the tag goes, with its separator or rule
        return set(after.split()) <= set(before.split())
    if _RULE.fullmatch(before) and not after.strip():
        return True
    return "[[" in before or "](" in before or "[[" in after  # a link pointed elsewhere


def _corrections() -> dict[str, str]:
    """The curated typo pairs (data, read here without vaultlint's code)."""
    pairs: dict[str, str] = {}
    for lang in ("en", "fr"):
        path = (
            Path(__file__).parent.parent
            / "vaultlint"
            / "spelling"
            / "data"
            / f"corrections-{lang}.txt"
        )
        for line in path.read_text("utf-8").splitlines():
            line = line.split("#", 1)[0]
            if "->" in line:
                wrong, right = (part.strip() for part in line.split("->", 1))
                pairs[wrong] = right
    return pairs


CORRECTIONS = _corrections()
_WORDS = re.compile(r"[^\W\d_]+")


def _corrected(text: str) -> str:
    """``text`` with every curated misspelling corrected: typo fixes leave no difference."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        right = CORRECTIONS.get(word) or CORRECTIONS.get(word.lower())
        if right is None:
            return word
        return right[0].upper() + right[1:] if word[0].isupper() else right

    return _WORDS.sub(fix, text)


def body_changes(before: str, after: str) -> list[tuple[str, str]]:
    """The edits from ``before`` to ``after``, typo fixes from the curated lists aside."""
    from difflib import SequenceMatcher

    tokens = re.compile(r"\s+|[^\s]+")
    a, b = tokens.findall(_corrected(before)), tokens.findall(_corrected(after))
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [
        ("".join(a[i1:i2]), "".join(b[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def check_note(name: str, old: bytes, new: bytes, old_mode: int, new_mode: int) -> list[str]:
    """What the fix broke in one note (empty: nothing)."""
    if new == old:
        return []
    problems: list[str] = []
    text = decode(old)
    try:
        before = properties(text)
    except Invalid:
        return [f"{name}: invalid frontmatter, rewritten"]
    if newline_kind(old) == "mixed":
        return [f"{name}: mixed line endings, rewritten"]
    if old.startswith(BOM) != new.startswith(BOM):
        problems.append(f"{name}: BOM not kept")
    if newline_kind(new) != newline_kind(old):
        problems.append(f"{name}: line endings {newline_kind(old)} became {newline_kind(new)}")
    ends = old.endswith((b"\n", b"\r")), new.endswith((b"\n", b"\r"))
    if ends[0] != ends[1] and text:  # an empty note has no last line to keep
        problems.append(f"{name}: final newline presence not kept")
    if old_mode != new_mode:
        problems.append(f"{name}: mode {old_mode:o} became {new_mode:o}")
    try:
        after = properties(decode(new))
    except Invalid as exc:
        return [*problems, f"{name}: the fix made the frontmatter invalid ({exc})"]
    for key, value in before.items():
        if key in CHANGEABLE or "[[" in repr(value):
            continue
        if key not in after or after[key] != value:
            problems.append(f"{name}: property {key!r} changed")
    extra = set(after) - set(before) - CHANGEABLE
    if extra:
        problems.append(f"{name}: new properties {sorted(map(str, extra))}")
    old_body, new_body = split_note(text)[1], split_note(decode(new))[1]
    for was, now in body_changes(old_body, new_body):
        if not _explained(was, now):
            problems.append(f"{name}: undocumented body edit {was!r} -> {now!r}")
    return problems


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mode & 0o7777)
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".obsidian" not in p.parts
    }


def fix(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["check", str(root), "--fix", "--unsafe-fixes", "--no-cache", "-q"]
    )
    problems = []
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        problems.append(f"traceback: {result.exception!r}")
    if result.exit_code not in (0, 1):
        problems.append(f"exit {result.exit_code}: {result.stderr.strip()[:300]}")
    return result.exit_code, "\n".join(problems)


def run_example(generated: list[tuple[bytes, int]]) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="vaultlint-fuzz-") as folder:
        root = Path(folder)
        (root / ".obsidian").mkdir()
        (root / ".vaultlint.yaml").write_text(CONFIG)
        for name, text in FIXED_NOTES.items():
            (root / name).write_text(text)
        for i, (data, mode) in enumerate(generated):
            path = root / f"n{i}.md"
            path.write_bytes(data)
            path.chmod(mode)
        before = snapshot(root)
        _, crash = fix(root)
        problems = [crash] if crash else []
        after = snapshot(root)
        for name, (old, old_mode) in before.items():
            new, new_mode = after.get(name, (b"", 0))
            problems += check_note(name, old, new, old_mode, new_mode)
        if set(after) != set(before):
            problems.append(f"files appeared or vanished: {sorted(set(after) ^ set(before))}")
        _, crash = fix(root)
        if crash:
            problems.append(crash)
        again = snapshot(root)
        problems += [f"{n}: a second --fix changed it" for n in after if again.get(n) != after[n]]
        return problems


MODES = st.sampled_from([0o644, 0o600, 0o664, 0o640, 0o755])


@settings(
    max_examples=EXAMPLES or 25,
    phases=(Phase.generate,) if LOG else tuple(Phase),
    deadline=None,
    derandomize=not EXAMPLES,  # the suite's run: the same examples each time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(st.lists(st.tuples(notes(), MODES), min_size=1, max_size=NOTES_PER_VAULT))
def test_fix_keeps_every_promise(generated: list[tuple[bytes, int]]) -> None:
    problems = run_example(generated)
    if LOG and problems:  # a survey: every failure written down, the run goes on
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(repr(generated) + "\n" + "".join(f"  {p}\n" for p in problems))
        return
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        (b"---\nk: 1\nk: 2\n---\nx\n", b"---\nk: 1\nk: 2\n---\ny\n", "invalid frontmatter"),
        (b"a\r\nb", b"a\r\nb\r\n", "final newline"),
        (b"\xef\xbb\xbfa\n", b"a\n", "BOM"),
        (b"---\nk: 1\nj: 2\n---\n", b"---\nk: 2\nj: 2\n---\n", "property 'k'"),
        (b"one two\n", b"one three four\n", "undocumented body edit"),
        (b"one two\n", b"one three\n", "undocumented body edit"),
        (b"---\nd: |\n  a\n---\n", b"---\nd: |-\n  a\n---\n", "property 'd'"),
        (b"a\r\nb\r\n", b"a\nb\n", "line endings"),
    ],
)
def test_the_oracle_sees_each_broken_promise(old: bytes, new: bytes, found: str) -> None:
    assert any(found in p for p in check_note("n.md", old, new, 0o644, 0o644))


def test_the_oracle_accepts_the_documented_edits() -> None:
    old = b"---\ntag: x\nk: [1]\n---\nI go accross.\n#Afairepousser\n"
    new = b"---\ntags: [x, wip]\nk: [1]\ntitle: n\n---\nI go across.\n"
    assert check_note("n.md", old, new, 0o644, 0o644) == []
