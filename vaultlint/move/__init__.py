"""Moving notes: planning which links to rewrite, carrying the move out, repairing staged renames."""
