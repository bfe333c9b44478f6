"""What the vault is set up with, read from a few files: the publisher that builds it into a
site (a site generator's config, Obsidian Publish's settings) and Obsidian's templates folders.

The loader asks once per run; rules read the answer from ``Vault.setup`` (they do no I/O).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from vaultlint.vault.setup import Publisher, Setup

# (file names at the vault root or in the folder above it, publisher); the folder above
# counts because site generators keep their content in a subfolder (Quartz content/,
# MkDocs docs/, Hugo content/) that is opened as the vault.
_SITE_GENERATORS: tuple[tuple[tuple[str, ...], Publisher], ...] = (
    (
        ("_config.yml", "_config.yaml"),
        Publisher("jekyll", "", True, True, "jekyll-garden"),
    ),
    (
        ("quartz.config.ts", "quartz.config.js", "quartz.layout.ts"),
        Publisher("quartz", "", True, False, "obsidian"),
    ),
    (
        ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json"),
        Publisher("hugo", "", True, True, "obsidian"),
    ),
    (
        ("mkdocs.yml", "mkdocs.yaml"),
        Publisher("mkdocs", "", True, False, "obsidian"),
    ),
    (
        (".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs"),
        Publisher("eleventy", "", True, True, "obsidian"),
    ),
)


def watched_files(config_dir: str = ".obsidian") -> tuple[str, ...]:
    """The files (vault-relative) whose change may change ``detect_setup``'s answer, beyond
    the vault's own non-hidden files, which every cached answer watches already."""
    inside = [
        f"{config_dir}/{name}"
        for name in (
            "publish.json",
            "core-plugins.json",
            "templates.json",
            "plugins/templater-obsidian/data.json",
        )
    ]
    generators = [name for names, _ in _SITE_GENERATORS for name in names]
    hidden = [name for name in generators if name.startswith(".")]
    return (*inside, *hidden, *(f"../{name}" for name in generators))


def detect_setup(root: Path, config_dir: str = ".obsidian") -> Setup:
    return Setup(detect_publisher(root, config_dir), templates_folders(root, config_dir))


def detect_publisher(root: Path, config_dir: str = ".obsidian") -> Publisher | None:
    """The site generator whose config sits at the vault root (or just above it), else
    Obsidian Publish when the vault has its settings; None when nothing says."""
    for folder, shown in ((root, ""), (root.parent, "../")):
        for names, publisher in _SITE_GENERATORS:
            for name in names:
                if (folder / name).is_file():
                    return _with_evidence(publisher, shown + name)
    config = root / config_dir
    if (config / "publish.json").is_file():
        return _publish(f"{config_dir}/publish.json")
    plugins = _json(config / "core-plugins.json")
    if (isinstance(plugins, dict) and plugins.get("publish") is True) or (
        isinstance(plugins, list) and "publish" in plugins
    ):
        return _publish(f'{config_dir}/core-plugins.json ("publish" on)')
    if (root / "publish.css").is_file():
        return _publish("publish.css")
    return None


def _with_evidence(publisher: Publisher, evidence: str) -> Publisher:
    return dataclasses.replace(publisher, evidence=evidence)


def _publish(evidence: str) -> Publisher:
    # Publish resolves links like the app (vault paths, no site URLs) and then by aliases;
    # it shows the file name as the page title
    return Publisher("obsidian-publish", evidence, False, False, "obsidian-publish")


def templates_folders(root: Path, config_dir: str = ".obsidian") -> tuple[str, ...]:
    """The core Templates plugin's folder and Templater's, as "folder/" (vault-relative)."""
    config = root / config_dir
    found: list[str] = []
    for path, key in (
        (config / "templates.json", "folder"),
        (config / "plugins" / "templater-obsidian" / "data.json", "templates_folder"),
    ):
        settings = _json(path)
        value = settings.get(key) if isinstance(settings, dict) else None
        if isinstance(value, str):
            folder = value.strip().strip("/")
            usable = folder not in ("", ".", "..") and not folder.startswith("../")
            if usable and folder + "/" not in found:
                found.append(folder + "/")
    return tuple(found)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def link_setting(root: Path, config_dir: str) -> str:
    """``newLinkFormat`` from ``app.json`` ("shortest" when absent or unreadable)."""
    try:
        settings = json.loads((root / config_dir / "app.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "shortest"
    value = settings.get("newLinkFormat") if isinstance(settings, dict) else None
    return value if value in ("shortest", "relative", "absolute") else "shortest"
