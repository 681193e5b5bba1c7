"""One device id per installation, kept in the data folder.

Jellyfin ties a token to the DeviceId it was issued for and a new login from the same
DeviceId replaces the older token: an id made per login would fill the server's device list
with a new "SyncDeck" at every login. So it is made once and read back afterwards.
"""

from __future__ import annotations

import socket
import threading
import uuid
from pathlib import Path

DEVICE_FILE = "media-server-device-id"
_lock = threading.Lock()


def device_id(data_dir: Path) -> str:
    """This installation's id (32 hex digits), made on first use."""
    path = data_dir / DEVICE_FILE
    with _lock:
        try:
            known = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            known = ""
        if len(known) == 32 and all(c in "0123456789abcdef" for c in known):
            return known
        made = uuid.uuid4().hex
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        temp.write_text(made + "\n", encoding="ascii")
        temp.replace(path)
        return made


def device_name() -> str:
    """What the server's device list shows for this installation."""
    host = socket.gethostname().split(".")[0] or "Desktop"
    return f"SyncDeck on {host}"
