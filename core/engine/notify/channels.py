"""The three ways a message leaves: a webhook (JSON POST), a Telegram bot and email (SMTP).

Each channel sends one message once; timeouts and retries are the service's business. Errors
are `DeliveryError`s whose text names the server and what it said, never a secret: the bot
token sits in the Telegram URL, so no exception text that might carry the URL is passed on
unredacted.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

import httpx

from core.engine.notify.messages import Message
from core.errors import SyncDeckError
from core.secrets import redact

TELEGRAM_TEXT_LIMIT = 4096  # characters Telegram accepts in one message
SMTP_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class DeliveryError(SyncDeckError):
    """A channel did not take a message. `transient`: worth another attempt (network trouble,
    a timeout, 5xx, 429); otherwise the server refused and will refuse again."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(redact(message))
        self.transient = transient


def origin(url: str) -> str:
    """`scheme://host[:port]` of `url`: where it goes, without the path or a login that may
    carry a webhook's token."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def _network_error(where: str, exc: httpx.HTTPError) -> DeliveryError:
    if isinstance(exc, httpx.TimeoutException):
        return DeliveryError(f"no answer from {where}", transient=True)
    detail = str(exc) or type(exc).__name__
    return DeliveryError(f"cannot reach {where} ({detail})", transient=isinstance(exc, httpx.TransportError))


def _http_transient(status: int) -> bool:
    return status == 429 or status >= 500


@dataclass(frozen=True)
class WebhookChannel:
    url: str
    name = "webhook"

    @property
    def target(self) -> str:
        return f"the webhook at {origin(self.url)}"

    async def send(self, message: Message, client: httpx.AsyncClient, timeout: float) -> str:
        try:
            response = await client.post(self.url, json=message.as_json(), timeout=timeout)
        except httpx.HTTPError as exc:
            raise _network_error(origin(self.url), exc) from None
        if not response.is_success:
            raise DeliveryError(
                f"the webhook at {origin(self.url)} answered HTTP {response.status_code}",
                transient=_http_transient(response.status_code),
            )
        return f"sent to {self.target}"


@dataclass(frozen=True)
class TelegramChannel:
    api_base: str
    token: str
    chat_id: str
    name = "telegram"

    @property
    def target(self) -> str:
        return f"Telegram chat {self.chat_id}"

    async def send(self, message: Message, client: httpx.AsyncClient, timeout: float) -> str:
        text = f"{message.title}\n\n{message.body}" if message.body else message.title
        if len(text) > TELEGRAM_TEXT_LIMIT:
            text = text[: TELEGRAM_TEXT_LIMIT - 1] + "…"
        url = f"{self.api_base.rstrip('/')}/bot{self.token}/sendMessage"
        where = f"the Telegram Bot API at {origin(self.api_base)}"
        payload = {"chat_id": self.chat_id, "text": text, "disable_web_page_preview": True}
        try:
            response = await client.post(url, json=payload, timeout=timeout)
        except httpx.HTTPError as exc:
            raise _network_error(where, exc) from None
        try:
            reply = response.json()
        except ValueError:
            reply = None
        if not isinstance(reply, dict) or "ok" not in reply:
            raise DeliveryError(
                f"{where} answered HTTP {response.status_code} without a Bot API reply",
                transient=_http_transient(response.status_code),
            )
        if reply["ok"] is not True:
            code = reply.get("error_code") or response.status_code
            description = str(reply.get("description") or "no reason given")
            hint = {
                401: " — check the bot token (`syncdeck notify secret telegram`)",
                404: " — check the bot token (`syncdeck notify secret telegram`)",
                400: " — check notify.telegram.chat_id, and that the chat has talked to the bot",
                403: " — the bot cannot write to this chat",
            }.get(code, "")
            raise DeliveryError(
                f"Telegram refused the message: {description} (error {code}){hint}",
                transient=isinstance(code, int) and _http_transient(code),
            )
        return f"sent to {self.target}"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int  # 0: the usual port for `security`
    security: str  # none | starttls | ssl
    user: str
    sender: str
    recipients: tuple[str, ...]
    ca_bundle: str = ""  # net.ca_bundle: also trusted for the mail server's certificate

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port or SMTP_PORTS[self.security]}"


@dataclass(frozen=True)
class EmailChannel:
    settings: SmtpSettings
    password: str | None
    name = "email"

    @property
    def target(self) -> str:
        return f"{', '.join(self.settings.recipients)} via {self.settings.address}"

    async def send(self, message: Message, client: httpx.AsyncClient, timeout: float) -> str:
        # smtplib blocks; its socket timeout ends the thread even when the caller gave up waiting
        await asyncio.to_thread(self._send_blocking, message, timeout)
        return f"sent to {self.target}"

    def _mail(self, message: Message) -> EmailMessage:
        s = self.settings
        mail = EmailMessage()
        mail["Subject"] = message.title
        mail["From"] = s.sender
        mail["To"] = ", ".join(s.recipients)
        mail["Date"] = formatdate(localtime=True)
        mail["Message-ID"] = make_msgid(domain=s.sender.rpartition("@")[2] or None)
        mail.set_content(message.body or message.title)
        return mail

    def _send_blocking(self, message: Message, timeout: float) -> None:
        s = self.settings
        port = s.port or SMTP_PORTS[s.security]
        where = f"the mail server {s.address}"
        context = ssl.create_default_context(cafile=s.ca_bundle or None)
        try:
            smtp = (
                smtplib.SMTP_SSL(s.host, port, timeout=timeout, context=context)
                if s.security == "ssl"
                else smtplib.SMTP(s.host, port, timeout=timeout)
            )
            with smtp:
                if s.security == "starttls":
                    smtp.starttls(context=context)
                if s.user:
                    smtp.login(s.user, self.password or "")
                smtp.send_message(self._mail(message))
        except smtplib.SMTPNotSupportedError as exc:
            what = "STARTTLS" if s.security == "starttls" and "STARTTLS" in str(exc) else "login (AUTH)"
            raise DeliveryError(f"{where} does not offer {what}") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"{where} refused the login of {s.user!r}: {_smtp_reply(exc)}"
                " — check notify.email.user and the password (`syncdeck notify secret email`)"
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            refused = "; ".join(f"{rcpt}: {code} {_text(text)}" for rcpt, (code, text) in exc.recipients.items())
            raise DeliveryError(f"{where} refused the recipients ({refused})") from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"{where} refused the message: {_smtp_reply(exc)}", transient=400 <= exc.smtp_code < 500
            ) from None
        except smtplib.SMTPException as exc:
            raise DeliveryError(f"{where} broke off the conversation ({exc})", transient=True) from None
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(f"{where} has a certificate that is not trusted ({exc.verify_message})") from None
        except TimeoutError:
            raise DeliveryError(f"no answer from {where}", transient=True) from None
        except OSError as exc:
            raise DeliveryError(f"cannot reach {where} ({exc.strerror or exc})", transient=True) from None


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _smtp_reply(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"
