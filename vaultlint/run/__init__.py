"""How a run is carried out: worker processes, the pre-commit prefetch helper, vault services."""
