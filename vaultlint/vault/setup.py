"""What the vault is set up with, as rules read it from ``VaultView.setup``: the publisher that
builds it into a site and Obsidian's templates folders (found on disk by
``vaultlint.disk.publishing``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Publisher:
    """A publishing pipeline found next to the vault, and what it means for the linter."""

    name: str  # "jekyll", "quartz", "hugo", "mkdocs", "eleventy", "obsidian-publish"
    evidence: str  # the file that told, as shown to the user ("_config.yml")
    site_paths: bool  # a Markdown link starting with "/" is a URL of the site, not a vault path
    needs_titles: bool  # a page without title: is untitled on the site (no file-name fallback)
    resolve_by: str  # the resolve-by profile that matches how it resolves [[links]]


@dataclass(frozen=True, slots=True)
class Setup:
    """Facts about the vault's setup that change what a rule should report."""

    publisher: Publisher | None = None
    templates: tuple[str, ...] = ()  # Obsidian's templates folders, "folder/" each
