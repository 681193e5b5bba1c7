"""A file of a downloading torrent as a ByteSource (core.playback.source) the stream proxy
serves: a read asks libtorrent for the pieces under it with a deadline (and for the pieces
after it, a little later, so playback runs ahead of the player), then answers with the piece
data libtorrent hands back in `read_piece_alert` — from its cache, so no flush is needed."""

from __future__ import annotations

import asyncio
import mimetypes
import warnings
from typing import Any

from core.torrent.parse import hash_of

READ_AHEAD_BYTES = 8 * 2**20
FIRST_DEADLINE_MS = 0
STEP_DEADLINE_MS = 150
CHECK_ALIVE_S = 5.0

_TYPES = {".mkv": "video/x-matroska", ".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm",
          ".ts": "video/mp2t", ".avi": "video/x-msvideo", ".mov": "video/quicktime"}  # fmt: skip


class TorrentFileSource:
    def __init__(self, session: Any, handle: Any, file_index: int) -> None:
        self.session = session
        self.handle = handle
        self.file_index = file_index
        ti = handle.torrent_file()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            files = ti.files()
            self._size = int(files.file_size(file_index))
            self.path = files.file_path(file_index)
        self._ti = ti
        self._piece_length = ti.piece_length()
        self._key = hash_of(handle.info_hashes())
        self._cache: dict[int, bytes] = {}
        self._closed = False

    @property
    def size(self) -> int:
        return self._size

    @property
    def content_type(self) -> str:
        suffix = "." + self.path.rsplit(".", 1)[-1].lower() if "." in self.path else ""
        return _TYPES.get(suffix) or mimetypes.guess_type(self.path)[0] or "application/octet-stream"

    async def read(self, offset: int, length: int) -> bytes:
        if self._closed:
            raise OSError("the stream was closed")
        if offset >= self._size or length <= 0:
            return b""
        length = min(length, self._size - offset)
        request = self._ti.map_file(self.file_index, offset, length)
        piece, start = request.piece, request.start
        self._ask_ahead(piece, offset)
        data = await self._piece(piece)
        return data[start : start + min(length, len(data) - start)]

    def _ask_ahead(self, piece: int, offset: int) -> None:
        if not self.handle.is_valid():
            raise OSError("the torrent was removed")
        last_offset = min(self._size - 1, offset + READ_AHEAD_BYTES)
        last = self._ti.map_file(self.file_index, last_offset, 1).piece
        for i, p in enumerate(range(piece + 1, last + 1)):
            if not self.handle.have_piece(p):
                self.handle.set_piece_deadline(p, FIRST_DEADLINE_MS + STEP_DEADLINE_MS * (i + 1))

    async def _piece(self, piece: int) -> bytes:
        if piece in self._cache:
            return self._cache[piece]
        lt = self.session.lt
        key = self._key
        arrived = self.session.expect(
            lambda a: type(a).__name__ == "read_piece_alert" and a.piece == piece
            and a.handle.is_valid() and hash_of(a.handle.info_hashes()) == key,
            _piece_read,
        )  # fmt: skip
        self.handle.set_piece_deadline(piece, FIRST_DEADLINE_MS, lt.deadline_flags_t.alert_when_available)
        while True:
            try:
                error, data = await asyncio.wait_for(asyncio.shield(arrived), CHECK_ALIVE_S)
                break
            except TimeoutError:
                if self._closed or not self.handle.is_valid():
                    arrived.cancel()
                    raise OSError("the torrent was removed or the stream closed") from None
                if self.handle.have_piece(piece):  # arrived between the deadline and the wait
                    self.handle.read_piece(piece)
        if error:
            raise OSError(f"piece {piece} could not be read: {error}")
        self._cache = {piece: data}  # the player reads forward: keep only the last piece
        return data

    async def close(self) -> None:
        self._closed = True
        if self.handle.is_valid():
            self.handle.clear_piece_deadlines()


def _piece_read(alert: Any) -> tuple[str, bytes]:
    """What a read_piece_alert says, copied while the alert is alive: (error message or "", data)."""
    error = getattr(alert, "error", None)
    if error is not None and error.value() != 0:
        return error.message() or "read error", b""
    return "", bytes(alert.buffer)
