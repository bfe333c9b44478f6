"""From bytes to a ``Note``: decoding, frontmatter, the body scanner, prose and plain text."""
