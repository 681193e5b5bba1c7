"""Making .torrent files from local content (tests, benchmarks, a future "create torrent"),
with the 2.0/2.1 API difference kept here (pitfall 12)."""

from __future__ import annotations

import warnings
from pathlib import Path

from core.torrent.lt import has_v2_api, load


def make_torrent(content: Path, *, trackers: tuple[str, ...] = (), v1_only: bool = False, piece_size: int = 0) -> bytes:
    lt = load()
    flags = lt.create_torrent.v1_only if v1_only else 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if has_v2_api():
            ct = lt.create_torrent(lt.list_files(str(content)), piece_size, flags)
        else:
            fs = lt.file_storage()
            lt.add_files(fs, str(content))
            ct = lt.create_torrent(fs, piece_size, flags)
    for tier, url in enumerate(trackers):
        ct.add_tracker(url, tier)
    lt.set_piece_hashes(ct, str(content.parent))
    return bytes(lt.bencode(ct.generate()))
