"""What the link rules share: checking one link against the vault, "did you mean", fixes."""

from __future__ import annotations

import enum
import fnmatch
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from vaultlint.engine.rule import RuleOptions
from vaultlint.model.fix import Edit, Fix, Safety, Violation
from vaultlint.model.note import Link, LinkKind, Note, without_md
from vaultlint.vault.index import Resolution, fold, normalize_heading
from vaultlint.vault.view import Vault

RESOLVE_BY = ("path", "title", "aliases", "loose-name")
# resolve-by profiles: how a publisher resolves the links Obsidian leaves unresolved
PROFILES = {
    "obsidian": ("path",),
    # Obsidian Publish: names first, then aliases (the whole linkpath, then its file name)
    "obsidian-publish": ("path", "aliases"),
    # the Jekyll digital-garden template: titles, aliases and loosely written names too
    "jekyll-garden": ("path", "title", "aliases", "loose-name"),
}


@dataclass(frozen=True)
class LinkOptions(RuleOptions):
    ignore_targets: tuple[str, ...] = ()  # globs of linkpaths left unwritten on purpose
    # ways (and profiles, see PROFILES) to resolve a link after Obsidian's own resolution
    resolve_by: tuple[str, ...] = ("path",)
    ignore_in_comments: bool = False  # links inside %% comments (Obsidian indexes them)
    check_html_comments: bool = False  # links inside <!-- --> (Obsidian: unverified)
    suggest: bool = True  # look for a close existing target ("did you mean")

    def __post_init__(self) -> None:
        ways: list[str] = []
        for way in self.resolve_by:
            if way not in RESOLVE_BY and way not in PROFILES:
                choices = ", ".join((*RESOLVE_BY, *PROFILES))
                raise ValueError(f"resolve-by: {way!r} is not one of {choices}")
            for one in PROFILES.get(way, (way,)):
                if one not in ways:
                    ways.append(one)
        if "path" not in ways:
            ways.insert(0, "path")  # Obsidian's own resolution always comes first
        object.__setattr__(self, "resolve_by", tuple(ways))


class Verdict(enum.Enum):
    OK = "ok"
    SKIPPED = "skipped"  # ignored target, comment, or nothing can be known
    NO_FILE = "no-file"
    NO_HEADING = "no-heading"
    NO_BLOCK = "no-block"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class LinkCheck:
    verdict: Verdict
    resolution: Resolution | None = None


def loose(text: str) -> str:
    """Key under which near-identical names meet: case, accents, apostrophes, _ and -."""
    return " ".join(_loosened(text).split())


def loose_lines(text: str) -> str:
    """``loose`` of each line of ``text``, in one pass (a newline is left alone by every step)."""
    folded = _loose_marks(_unaccented(text).casefold())
    return "\n".join(" ".join(line.split()) for line in folded.split("\n"))


def _loose_marks(text: str) -> str:
    # four replace() calls, not translate(): on a non-ASCII string translate looks each
    # character up in a dict, which costs far more than four scans
    return text.replace("’", "'").replace("‘", "'").replace("_", " ").replace("-", " ")


def _loosened(text: str) -> str:
    return _loose_marks(_unaccented(text).casefold())


def _unaccented(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    if not text.isascii():  # only the non-ASCII characters can be combining marks
        text = _LATIN_MARKS.sub("", text)  # most accents: no Python call per character
        if not text.isascii():
            text = _NON_ASCII.sub(_unless_combining, text)
    return text


# the Combining Diacritical Marks block, but U+034F (grapheme joiner: combining class 0)
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _unless_combining(match: re.Match[str]) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


def check_link(link: Link, note: Note, vault: Vault, options: LinkOptions) -> LinkCheck:
    """The verdict on one link; six rules ask about the same links, so it is computed once."""
    names = vault.lookups.setdefault("links.option-keys", {})
    known = names.get(id(options))
    if known is None or known[0] is not options:  # (an id may be reused in another process)
        # rules with equal link options share their verdicts
        known = names[id(options)] = (options, LinkOptions.__repr__(options))
    same_options = known[1]
    # one slot per option set: the link rules check a note one after the other, and a slot
    # per note would keep every note of the vault alive
    key = ("links.check", same_options)
    memo: tuple[Note, dict[int, LinkCheck]] | None = vault.lookups.get(key)
    if memo is None or memo[0] is not note:
        memo = vault.lookups[key] = (note, {})
    found: LinkCheck | None = memo[1].get(link.span.start)
    if found is None:
        found = memo[1][link.span.start] = _check_link(link, note, vault, options)
    return found


def _check_link(link: Link, note: Note, vault: Vault, options: LinkOptions) -> LinkCheck:
    if link.comment == "%%" and options.ignore_in_comments:
        return LinkCheck(Verdict.SKIPPED)
    if link.comment == "html" and not options.check_html_comments:
        return LinkCheck(Verdict.SKIPPED)
    if link.target and _ignored(link.target, options.ignore_targets):
        return LinkCheck(Verdict.SKIPPED)
    resolution = _resolve(link, note, vault, options)
    if resolution.path is None:
        return LinkCheck(Verdict.NO_FILE, resolution)
    if resolution.ambiguous:
        return LinkCheck(Verdict.AMBIGUOUS, resolution)
    if not link.subpath or not resolution.path.lower().endswith(".md"):
        return LinkCheck(Verdict.OK, resolution)  # #page=3 on a PDF, #css-hook on an image
    found = vault.index.subpath_found(resolution.path, link.subpath)
    if found is None or found:
        return LinkCheck(Verdict.OK, resolution)
    verdict = Verdict.NO_BLOCK if link.subpath.startswith("^") else Verdict.NO_HEADING
    return LinkCheck(verdict, resolution)


def _ignored(target: str, patterns: tuple[str, ...]) -> bool:
    folded = fold(target)
    return any(fnmatch.fnmatchcase(folded, fold(p)) for p in patterns)


def _resolve(link: Link, note: Note, vault: Vault, options: LinkOptions) -> Resolution:
    # a Markdown destination goes through the same resolver as a wikilink (spec §2.1, M3)
    target = link.target
    resolution = vault.index.resolve(target, note.path)
    if resolution.path is not None or len(options.resolve_by) <= 1:
        return resolution
    alternates = _alternates(vault)
    for way in options.resolve_by:
        for key in _way_keys(way, target):
            path = alternates.get(way, {}).get(key)
            if path is not None:
                return Resolution(path)
    return resolution


def alternate_paths(vault: Vault, target: str) -> set[str]:
    """Every file a ``resolve-by`` way other than ``path`` may resolve ``target`` to, whatever
    the options: what the findings on a note with a link Obsidian resolves to nothing may read
    (``vaultlint.run.reuse``)."""
    return {path for path in fallbacks(target, vault) if path is not None}


def _way_keys(way: str, target: str) -> list[str]:
    """The keys ``target`` is looked up by in the map of ``way`` (``_alternates``)."""
    if way == "loose-name":
        return [loose(target)]
    if way == "aliases":  # Obsidian Publish: the whole linkpath, then its file name
        return [fold(target), fold(target.rstrip("/").rsplit("/", 1)[-1])]
    return [fold(target)]


def _alternates(vault: Vault) -> dict[str, dict[str, str]]:
    """Titles, aliases and loose names, each to the note (file) it resolves to: the same maps
    whichever ways the options take."""
    memo_key = "links.alternates"
    found: dict[str, dict[str, str]] | None = vault.lookups.get(memo_key)
    if found is not None:
        return found
    maps: dict[str, dict[str, str]] = {"title": {}, "aliases": {}, "loose-name": {}}
    for path in sorted(vault.summaries):
        summary = vault.summaries[path]
        if summary.title is not None:
            maps["title"].setdefault(fold(summary.title), path)
        for alias in summary.aliases:
            maps["aliases"].setdefault(fold(alias), path)
    for path in vault.index.all_paths():
        stem = path.rsplit("/", 1)[-1]
        stem = without_md(stem)
        maps["loose-name"].setdefault(loose(stem), path)
    vault.lookups[memo_key] = maps
    return maps


def fallbacks(target: str, vault: Vault) -> tuple[str | None, ...]:
    """Where each ``resolve-by`` fallback would take a link to ``target`` that resolves to no
    file (every fallback and key, whatever a rule's options)."""
    maps = _alternates(vault)
    return tuple(maps[way].get(key) for way in RESOLVE_BY[1:] for key in _way_keys(way, target))


# -- did you mean ----------------------------------------------------------------------------


def _name_choices(vault: Vault) -> tuple[dict[str, list[str]], dict[int, list[str]]]:
    """Loose note names, and the same bucketed by length: a 88% match differs little in length."""
    found: tuple[dict[str, list[str]], dict[int, list[str]]] | None = vault.lookups.get(
        "links.names"
    )
    if found is None:
        by_loose: dict[str, list[str]] = {}
        paths = vault.index.all_paths()
        joined = "\n".join(paths)
        if joined.count("\n") == len(paths) - 1:  # one pass over all names, cut by regexes
            keys = loose_lines(_EXTENSION.sub("", _FOLDERS.sub("", joined))).split("\n")
        else:  # no paths, or a file name holding a newline (POSIX allows it)
            keys = [_name_key(path) for path in paths]
        for path, key in zip(paths, keys, strict=True):
            by_loose.setdefault(key, []).append(path)
        by_length: dict[int, list[str]] = {}
        for key in by_loose:
            by_length.setdefault(len(key), []).append(key)
        found = (by_loose, by_length)
        vault.lookups["links.names"] = found
    return found


_FOLDERS = re.compile(r"^[^\n]*/", re.MULTILINE)
_EXTENSION = re.compile(r"\.md$", re.MULTILINE | re.IGNORECASE)


def suggest_file(target: str, vault: Vault) -> str | None:
    """The vault path of the note most likely meant by an unresolved ``target``."""
    if not target:
        return None
    memo = vault.lookups.setdefault("links.suggestions", {})
    if target not in memo:
        memo[target] = _suggest_file(target, vault)
    found: str | None = memo[target]
    return found


def _suggest_file(target: str, vault: Vault) -> str | None:
    by_loose, by_length = _name_choices(vault)
    is_attachment = _looks_like_attachment(target)
    wanted = _name_key(target)
    paths = by_loose.get(wanted)
    if paths is None and len(wanted) >= 4:
        keys = _near_lengths(vault, by_length, len(wanted))
        from rapidfuzz import fuzz, process  # only when a name needs a suggestion

        match = process.extractOne(wanted, keys, scorer=fuzz.ratio, score_cutoff=88)
        if match is not None:
            paths = by_loose[match[0]]
    paths = [p for p in paths or () if linkable(p)]  # never "did you mean" a dead link
    if not paths:
        return None
    paths = [p for p in paths if is_attachment != p.lower().endswith(".md")] or paths
    return sorted(paths, key=lambda p: (len(p), p))[0]


def suggestion_kept(
    target: str, old: str | None, added: Iterable[str], removed: Iterable[str]
) -> bool:
    """Whether ``suggest_file(target)`` is still ``old`` once the vault's files changed by
    ``added`` and ``removed``: no file that could be offered came, and neither the offered
    file nor one named like it or like the target went. (A file that came could win a tie
    or beat the match; one that went and was not the match changes nothing.)"""
    wanted = _name_key(target)
    old_key = _name_key(old) if old is not None else None
    for path in removed:
        if path == old or _name_key(path) in (wanted, old_key):
            return False
    keys = [_name_key(path) for path in added]
    if wanted in keys:
        return False
    if len(wanted) >= 4 and keys:
        from rapidfuzz import fuzz, process

        if process.extractOne(wanted, keys, scorer=fuzz.ratio, score_cutoff=88) is not None:
            return False
    return True


def _name_key(path: str) -> str:
    """A file's name as "did you mean" compares names (``_name_choices``)."""
    return loose(without_md(path.rsplit("/", 1)[-1]))


# A name holding one of these cannot be written in a link: "#" and "^" start a subpath, "|"
# the display text, brackets end or nest the link; Obsidian strips spaces around a target.
_UNLINKABLE = re.compile(r"[#|^\[\]\n\r]|(?:^|/)\s|\s(?:/|$)")


def linkable(path: str) -> bool:
    """Whether a link can be written to the vault path ``path``."""
    return _UNLINKABLE.search(path.removesuffix(".md")) is None


def _near_lengths(vault: Vault, by_length: dict[int, list[str]], size: int) -> list[str]:
    """The names whose length a close match can have (one list per length, made once).

    ``fuzz.ratio`` is 200 * LCS / (m + n), and LCS <= min(m, n): a ratio of 88 needs
    200 * min(m, n) >= 88 * (m + n), i.e. 11/14 of ``size`` <= n <= 14/11 of ``size``
    (in integers, exactly; a longer name may differ more in length than a shorter one)."""
    memo = vault.lookups.setdefault("links.near-lengths", {})
    found: list[str] | None = memo.get(size)
    if found is None:
        shortest, longest = -(-11 * size // 14), 14 * size // 11
        found = [k for n in range(shortest, longest + 1) for k in by_length.get(n, ())]
        memo[size] = found
    return found


def suggest_heading(wanted: str, headings: list[str]) -> str | None:
    if not headings:
        return None
    normalized = {normalize_heading(h): h for h in reversed(headings)}
    key = normalize_heading(wanted)
    by_loose = {loose(k): h for k, h in normalized.items()}
    if loose(key) in by_loose:
        return by_loose[loose(key)]
    from rapidfuzz import fuzz, process

    match = process.extractOne(key, list(normalized), scorer=fuzz.ratio, score_cutoff=80)
    return normalized[match[0]] if match is not None else None


def linktext_for(path: str, vault: Vault) -> str:
    """How Obsidian's "shortest" format writes a link to ``path``."""
    name = path.rsplit("/", 1)[-1]
    stem = without_md(name)
    stems: dict[str, int] | None = vault.lookups.get("links.stems")
    if stems is None:
        stems = {}
        for other in vault.index.all_paths():
            other_stem = fold(other.rsplit("/", 1)[-1]).removesuffix(".md")
            stems[other_stem] = stems.get(other_stem, 0) + 1
        vault.lookups["links.stems"] = stems
    if stems.get(fold(stem), 0) <= 1:
        return stem
    return without_md(path)


def retarget_fix(link: Link, new_target: str, title: str) -> Fix | None:
    """Unsafe fix: point ``link`` at ``new_target``, keeping what the reader sees."""
    start, end = link.target_span.start, link.target_span.end
    if link.kind in (LinkKind.MARKDOWN, LinkKind.MARKDOWN_EMBED):
        if new_target.lower().endswith(".md") is False and link.target.lower().endswith(".md"):
            new_target += ".md"
        return Fix(title, (Edit(start, end, quote(new_target, safe="/#")),), Safety.UNSAFE)
    if link.kind is LinkKind.FRONTMATTER and re.search(r"[\"'\\]", new_target):
        return None
    edits = [Edit(start, end, new_target)]
    if link.display is None and link.kind in (LinkKind.WIKILINK, LinkKind.FRONTMATTER):
        close = link.span.end - 2
        edits.append(Edit(close, close, "|" + link.raw[2:-2].strip()))
    return Fix(title, tuple(edits), Safety.UNSAFE)


def quoted(link: Link) -> str:
    return link.raw if len(link.raw) <= 120 else link.raw[:117] + "..."


# Obsidian's accepted file formats (spec §6.4): what a link with one of these endings points at.
ATTACHMENT_EXTENSIONS = frozenset(
    [
        "avif",
        "bmp",
        "gif",
        "jpeg",
        "jpg",
        "png",
        "svg",
        "webp",
        "flac",
        "m4a",
        "mp3",
        "ogg",
        "wav",
        "webm",
        "3gp",
        "mkv",
        "mov",
        "mp4",
        "ogv",
        "pdf",
        "canvas",
        "base",
    ]
)


def _looks_like_attachment(target: str) -> bool:
    extension = target.rsplit(".", 1)[-1].lower() if "." in target else ""
    return extension in ATTACHMENT_EXTENSIONS


def missing_file(link: Link, vault: Vault, options: LinkOptions, what: str) -> Violation:
    """The violation for a link whose target resolves to no file, with "did you mean"."""
    target = link.target
    if _looks_like_attachment(target):
        looked = f'no file named "{target}"'
    elif "/" in target:
        looked = f'no note at "{target}"'
    else:
        looked = f'no note named "{target}"'
    message = f'unresolved {what} "{quoted(link)}": {looked}'
    suggestion = suggest_file(target, vault) if options.suggest else None
    fix = None
    if suggestion is not None:
        written = linktext_for(suggestion, vault)
        if link.kind in (LinkKind.MARKDOWN, LinkKind.MARKDOWN_EMBED):
            written = suggestion
        message += f' (did you mean "{written}"?)'
        fix = retarget_fix(link, written, f'Link to "{written}"')
    return Violation(link.span, message, fix)


def missing_subpath(link: Link, vault: Vault, target_path: str, note: Note) -> Violation:
    """The violation for ``#heading`` or ``#^block`` absent from an existing note."""
    shown = "this note" if not link.target else f'"{target_path}"'
    targets = vault.index.targets.get(target_path)
    if link.subpath.startswith("^"):
        message = f'unresolved block "{quoted(link)}": no block "^{link.block_id}" in {shown}'
        return Violation(link.span, message)
    last = [s for s in link.subpath.split("#") if s.strip()][-1].strip()
    message = f'unresolved heading "{quoted(link)}": no heading "{last}" in {shown}'
    suggestion = suggest_heading(last, targets.headings if targets else [])
    if suggestion is not None:
        message += f' (did you mean "#{suggestion}"?)'
    return Violation(link.span, message)
