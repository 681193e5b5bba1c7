"""`syncdeck notify …` through `core.cli.main.main`, with the real keyring and the fakes."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.cli.main import main
from core.secrets import SecretStore
from tests.fakes.notify import FakeTelegram, SmtpServer, WebhookReceiver
from tests.notify.conftest import all_channels, write_config

pytestmark = pytest.mark.keyring


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """main() sets up SyncDeck's log handlers on the root logger; put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


class Deck:
    def __init__(self, root: Path, settings: dict[str, Any]) -> None:
        self.config = write_config(root / "config.toml", settings)
        self.data = root / "data"

    def run(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
    ) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--data-dir", str(self.data), "--config", str(self.config), *args])
        out, err = capsys.readouterr()
        return code, out, err

    def stored_text(self) -> str:
        """Everything SyncDeck wrote outside the keyring: config, database, logs."""
        files = [self.config, *(p for p in self.data.rglob("*") if p.is_file())]
        return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in files)


def test_the_bot_token_goes_to_the_keyring_and_nowhere_else(
    tmp_path: Path,
    telegram: FakeTelegram,
    keyring_clean: SecretStore,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deck = Deck(
        tmp_path, {"notify.telegram.chat_id": FakeTelegram.CHAT_ID, "notify.telegram.api_base": telegram.base_url}
    )
    code, out, err = deck.run(capsys, monkeypatch, "notify", "secret", "telegram", stdin=FakeTelegram.TOKEN + "\n")
    assert code == 0, err
    assert out.startswith("the Telegram bot token saved in the keyring")
    assert keyring_clean.get("notify:telegram") == FakeTelegram.TOKEN

    code, out, err = deck.run(capsys, monkeypatch, "-vv", "notify", "test", "telegram")
    assert (code, out) == (0, f"telegram: sent to Telegram chat {FakeTelegram.CHAT_ID}\n"), err
    assert telegram.texts() == [
        "SyncDeck: test notification\n\nIf you can read this, SyncDeck can notify you via Telegram."
    ]
    assert FakeTelegram.TOKEN not in out + err
    assert FakeTelegram.TOKEN not in deck.stored_text()
    assert "notify:telegram" not in deck.stored_text()


def test_test_sends_through_every_configured_channel(
    tmp_path: Path,
    webhook: WebhookReceiver,
    telegram: FakeTelegram,
    smtp: SmtpServer,
    keyring_clean: SecretStore,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keyring_clean.set("notify:telegram", FakeTelegram.TOKEN)
    deck = Deck(tmp_path, all_channels(webhook, telegram, smtp))
    code, out, err = deck.run(capsys, monkeypatch, "notify", "test")
    assert code == 0, err
    assert out.splitlines() == [
        f"webhook: sent to the webhook at http://127.0.0.1:{webhook.port}",
        f"telegram: sent to Telegram chat {FakeTelegram.CHAT_ID}",
        f"email: sent to lin@example.org via 127.0.0.1:{smtp.port}",
    ]
    assert [r.body["event"] for r in webhook.received] == ["test"]
    assert len(telegram.texts()) == 1 and len(smtp.mails) == 1


def test_one_refused_channel_fails_the_command_without_showing_the_token(
    tmp_path: Path,
    webhook: WebhookReceiver,
    telegram: FakeTelegram,
    smtp: SmtpServer,
    keyring_clean: SecretStore,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = "555000555:AAFake-revoked-token-xyz"
    deck = Deck(tmp_path, all_channels(webhook, telegram, smtp))
    code, _, err = deck.run(capsys, monkeypatch, "notify", "secret", "telegram", stdin=wrong)
    assert code == 0, err
    code, out, err = deck.run(capsys, monkeypatch, "-vv", "notify", "test")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"webhook: sent to the webhook at http://127.0.0.1:{webhook.port}"
    assert lines[1] == (
        "telegram: FAILED — Telegram refused the message: Unauthorized (error 401)"
        " — check the bot token (`syncdeck notify secret telegram`)"
    )
    assert lines[2].startswith("email: sent to")
    assert wrong not in out + err + deck.stored_text()


def test_nothing_configured_is_a_usage_error(
    tmp_path: Path, keyring_clean: SecretStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = Deck(tmp_path, {})
    code, out, err = deck.run(capsys, monkeypatch, "notify", "test")
    assert (code, out) == (2, "")
    assert "no notification channel is set up" in err
    code, out, _ = deck.run(capsys, monkeypatch, "notify", "test", "email")
    assert code == 2
    assert out == "email: not set up — set notify.email.host, notify.email.to, notify.email.from\n"
    code, _, err = deck.run(capsys, monkeypatch, "notify", "test", "sms")
    assert code == 2 and "invalid choice: 'sms'" in err
    code, _, err = deck.run(capsys, monkeypatch, "notify", "secret", "email", stdin="\n")
    assert (code, err) == (2, "syncdeck: the SMTP password was empty; nothing was stored\n")


def test_status_lists_channels_and_events(
    tmp_path: Path,
    webhook: WebhookReceiver,
    keyring_clean: SecretStore,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deck = Deck(tmp_path, {"notify.webhook.url": webhook.url, "notify.telegram.chat_id": "42", "ui.language": "zh_CN"})
    code, out, _ = deck.run(capsys, monkeypatch, "notify", "status", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["events"] == ["new", "failed", "risk", "login", "notes"] and data["language"] == "zh_CN"
    assert data["channels"] == [
        {"channel": "webhook", "configured": True, "target": f"the webhook at http://127.0.0.1:{webhook.port}",
         "missing": []},
        {"channel": "telegram", "configured": False, "target": "Telegram chat 42",
         "missing": ["the Telegram bot token (`syncdeck notify secret telegram`)"]},
        {"channel": "email", "configured": False, "target": "",
         "missing": ["notify.email.host", "notify.email.to", "notify.email.from"]},
    ]  # fmt: skip
    assert "hook-secret-key" not in out

    code, out, _ = deck.run(capsys, monkeypatch, "notify", "status")
    assert code == 0
    assert out.splitlines()[:3] == [
        f"webhook   ready → the webhook at http://127.0.0.1:{webhook.port}",
        "telegram  not set up → Telegram chat 42",
        "          needs the Telegram bot token (`syncdeck notify secret telegram`)",
    ]
    assert "events:   new, failed, risk, login" in out


def test_a_secret_can_be_deleted(
    tmp_path: Path, keyring_clean: SecretStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring_clean.set("notify:email", "old-smtp-password")
    deck = Deck(tmp_path, {})
    code, out, _ = deck.run(capsys, monkeypatch, "notify", "secret", "email", "--delete")
    assert (code, out) == (0, "the SMTP password deleted from the keyring\n")
    assert keyring_clean.get("notify:email") is None
