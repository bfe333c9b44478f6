"""``vaultlint init``: a starter config fitted to the vault, every line explained."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from .config import Config
from .language import LANGUAGES, language_of_note
from .loader import list_vault, read_notes


def _generated_folders(root: Path) -> list[str]:
    """Top-level folders that hold a built site (HTML files): not notes to lint."""
    found = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.name.startswith((".", "_")) or not entry.is_dir():
            continue
        for _, _, files in os.walk(entry.path):
            if any(f.endswith(".html") for f in files):
                found.append(entry.name + "/")
                break
    return found


def starter_config(root: Path) -> str:
    files = list_vault(root, Config())
    notes = read_notes(root, files.notes, Config().max_file_size)
    readable = [n for n in notes.values() if n.read_error is None]
    with_title = sum(1 for n in readable if "title" in n.data)
    uses_titles = bool(readable) and with_title / len(readable) >= 0.3
    excluded = _generated_folders(root)
    # Each note's language is detected at every run: the config records none (a vault-wide
    # "language: fr" would check its English notes as French), only what was seen.
    languages = Counter(
        language_of_note(n, LANGUAGES) or "too short to tell" for n in readable if n.text.strip()
    )
    seen = ", ".join(f"{lang} {count}" for lang, count in languages.most_common()) or "no notes"
    lines = [
        "# vaultlint configuration (https://github.com/vaultlint/vaultlint#configuration)",
        f"# Written by `vaultlint init` for {len(readable)} notes.",
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
        "# Rules to turn off (codes, names or prefixes such as VL1). `vaultlint rules` lists them.",
    ]
    if uses_titles or not readable:
        lines.append("ignore: []")
    else:
        share = f"{with_title}/{len(readable)}"
        lines += [
            "ignore:",
            f"  - missing-title  # only {share} notes have a title: property; Obsidian uses file names",
        ]
    lines += [
        "",
        "# Per-rule settings: severity (error, warning, info) and options (`vaultlint rule NAME`).",
        "rules:",
        "  broken-wikilink:",
        "    ignore-targets: []  # globs of notes you mean to write later",
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
