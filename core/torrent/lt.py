"""The libtorrent module, imported on first use: the app starts without it and says what is
missing only when a torrent is touched."""

from __future__ import annotations

import functools
from typing import Any

from core.errors import TorrentError

REQUIRED = "libtorrent>=2.0.15,<2.2"


@functools.cache
def load() -> Any:
    try:
        import libtorrent
    except ImportError as exc:
        raise TorrentError(
            f"BitTorrent needs the libtorrent Python package, which is missing here ({exc}); "
            f"install it with `pip install '{REQUIRED}'`"
        ) from None
    return libtorrent


def available() -> bool:
    try:
        load()
    except TorrentError:
        return False
    return True


def has_v2_api() -> bool:
    """libtorrent 2.1 builds torrents from `list_files`; 2.0.x only from a file_storage."""
    return hasattr(load(), "list_files")
