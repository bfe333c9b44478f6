"""``vaultlint init``: a starter config fitted to the vault, every line explained."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from vaultlint.disk.loader import list_vault, read_notes
from vaultlint.engine.config import Config
from vaultlint.engine.fit import MISSING_TITLE, Fitted, count_titles, fitted_defaults
from vaultlint.grammar.grammalecte import available as grammar_available
from vaultlint.spelling.language import LANGUAGES, language_of_note
from vaultlint.vault.setup import Publisher
from vaultlint.vault.summary import summarize


def _generated_folders(root: Path) -> list[str]:
    """Top-level folders that hold a built site (HTML files): not notes to lint."""
    found = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        try:  # a symlink loop or a dangling link: not a folder of generated files
            folder = entry.is_dir(follow_symlinks=False)
        except OSError:
            folder = False
        if entry.name.startswith((".", "_")) or not folder:
            continue
        for _, _, files in os.walk(entry.path):
            if any(f.endswith(".html") for f in files):
                found.append(entry.name + "/")
                break
    return found


def fitted_for(root: Path, config: Config) -> dict[str, Fitted]:
    """The defaults that fit the vault at ``root`` (see ``fit``), read from its notes."""
    files = list_vault(root, config)
    notes = read_notes(root, sorted(files.lintable), config.max_file_size)
    titled, readable = count_titles(summarize(n) for n in notes.values())
    return fitted_defaults(titled, readable, files.setup)


def starter_config(root: Path) -> str:
    files = list_vault(root, Config())
    notes = read_notes(root, sorted(files.lintable), Config().max_file_size)
    readable = [n for n in notes.values() if n.read_error is None]
    titled, counted = count_titles(summarize(n) for n in notes.values())
    title_rule = fitted_defaults(titled, counted, files.setup)[MISSING_TITLE]
    setup = files.setup
    publisher = setup.publisher
    excluded = _generated_folders(root)
    # Each note's language is detected at every run: the config records none (a vault-wide
    # "language: fr" would check its English notes as French), only what was seen.
    detected = Counter(language_of_note(n, LANGUAGES) for n in readable if n.text.strip())
    told = Counter({lang: count for lang, count in detected.items() if lang})
    language = told.most_common(1)[0][0] if told else ""
    seen = ", ".join(
        f"{lang or 'too short to tell'} {count}" for lang, count in detected.most_common()
    )
    seen = seen or "no notes"
    lines = [
        "# vaultlint configuration (https://github.com/vaultlint/vaultlint#configuration)",
        f"# Written by `vaultlint init` for {len(readable)} notes.",
    ]
    if publisher is not None:
        lines.append(f"# Published with {publisher.name} (found {publisher.evidence}).")
    lines += [
        "",
        "# Files not to lint (gitignore patterns). Links to them still resolve.",
    ]
    if excluded:
        lines.append("exclude:")
        lines += [
            f"  - {folder}  # holds generated HTML: a built site, not notes" for folder in excluded
        ]
    else:
        lines.append("exclude: []")
    lines += [
        "",
        "# Git-ignored notes are skipped too.",
        "respect-gitignore: true",
        "",
    ]
    if setup.templates:
        folders = ", ".join(setup.templates)
        lines.append(f"# Obsidian's templates ({folders}) are full of placeholders: not linted.")
    else:
        lines.append("# Notes in Obsidian's templates folder (none set) are not linted.")
    lines += [
        "lint-templates: false",
        "",
        "# Rules to turn off (codes, names or prefixes such as VL1). `vaultlint rules` lists them.",
    ]
    if title_rule.on or not readable:
        lines.append(f"ignore: []  # missing-title stays on: {title_rule.reason}")
    else:
        lines += ["ignore:", f"  - missing-title  # {title_rule.reason}; Obsidian uses file names"]
    if language == "fr" and grammar_available():
        lines += [
            "",
            "# Rules that are off by default, turned on here. grammar: French agreement and",
            "# conjugation with Grammalecte (GPL-3, found on this machine; not part of vaultlint).",
            "extend-select:",
            "  - grammar",
        ]
    lines += [
        "",
        "# Per-rule settings: severity (error, warning, info) and options (`vaultlint rule NAME`).",
        "rules:",
        "  broken-wikilink:",
        "    ignore-targets: []  # globs of notes you mean to write later",
    ]
    lines += _link_settings(publisher)
    lines += [
        "  typo:",
        f"    # each note's language is detected ({seen}); a note's lang: property wins",
        "    variety: both  # English spellings accepted: us, gb or both",
        "",
        "# Different settings for some folders, e.g. daily notes without titles:",
        "# per-path:",
        '#   "_daily/**":',
        "#     ignore: [missing-title]",
        "",
    ]
    return "\n".join(lines)


def _link_settings(publisher: Publisher | None) -> list[str]:
    """The resolve-by profile and site-path setting that match the publisher found."""
    if publisher is None:
        return [
            "    resolve-by: obsidian  # no publisher found: links as Obsidian resolves them",
        ]
    profile = publisher.resolve_by
    why = {
        "jekyll-garden": "the Jekyll garden also finds notes by title:, alias and loose name",
        "obsidian-publish": "Publish also finds notes by their aliases",
    }.get(profile, f"{publisher.name} resolves links as Obsidian does")
    lines = [f"    resolve-by: {profile}  # {why}"]
    if profile != "obsidian":
        lines += ["  broken-embed:", f"    resolve-by: {profile}"]
    lines += ["  broken-markdown-link:", f"    resolve-by: {profile}"]
    if publisher.site_paths:
        lines.append(
            f"    ignore-site-paths: true  # [x](/about) is a URL of the {publisher.name} site"
        )
    else:
        lines.append("    ignore-site-paths: false  # [x](/a.md) is a path from the vault root")
    return lines
