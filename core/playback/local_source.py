"""A local file as a ByteSource, so the proxy can serve it like a downloading torrent file."""

from __future__ import annotations

import asyncio
import mimetypes
from pathlib import Path


class LocalFileSource:
    def __init__(self, path: Path, content_type: str = "") -> None:
        self.path = path
        self._size = path.stat().st_size
        self._type = content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"

    @property
    def size(self) -> int:
        return self._size

    @property
    def content_type(self) -> str:
        return self._type

    async def read(self, offset: int, length: int) -> bytes:
        return await asyncio.to_thread(self._read, offset, length)

    def _read(self, offset: int, length: int) -> bytes:
        with self.path.open("rb") as f:
            f.seek(offset)
            return f.read(length)

    async def close(self) -> None:
        pass
