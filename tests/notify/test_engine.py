"""The engine starts the notifier with itself: a real round against the fake Bilibili notifies."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backends.null import Keyring as NullKeyring

from core.config import load_config
from core.engine.engine import Engine
from core.secrets import SecretStore
from tests.fakes.bilibili import FakeBilibili, world
from tests.fakes.notify import WebhookReceiver


async def test_a_round_ends_in_one_webhook_message_and_the_test_command_works(
    fake_bili: FakeBilibili, webhook: WebhookReceiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", world.COOKIE)
    environ = {f"SYNCDECK_BILIBILI_{name.upper()}_HOST": url for name, url in fake_bili.hosts().items()}
    environ.update(
        SYNCDECK_LIBRARY_ROOT=str(tmp_path / "lib"),
        SYNCDECK_LIMITS_CHUNK_MIN_MIB="0.02",
        SYNCDECK_NOTIFY_WEBHOOK_URL=webhook.url,
        SYNCDECK_UI_LANGUAGE="en",
    )
    config = load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ)
    engine = Engine(config, secrets=SecretStore(NullKeyring()))  # the webhook needs no secret
    try:
        await engine.add_source(world.SERIES_KEY)
        result = await engine.sync()
        assert await engine.test_notification("webhook") == f"sent to the webhook at http://127.0.0.1:{webhook.port}"
    finally:
        await engine.close()  # lets the round's message finish
    assert result.outcome == "done" and result.new_items == 2
    rounds = [r.body for r in webhook.received if r.body["event"] == "round"]
    assert len(rounds) == 1
    assert rounds[0]["title"] == "SyncDeck: 2 new videos" and rounds[0]["counts"]["new"] == 2
    assert [r.body["event"] for r in webhook.received].count("test") == 1
