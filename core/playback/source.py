"""What the local stream proxy can serve besides an upstream URL: bytes the app itself has.

A torrent's file while it downloads is one (the reader waits for the pieces it asks for); a
local file is another. The proxy answers Range requests by calling `read`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class ByteSource(Protocol):
    @property
    def size(self) -> int:
        """Total bytes of the file."""

    @property
    def content_type(self) -> str:
        """MIME type sent to the player ("video/mp4")."""

    async def read(self, offset: int, length: int) -> bytes:
        """Up to `length` bytes from `offset` (at least one unless at the end); waits until they
        are available. Raises OSError when they never will be (the source was removed)."""

    async def close(self) -> None:
        """The player went away: stop asking for data."""
