"""How a file is known unchanged: by its stat key without reading it, by its content hash
when the stat key differs (as git's index does)."""

from __future__ import annotations

import hashlib
import os

# mtime (ns), size, and ctime (ns) and inode, which ``touch -r``, ``cp -p`` and ``tar x`` do not
# carry over (a user cannot set a ctime). The device is left out: it may change across mounts
# of the same disk, and a copy to another disk has new inodes and ctimes anyway.
Stat = tuple[int, int, int, int]
NO_STAT: Stat = (0, 0, 0, 0)


def stat_key(info: os.stat_result) -> Stat:
    return (info.st_mtime_ns, info.st_size, info.st_ctime_ns, info.st_ino)


def content_hash(data: bytes) -> str:
    """The hash a note's text is known by (the note store's ``ckey``)."""
    return hashlib.sha1(data).hexdigest()
