"""The vault as rules see it: the read-only view, the link index, link checks, per-note summaries."""
