"""A fake Emby / Jellyfin server on 127.0.0.1 (see `server.py`), in four flavours: `emby`
(4.8), `jellyfin-10.10`, `jellyfin-10.11` and `jellyfin-12` (strict authorization)."""

from tests.fakes.emby.media import Media, ensure_media
from tests.fakes.emby.server import FLAVOURS, FakeMediaServer, Report
from tests.fakes.emby.world import PASSWORD, USER

__all__ = ["FLAVOURS", "PASSWORD", "USER", "FakeMediaServer", "Media", "Report", "ensure_media"]
