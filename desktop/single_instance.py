"""One SyncDeck per user and data folder: a second launch brings the first one's window forward.

The first instance listens on a local socket (a Unix domain socket in the temp folder on
Linux and macOS, a named pipe on Windows). A later launch connects, says "show" and exits;
a launch opened with `syncdeck://` links (a timestamp clicked in a note) hands them over too,
one "open <link>" line each, and the running window plays them.
The name is a hash of the user and the data folder, so two data folders may run side by
side, other users' instances never answer, and the socket path stays short: macOS caps
Unix socket paths at 104 bytes and its temp folder alone takes about 50.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

SHOW = b"show\n"
OPEN = b"open "
MAX_LINK = 8192  # a link longer than this is not one of ours
CONNECT_TIMEOUT_MS = 1000
WRITE_TIMEOUT_MS = 1000


def server_name(key: str) -> str:
    """A short per-user socket name for `key` (the app id and its data folder)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers): the uid-less hash still works
        user = ""
    digest = hashlib.sha256(f"{user}\0{key}".encode()).hexdigest()[:20]
    return f"syncdeck-{digest}"


class SingleInstance(QObject):
    """`claim()` once at start-up: True means we are the only instance and now listen."""

    activated = Signal()  # a later launch asked this instance to show its window
    linkOpened = Signal(str)  # a later launch was opened with this `syncdeck://` link

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(key)
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

    def claim(self, links: Sequence[str] = ()) -> bool:
        """Become the running instance, or ask the running one to show itself (and to open
        `links`) and return False."""
        if self._ask_running_instance(links):
            return False
        server = QLocalServer(self)
        # Only this user may connect (the socket file is created 0700 on Unix).
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            if server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
                log.warning("single-instance socket %s: %s; running without it", self.name, server.errorString())
                return True
            # Nobody answered, so the socket file was left behind by an instance that crashed.
            log.info("removing the stale single-instance socket %s", self.name)
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("single-instance socket %s: %s; running without it", self.name, server.errorString())
                return True
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def release(self) -> None:
        """Stop listening (and remove the socket file) so the next launch starts at once."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        for client in self._clients:
            client.abort()
            client.deleteLater()
        self._clients.clear()

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def _ask_running_instance(self, links: Sequence[str]) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(SHOW)
        for link in links:
            line = " ".join(link.split())  # one line, whatever the desktop passed
            if line and len(line) <= MAX_LINK:
                socket.write(OPEN + line.encode("utf-8") + b"\n")
        socket.flush()
        socket.waitForBytesWritten(WRITE_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(WRITE_TIMEOUT_MS)
        return True

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            client = self._server.nextPendingConnection()
            client.setParent(self)
            self._clients.append(client)
            client.readyRead.connect(lambda c=client: self._read(c))
            client.disconnected.connect(lambda c=client: self._drop(c))
            if client.bytesAvailable():
                self._read(client)

    def _read(self, client: QLocalSocket) -> None:
        while client.canReadLine():
            line = bytes(client.readLine(MAX_LINK + len(OPEN) + 2).data())
            if line == SHOW:
                self.activated.emit()
            elif line.startswith(OPEN) and line.endswith(b"\n"):
                link = line[len(OPEN) :].decode("utf-8", "replace").strip()
                if link:
                    self.linkOpened.emit(link)

    def _drop(self, client: QLocalSocket) -> None:
        self._read(client)  # a short-lived client may say "show" and hang up in one go
        if client in self._clients:
            self._clients.remove(client)
            client.deleteLater()
