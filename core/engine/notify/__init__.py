"""Notifications: what the engine did, sent by webhook, Telegram and email (no Qt here).

The `Notifier` subscribes to the engine's `EventBus` and gathers events into batches: all that
happens in a round (`RoundStarted` … `RoundFinished`) becomes one message with the counts and
up to 5 titles, one short line each ("…and 195 more"); events outside a round are gathered for
`notify.batch_s` seconds. Which batches send anything is `notify.events` (round, new, failed, risk, login).
Each message goes to every configured channel at once, each with `notify.timeout_s` per
attempt and `notify.retries` further attempts on network trouble; a channel that fails logs
one warning and never touches syncing. Messages follow `ui.language` (Chinese or English).

Secrets — the Telegram bot token and the SMTP password — live only in the keyring, under
`notify:telegram` and `notify:email`, and are registered for log redaction.

Public API (what the engine facade, the command line and the window call):

    notifier = Notifier(config, secrets, bus)      # subscribes to the bus
    await notifier.send_test("telegram")           # -> "sent to Telegram chat 12345";
                                                   #    ConfigError: not configured;
                                                   #    SyncDeckError (DeliveryError): refused
    notifier.channels()                            # -> [("webhook", True), ("telegram", False), …]
    notifier.statuses()                            # -> ChannelStatus(channel, configured, target, missing)
    notifier.set_secret("email", password)         # into the keyring; "" deletes it
    await notifier.close()                         # unsubscribes, sends what is gathered, waits briefly

`channels()`, `statuses()` and `set_secret()` use the keyring, which may block (a locked
keyring asks for its password): the window calls them through `asyncio.to_thread`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from core.engine.notify.names import CHANNELS, SECRET_REFS

if TYPE_CHECKING:
    from core.engine.notify.channels import DeliveryError
    from core.engine.notify.messages import Message, message_language
    from core.engine.notify.service import ChannelStatus, Notifier

_LAZY = {
    "DeliveryError": "core.engine.notify.channels",
    "Message": "core.engine.notify.messages",
    "message_language": "core.engine.notify.messages",
    "ChannelStatus": "core.engine.notify.service",
    "Notifier": "core.engine.notify.service",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'core.engine.notify' has no attribute {name!r}")


__all__ = ["CHANNELS", "SECRET_REFS", "ChannelStatus", "DeliveryError", "Message", "Notifier", "message_language"]
