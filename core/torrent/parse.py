"""What a user hands over (a .torrent file, its bytes, a magnet link) as libtorrent's
add_torrent_params, with a clear TorrentError for anything unusable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import TorrentError
from core.torrent.lt import load

MAGNET = re.compile(r"^magnet:\?", re.IGNORECASE)
BTIH = re.compile(r"xt=urn:bt(ih|mh):([0-9a-z]+)", re.IGNORECASE)


@dataclass
class Parsed:
    params: Any  # lt.add_torrent_params
    kind: str  # "magnet" or "file"
    name: str
    info_hash: str  # hex: v1 when there is one, else the v2 hash (truncated to its first 40 hex digits)
    torrent: bytes  # the .torrent bytes, b"" for a magnet
    magnet: str  # the magnet link, "" for a file


def is_magnet(text: str) -> bool:
    return bool(MAGNET.match(text.strip()))


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def hash_of(info_hashes: Any) -> str:
    """One stable key per torrent, v1 first (what other clients and trackers show)."""
    if info_hashes.has_v1():
        return str(info_hashes.v1)
    return str(info_hashes.v2)[:40]


def parse_magnet(text: str) -> Parsed:
    lt = load()
    text = text.strip()
    if not BTIH.search(text):
        raise TorrentError(f"not a usable magnet link (no xt=urn:btih: or urn:btmh: hash): {text[:120]!r}")
    try:
        params = lt.parse_magnet_uri(text)
    except (RuntimeError, ValueError) as exc:
        raise TorrentError(f"invalid magnet link ({exc}): {text[:120]!r}") from None
    key = hash_of(params.info_hashes)
    if key.strip("0") == "":
        raise TorrentError(f"invalid magnet link (its hash cannot be read): {text[:120]!r}")
    return Parsed(params, "magnet", params.name or key, key, b"", text)


def parse_torrent_bytes(data: bytes, origin: str = "the .torrent file") -> Parsed:
    lt = load()
    if not data:
        raise TorrentError(f"{origin} is empty")
    try:
        params = lt.load_torrent_buffer(data)
    except (RuntimeError, ValueError) as exc:
        raise TorrentError(f"{origin} is not a valid .torrent file ({exc})") from None
    ti = params.ti
    if ti is None or not ti.is_valid():
        raise TorrentError(f"{origin} is not a valid .torrent file")
    return Parsed(params, "file", ti.name(), hash_of(ti.info_hashes()), data, "")


def parse_torrent_file(path: Path) -> Parsed:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TorrentError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_torrent_bytes(data, str(path))


def magnet_of(parsed: Parsed) -> str:
    if parsed.magnet:
        return parsed.magnet
    lt = load()
    return str(lt.make_magnet_uri(parsed.params.ti))
