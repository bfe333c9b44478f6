"""Changing note text: applying fixes, and edits of frontmatter YAML, inline tags and link paths."""
