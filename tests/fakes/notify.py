"""Where notifications land in tests: a webhook receiver, a fake Telegram Bot API and an SMTP
server, each a real server on 127.0.0.1 in a thread of its own (so both async tests and
`core.cli.main.main([...])`, which runs its own loop, can reach them).

The Telegram fake answers like the real Bot API: `{"ok":true,"result":{…Message…}}` for a
known token and chat, `{"ok":false,"error_code":401,"description":"Unauthorized"}` (HTTP 401)
for any other token, `400 Bad Request: chat not found` for an unknown chat.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass
class Knobs:
    delay: float = 0.0  # seconds before answering each request
    statuses: list[int] = field(default_factory=list)  # answer these statuses first, one per request


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON
    status: int  # what the fake answered


class _JsonServer:
    """A threaded HTTP server that records JSON POSTs; subclasses decide the answer."""

    def __init__(self) -> None:
        self.knobs = Knobs()
        self.received: list[Received] = []
        self.arrived = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                if outer.knobs.delay:
                    time.sleep(outer.knobs.delay)
                status, answer = outer.answer(self.path, body)
                if outer.knobs.statuses:
                    status, answer = outer.knobs.statuses.pop(0), {"error": "scripted failure"}
                data = json.dumps(answer).encode()
                # recorded before the answer goes out: a client that has its answer may look at once
                received = Received(self.path, dict(self.headers), body, status)
                with outer.arrived:
                    outer.received.append(received)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting: not answered, not received
                    with outer.arrived:
                        outer.received.remove(received)
                    return
                with outer.arrived:
                    outer.arrived.notify_all()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name=type(self).__name__, daemon=True
        )

    def answer(self, path: str, body: Any) -> tuple[int, Any]:
        raise NotImplementedError

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until `count` requests were answered (or the timeout passed); all received."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)

    def __enter__(self) -> _JsonServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


class WebhookReceiver(_JsonServer):
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/syncdeck?key=hook-secret-key"

    def answer(self, path: str, body: Any) -> tuple[int, Any]:
        return 200, {"received": True}


class FakeTelegram(_JsonServer):
    TOKEN = "123456789:AAHfake-Token_for-SyncDeck-tests"
    CHAT_ID = "42424242"
    BOT = {"id": 123456789, "is_bot": True, "first_name": "SyncDeck Test", "username": "syncdeck_test_bot"}

    def __init__(self) -> None:
        super().__init__()
        self._message_id = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def texts(self) -> list[str]:
        """The texts of the messages it took (not those it refused)."""
        return [r.body["text"] for r in self.received if r.status == 200]

    def answer(self, path: str, body: Any) -> tuple[int, Any]:
        prefix, _, method = path.rpartition("/")
        token = prefix.removeprefix("/bot")
        if not prefix.startswith("/bot") or method != "sendMessage":
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if token != self.TOKEN:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if not isinstance(body, dict) or not str(body.get("text") or "").strip():
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
        if str(body.get("chat_id")) != self.CHAT_ID:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
        self._message_id += 1
        chat = {"id": int(self.CHAT_ID), "first_name": "Lin", "username": "lin", "type": "private"}
        message = {"message_id": self._message_id, "from": self.BOT, "chat": chat, "date": int(time.time())}
        return 200, {"ok": True, "result": {**message, "text": body["text"]}}


@dataclass(frozen=True)
class Mail:
    sender: str
    recipients: list[str]
    message: EmailMessage
    login: str | None  # who logged in, None without AUTH
    tls: bool  # the session was encrypted (STARTTLS)


class SmtpServer:
    """aiosmtpd's SMTP protocol on its own loop in a thread; STARTTLS and login when asked."""

    USER = "sync@example.org"
    PASSWORD = "smtp-Pa55word-for-tests"

    def __init__(self, *, tls_context: ssl.SSLContext | None = None, require_login: bool = False) -> None:
        self.mails: list[Mail] = []
        self.arrived = threading.Condition()
        self.hang = False  # True: accept connections and never answer
        self._tls_context = tls_context
        self._require_login = require_login
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._connections: list[asyncio.Protocol] = []
        self._thread = threading.Thread(target=self._loop.run_forever, name="SmtpServer", daemon=True)
        self.port = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or b""
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        with self.arrived:
            self.mails.append(
                Mail(envelope.mail_from or "", list(envelope.rcpt_tos), message, login, session.ssl is not None)
            )
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        given = (data.login.decode(), data.password.decode()) if isinstance(data, LoginPassword) else None
        # handled=False: aiosmtpd answers 535 itself when the login is wrong
        return AuthResult(success=given == (self.USER, self.PASSWORD), handled=False, auth_data=data)

    def _protocol(self) -> SMTP:
        return SMTP(
            self,
            hostname="mail.example.org",
            tls_context=self._tls_context,
            require_starttls=self._tls_context is not None,
            authenticator=self._authenticate if self._require_login else None,
            auth_required=self._require_login,
            auth_require_tls=self._tls_context is not None,
            loop=self._loop,
        )

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Mail]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.mails) >= count, timeout)
            return list(self.mails)

    def __enter__(self) -> SmtpServer:
        self._thread.start()

        async def start() -> asyncio.Server:
            return await self._loop.create_server(self._connection, "127.0.0.1", 0)

        self._server = asyncio.run_coroutine_threadsafe(start(), self._loop).result(10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def _connection(self) -> asyncio.Protocol:
        protocol: asyncio.Protocol = _Silent() if self.hang else self._protocol()
        self._connections.append(protocol)
        return protocol

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        async def stop() -> None:
            assert self._server is not None
            self._server.close()
            for protocol in self._connections:
                transport = getattr(protocol, "transport", None)
                if transport is not None:
                    transport.abort()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()


class _Silent(asyncio.Protocol):
    """Accepts the connection and never says a word (an SMTP server that hangs)."""

    transport: asyncio.BaseTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
