"""Messages reach a real webhook, a fake Telegram Bot API and an SMTP server over 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.engine.notify import Notifier
from core.errors import ConfigError, SyncDeckError
from core.events import AccountStateChanged, EventBus, RiskControl
from core.secrets import SecretStore
from tests.fakes.notify import FakeTelegram, SmtpServer, WebhookReceiver
from tests.notify.conftest import all_channels, make_config, self_signed, server_tls
from tests.notify.test_messages import two_hundred_new

pytestmark = pytest.mark.keyring


def start(tmp_path: Path, settings: dict[str, Any]) -> tuple[Notifier, EventBus]:
    bus = EventBus()
    return Notifier(make_config(tmp_path, settings), SecretStore(), bus), bus


def our_log(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("core."))


async def test_a_round_of_200_new_videos_is_one_message_on_every_channel(
    tmp_path: Path, webhook: WebhookReceiver, telegram: FakeTelegram, smtp: SmtpServer, keyring_clean: SecretStore
) -> None:
    keyring_clean.set("notify:telegram", FakeTelegram.TOKEN)
    notifier, bus = start(tmp_path, all_channels(webhook, telegram, smtp))
    for event in two_hundred_new():
        bus.publish(event)
    await notifier.close()  # waits for the message in flight

    (hook,) = webhook.received
    assert hook.path == "/hooks/syncdeck?key=hook-secret-key"
    payload = hook.body
    assert payload["event"] == "round" and payload["round_id"] == 7 and payload["outcome"] == "done"
    assert payload["title"] == "SyncDeck: 200 new videos" and payload["categories"] == ["new"]
    assert payload["counts"] == {"new": 200, "downloaded": 200, "failed": 0}
    assert len(payload["items"]) == 200 and payload["items"][0] == {
        "category": "new", "title": "Video number 000", "task_id": 1000, "detail": "",
    }  # fmt: skip
    assert payload["body"].endswith("…and 195 more") and payload["language"] == "en"

    (text,) = telegram.texts()
    assert text.startswith("SyncDeck: 200 new videos\n\nRound 7 finished")
    assert text.count("\n• ") == 5 and text.endswith("…and 195 more")
    assert telegram.received[0].body["chat_id"] == FakeTelegram.CHAT_ID

    (mail,) = smtp.mails
    assert mail.sender == "syncdeck@example.org" and mail.recipients == ["lin@example.org"]
    assert mail.message["Subject"] == "SyncDeck: 200 new videos"
    body = mail.message.get_content()
    assert "• Video number 004" in body and "Video number 005" not in body and "…and 195 more" in body


async def test_messages_in_chinese(
    tmp_path: Path, webhook: WebhookReceiver, telegram: FakeTelegram, smtp: SmtpServer, keyring_clean: SecretStore
) -> None:
    keyring_clean.set("notify:telegram", FakeTelegram.TOKEN)
    notifier, bus = start(tmp_path, all_channels(webhook, telegram, smtp) | {"ui.language": "zh_CN"})
    for event in two_hundred_new():
        bus.publish(event)
    await notifier.close()
    (text,) = telegram.texts()
    assert text.startswith("SyncDeck：新增 200 个视频\n\n第 7 轮同步完成：新增 200，已下载 200，失败 0。")
    assert text.endswith("……还有 195 个")
    assert smtp.mails[0].message["Subject"] == "SyncDeck：新增 200 个视频"
    assert "……还有 195 个" in smtp.mails[0].message.get_content()
    assert webhook.received[0].body["language"] == "zh_CN"


async def test_a_channel_that_hangs_does_not_hold_up_the_others(
    tmp_path: Path,
    webhook: WebhookReceiver,
    telegram: FakeTelegram,
    smtp: SmtpServer,
    keyring_clean: SecretStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    keyring_clean.set("notify:telegram", FakeTelegram.TOKEN)
    webhook.knobs.delay = 3.0  # answers long after the timeout
    smtp.hang = True  # accepts the connection, never greets
    notifier, bus = start(tmp_path, all_channels(webhook, telegram, smtp) | {"notify.timeout_s": 0.5})
    began = time.monotonic()
    for event in two_hundred_new():
        bus.publish(event)
    assert time.monotonic() - began < 0.5, "publishing only queues the message"
    await asyncio.to_thread(telegram.wait_for, 1)
    assert len(telegram.texts()) == 1 and webhook.received == [] and smtp.mails == []

    with caplog.at_level(logging.WARNING, logger="core.engine.notify"):
        await notifier.close()
    assert time.monotonic() - began < 2.5, "each slow channel gave up after its timeout"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sorted(warnings) == [
        f"notification via email not sent: lin@example.org via 127.0.0.1:{smtp.port} did not answer within 0.5 s",
        f"notification via webhook not sent: the webhook at http://127.0.0.1:{webhook.port} "
        "did not answer within 0.5 s",
    ]
    assert "hook-secret-key" not in our_log(caplog), "the webhook's path and query may hold its token"


async def test_a_server_error_is_retried(
    tmp_path: Path, webhook: WebhookReceiver, telegram: FakeTelegram, smtp: SmtpServer
) -> None:
    webhook.knobs.statuses = [503]
    notifier, bus = start(tmp_path, {"notify.webhook.url": webhook.url, "notify.retries": 1})
    for event in two_hundred_new():
        bus.publish(event)
    await asyncio.to_thread(webhook.wait_for, 2)
    await notifier.close()
    assert len(webhook.received) == 2
    assert webhook.received[0].body == webhook.received[1].body


async def test_events_outside_a_round_wait_for_the_window_and_go_together(
    tmp_path: Path, webhook: WebhookReceiver
) -> None:
    notifier, bus = start(tmp_path, {"notify.webhook.url": webhook.url, "notify.batch_s": 0.3})
    until = datetime.now(UTC) + timedelta(minutes=10)
    bus.publish(RiskControl(3, "-352", until))
    bus.publish(AccountStateChanged(0, "expired", "-101"))
    await asyncio.sleep(0.1)
    assert webhook.received == [], "still gathering"
    (hook,) = await asyncio.to_thread(webhook.wait_for, 1)
    payload = hook.body
    assert payload["event"] == "activity" and payload["categories"] == ["risk", "login"]
    assert payload["title"] == "SyncDeck: stopped by Bilibili risk control, a login expired"
    assert "The login from SYNCDECK_BILIBILI_COOKIE: the login expired (-101)." in payload["body"]
    await notifier.close()
    assert len(webhook.received) == 1


async def test_close_sends_what_is_still_gathered(tmp_path: Path, webhook: WebhookReceiver) -> None:
    notifier, bus = start(tmp_path, {"notify.webhook.url": webhook.url, "notify.batch_s": 60})
    bus.publish(AccountStateChanged(2, "expired", "-101"))
    await notifier.close()
    assert [r.body["categories"] for r in webhook.received] == [["login"]]


async def test_nothing_is_sent_for_events_that_are_not_wanted(tmp_path: Path, webhook: WebhookReceiver) -> None:
    notifier, bus = start(tmp_path, {"notify.webhook.url": webhook.url, "notify.events": ["risk"]})
    for event in two_hundred_new():
        bus.publish(event)
    await notifier.close()
    assert webhook.received == []


async def test_telegram_refusing_the_token_is_a_clear_error_without_the_token(
    tmp_path: Path, telegram: FakeTelegram, keyring_clean: SecretStore, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "987654321:AAWrong-token-that-must-never-show"
    keyring_clean.set("notify:telegram", wrong)
    settings = {"notify.telegram.chat_id": FakeTelegram.CHAT_ID, "notify.telegram.api_base": telegram.base_url}
    notifier, bus = start(tmp_path, settings | {"notify.retries": 0})
    with pytest.raises(SyncDeckError) as refused:
        await notifier.send_test("telegram")
    assert str(refused.value).startswith("Telegram refused the message: Unauthorized (error 401)")
    assert wrong not in str(refused.value)

    with caplog.at_level(logging.INFO):
        for event in two_hundred_new():
            bus.publish(event)
        await notifier.close()
    assert "notification via Telegram not sent: Telegram refused the message: Unauthorized" in our_log(caplog)
    assert wrong not in our_log(caplog)
    assert telegram.texts() == [] and len(telegram.received) == 2


async def test_send_test_names_what_is_missing(tmp_path: Path, keyring_clean: SecretStore) -> None:
    notifier, _ = start(tmp_path, {"notify.telegram.chat_id": "42"})
    with pytest.raises(ConfigError, match=r"Telegram is not set up: set the Telegram bot token"):
        await notifier.send_test("telegram")
    with pytest.raises(ConfigError, match=r"set notify.webhook.url"):
        await notifier.send_test("webhook")
    with pytest.raises(ConfigError, match=r"set notify.email.host, notify.email.to, notify.email.from"):
        await notifier.send_test("email")
    assert notifier.channels() == [("webhook", False), ("telegram", False), ("email", False)]
    notifier.set_secret("telegram", "  123:token-from-a-paste \n")
    assert keyring_clean.get("notify:telegram") == "123:token-from-a-paste"
    assert notifier.channels() == [("webhook", False), ("telegram", True), ("email", False)]
    await notifier.close()


async def test_email_over_starttls_with_the_password_from_the_keyring(
    tmp_path: Path, keyring_clean: SecretStore
) -> None:
    cert, key = self_signed(tmp_path)
    settings = {
        "notify.email.host": "127.0.0.1",
        "notify.email.security": "starttls",
        "notify.email.user": SmtpServer.USER,
        "notify.email.to": ["lin@example.org", "ops@example.org"],
        "net.ca_bundle": str(cert),  # the one CA setting also covers the mail server
    }
    with SmtpServer(tls_context=server_tls(cert, key), require_login=True) as server:
        notifier, _ = start(tmp_path, settings | {"notify.email.port": server.port})
        with pytest.raises(ConfigError, match=r"the SMTP password \(`syncdeck notify secret email`\)"):
            await notifier.send_test("email")

        notifier.set_secret("email", "not-the-password")
        with pytest.raises(SyncDeckError) as refused:
            await notifier.send_test("email")
        assert f"refused the login of '{SmtpServer.USER}': 535" in str(refused.value)
        assert "not-the-password" not in str(refused.value)

        notifier.set_secret("email", SmtpServer.PASSWORD)
        line = await notifier.send_test("email")
        await notifier.close()
    assert line == f"sent to lin@example.org, ops@example.org via 127.0.0.1:{server.port}"
    (mail,) = server.mails
    assert mail.tls and mail.login == SmtpServer.USER
    assert mail.sender == SmtpServer.USER and mail.recipients == ["lin@example.org", "ops@example.org"]
    assert mail.message["Subject"] == "SyncDeck: test notification"
    assert "SyncDeck can notify you via email" in mail.message.get_content()


async def test_an_untrusted_mail_server_certificate_is_refused(tmp_path: Path, keyring_clean: SecretStore) -> None:
    cert, key = self_signed(tmp_path)
    with SmtpServer(tls_context=server_tls(cert, key)) as server:
        notifier, _ = start(
            tmp_path,
            {"notify.email.host": "127.0.0.1", "notify.email.port": server.port, "notify.email.from": "a@example.org",
             "notify.email.to": ["lin@example.org"], "notify.email.security": "starttls"},
        )  # fmt: skip
        with pytest.raises(SyncDeckError, match="has a certificate that is not trusted"):
            await notifier.send_test("email")
        await notifier.close()
    assert server.mails == []
