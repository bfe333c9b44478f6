"""The note model: spans, positions, a parsed note and its parts (imports nothing of vaultlint)."""
