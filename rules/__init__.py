"""The built-in rules, in a fixed order. A new rule is a module here plus a line below."""

from __future__ import annotations

from types import ModuleType

from . import (
    ambiguous_wikilink,
    broken_block_link,
    broken_embed,
    broken_heading_link,
    broken_markdown_link,
    broken_wikilink,
    frontmatter_tags_format,
    grammar,
    invalid_frontmatter,
    missing_title,
    orphan_note,
    repeated_word,
    stale_tag,
    title_mismatch,
    typo,
    unknown_word,
    unreadable_note,
)

BUILTIN_RULES: tuple[ModuleType, ...] = (
    unreadable_note,
    invalid_frontmatter,
    broken_wikilink,
    broken_embed,
    broken_heading_link,
    broken_block_link,
    ambiguous_wikilink,
    broken_markdown_link,
    orphan_note,
    missing_title,
    title_mismatch,
    frontmatter_tags_format,
    stale_tag,
    typo,
    unknown_word,
    repeated_word,
    grammar,
)
