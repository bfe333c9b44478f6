"""The command line: click commands, output formats, init, baseline, stale and mv."""
