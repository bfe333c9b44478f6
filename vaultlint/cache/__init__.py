"""What vaultlint remembers between runs: the note store, the report cache and the replay of an unchanged run."""
