"""The notification service: listens to the bus, batches, delivers to every configured channel."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from core.config import Config
from core.engine.notes.events import NoteBatchFinished
from core.engine.notify.batching import HANDLED, Batch, EventCollector
from core.engine.notify.channels import (
    DeliveryError,
    EmailChannel,
    SmtpSettings,
    TelegramChannel,
    WebhookChannel,
    origin,
)
from core.engine.notify.messages import Message, compose, message_language, notes_message, probe_message
from core.engine.notify.names import CHANNELS, LABELS, SECRET_NAMES, SECRET_REFS
from core.errors import ConfigError, SecretStoreError, SyncDeckError
from core.events import Event, EventBus
from core.net import NetOptions, make_client
from core.secrets import redact, register_secret

if TYPE_CHECKING:
    from core.secrets import SecretStore

log = logging.getLogger(__name__)

RETRY_WAIT = 1.0  # seconds before the first retry; doubles each time
CLOSE_GRACE = 1.0  # seconds past notify.timeout_s that close() waits for messages in flight

Channel = WebhookChannel | TelegramChannel | EmailChannel


@dataclass(frozen=True)
class ChannelStatus:
    channel: str  # webhook | telegram | email
    configured: bool
    target: str  # where messages go, fit to show (no token, no webhook path)
    missing: tuple[str, ...]  # what to set before it can send


class Notifier:
    """See the package's docstring for the public API."""

    def __init__(self, config: Config, secrets: SecretStore, bus: EventBus) -> None:
        self._config = config  # read at each use: the engine reloads values in place
        self._secrets = secrets
        self._collector = EventCollector()
        self._deliveries: set[asyncio.Task[None]] = set()
        self._flush: asyncio.TimerHandle | None = None
        self._closed = False
        self._unsubscribe = bus.subscribe(self._on_event)

    # ------------------------------------------------------------ public API

    def language(self) -> str:
        return message_language(self._config["ui.language"])

    def channels(self) -> list[tuple[str, bool]]:
        """Each channel and whether it can send. Reads the keyring: call it off the loop
        (`asyncio.to_thread`) where a locked keyring must not freeze a window."""
        return [(s.channel, s.configured) for s in self.statuses()]

    def statuses(self) -> list[ChannelStatus]:
        """`channels()` with where each one sends and what it still needs."""
        out = []
        for name in CHANNELS:
            try:
                channel = self._channel(name)
            except ConfigError:
                out.append(ChannelStatus(name, False, self._target(name), tuple(self._missing(name))))
            except SecretStoreError as exc:
                out.append(ChannelStatus(name, False, self._target(name), (str(exc),)))
            else:
                out.append(ChannelStatus(name, True, channel.target, ()))
        return out

    def set_secret(self, channel: str, value: str) -> None:
        """Keep the Telegram bot token or the SMTP password in the keyring; "" deletes it."""
        if channel not in SECRET_REFS:
            raise ConfigError(f"{channel!r} has no secret (only {' and '.join(SECRET_REFS)} do)")
        value = value.strip()
        if value:
            register_secret(value)
            self._secrets.set(SECRET_REFS[channel], value)
        else:
            self._secrets.delete(SECRET_REFS[channel])

    async def send_test(self, channel: str) -> str:
        """Send a test message through `channel` now, once: "sent to …", or ConfigError when the
        channel is not configured, or a SyncDeckError saying why the server did not take it."""
        if channel not in CHANNELS:
            raise ConfigError(f"unknown notification channel {channel!r} (one of {', '.join(CHANNELS)})")
        target = await asyncio.to_thread(self._channel, channel)
        message = probe_message(LABELS[channel], self.language())
        async with self._client() as client:
            return await self._attempt(target, message, client)

    async def close(self) -> None:
        """Stop listening; send what is still gathered and give messages in flight a last
        `notify.timeout_s` (plus a second) to arrive."""
        if self._closed:
            return
        self._unsubscribe()
        if self._flush is not None:
            self._flush.cancel()
        self._flush_outside()
        self._closed = True
        pending = set(self._deliveries)
        if not pending:
            return
        _, late = await asyncio.wait(pending, timeout=self._config["notify.timeout_s"] + CLOSE_GRACE)
        for task in late:
            task.cancel()
        if late:
            log.warning("%d notification(s) dropped: still not delivered when SyncDeck stopped", len(late))
            await asyncio.gather(*late, return_exceptions=True)

    # ------------------------------------------------------------ events → batches → messages

    def _on_event(self, event: Event) -> None:
        if self._closed:
            return
        if isinstance(event, NoteBatchFinished):  # its own message at once: a batch is one piece of news
            self._send(notes_message(event, set(self._config["notify.events"]), self.language()))
            return
        if not isinstance(event, HANDLED):
            return
        batch, outside_started = self._collector.take(event)
        if batch is not None:
            self._dispatch(batch)
        if outside_started and self._flush is None:
            loop = _running_loop()
            if loop is not None:
                self._flush = loop.call_later(self._config["notify.batch_s"], self._flush_outside)

    def _flush_outside(self) -> None:
        self._flush = None
        batch = self._collector.take_outside()
        if batch is not None:
            self._dispatch(batch)

    def _dispatch(self, batch: Batch) -> None:
        wanted = [name for name in CHANNELS if self._has_settings(name)]
        if not wanted:
            return  # nothing configured: no keyring read, no task
        self._send(compose(batch, set(self._config["notify.events"]), self.language()))

    def _send(self, message: Message | None) -> None:
        wanted = [name for name in CHANNELS if self._has_settings(name)]
        loop = _running_loop()
        if message is None or loop is None or not wanted:
            return
        task = loop.create_task(self._deliver(message, wanted))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def _deliver(self, message: Message, wanted: list[str]) -> None:
        try:
            targets = await asyncio.to_thread(self._usable_channels, wanted)
            if not targets:
                return
            async with self._client() as client:
                results = await asyncio.gather(
                    *(self._send_with_retry(t, message, client) for t in targets), return_exceptions=True
                )
        except SyncDeckError as exc:  # e.g. net.ca_bundle vanished: no channel can send
            log.warning("notifications not sent: %s", redact(str(exc)))
            return
        for target, result in zip(targets, results, strict=True):
            if isinstance(result, BaseException):
                if isinstance(result, asyncio.CancelledError):
                    raise result
                reason = str(result) if isinstance(result, DeliveryError) else f"{type(result).__name__}: {result}"
                log.warning("notification via %s not sent: %s", LABELS[target.name], redact(reason))
            else:
                log.info("notification %s", result)

    def _usable_channels(self, wanted: list[str]) -> list[Channel]:
        """The channels of `wanted` that can send; each one that cannot says why, once."""
        usable = []
        for name in wanted:
            try:
                usable.append(self._channel(name))
            except (ConfigError, SecretStoreError) as exc:
                log.warning("notification via %s not sent: %s", LABELS[name], redact(str(exc)))
        return usable

    # ------------------------------------------------------------ sending

    async def _send_with_retry(self, channel: Channel, message: Message, client: httpx.AsyncClient) -> str:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._config["notify.retries"] + 1),
            wait=wait_exponential(multiplier=RETRY_WAIT, max=30),
            retry=retry_if_exception(lambda exc: isinstance(exc, DeliveryError) and exc.transient),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._attempt(channel, message, client)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _attempt(self, channel: Channel, message: Message, client: httpx.AsyncClient) -> str:
        timeout = self._config["notify.timeout_s"]
        try:
            async with asyncio.timeout(timeout):
                return await channel.send(message, client, timeout)
        except TimeoutError:
            raise DeliveryError(f"{channel.target} did not answer within {timeout:g} s", transient=True) from None

    def _client(self) -> httpx.AsyncClient:
        cfg = self._config
        options = NetOptions(proxy=cfg["net.proxy"], ca_bundle=cfg["net.ca_bundle"], timeout=cfg["notify.timeout_s"])
        return make_client(options, headers={"User-Agent": "SyncDeck"})

    # ------------------------------------------------------------ configuration

    def _has_settings(self, name: str) -> bool:
        """Whether the user set `name` up at all (settings only, no keyring read)."""
        cfg = self._config
        if name == "webhook":
            return bool(cfg["notify.webhook.url"])
        if name == "telegram":
            return bool(cfg["notify.telegram.chat_id"])
        return bool(cfg["notify.email.host"] or cfg["notify.email.to"])

    def _secret(self, name: str) -> str | None:
        return self._secrets.get(SECRET_REFS[name])

    def _missing_settings(self, name: str) -> list[str]:
        cfg = self._config
        if name == "webhook":
            return [] if cfg["notify.webhook.url"] else ["notify.webhook.url"]
        if name == "telegram":
            return [] if cfg["notify.telegram.chat_id"] else ["notify.telegram.chat_id"]
        missing = [key for key in ("notify.email.host", "notify.email.to") if not cfg[key]]
        if not (cfg["notify.email.from"] or cfg["notify.email.user"]):
            missing.append("notify.email.from")
        return missing

    def _needs_secret(self, name: str) -> bool:
        return name == "telegram" or (name == "email" and bool(self._config["notify.email.user"]))

    def _missing(self, name: str, secret: str | None = None) -> list[str]:
        """What `name` still needs; reads the keyring unless `secret` is given."""
        missing = self._missing_settings(name)
        if self._needs_secret(name):
            if secret is None:
                with contextlib.suppress(SecretStoreError):
                    secret = self._secret(name)
            if not secret:
                missing.append(f"{SECRET_NAMES[name]} (`syncdeck notify secret {name}`)")
        return missing

    def _target(self, name: str) -> str:
        cfg = self._config
        if name == "webhook":
            return origin(cfg["notify.webhook.url"]) if cfg["notify.webhook.url"] else ""
        if name == "telegram":
            return f"Telegram chat {cfg['notify.telegram.chat_id']}" if cfg["notify.telegram.chat_id"] else ""
        return ", ".join(cfg["notify.email.to"])

    def _channel(self, name: str) -> Channel:
        """A ready channel, or ConfigError naming what is missing. Reads the keyring (blocking)."""
        cfg = self._config
        if self._missing_settings(name):
            raise ConfigError(f"{LABELS[name]} is not set up: set {', '.join(self._missing(name))}")
        secret = self._secret(name) if self._needs_secret(name) else None
        missing = self._missing(name, secret or "")
        if missing:
            raise ConfigError(f"{LABELS[name]} is not set up: set {', '.join(missing)}")
        if name == "webhook":
            return WebhookChannel(cfg["notify.webhook.url"])
        if name == "telegram":
            return TelegramChannel(cfg["notify.telegram.api_base"], secret or "", cfg["notify.telegram.chat_id"])
        settings = SmtpSettings(
            host=cfg["notify.email.host"], port=cfg["notify.email.port"], security=cfg["notify.email.security"],
            user=cfg["notify.email.user"], sender=cfg["notify.email.from"] or cfg["notify.email.user"],
            recipients=tuple(cfg["notify.email.to"]), ca_bundle=cfg["net.ca_bundle"],
        )  # fmt: skip
        return EmailChannel(settings, secret)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # published outside the loop (a synchronous caller): nothing to schedule on
        log.debug("notification event outside an event loop; not sent")
        return None
