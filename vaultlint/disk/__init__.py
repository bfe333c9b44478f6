"""Everything that touches the file system or git: walking, loading, writing, small files, history, publishing setup."""
