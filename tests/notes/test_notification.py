"""When a batch ends, a message with its counts and failures goes out through the notifications."""

from __future__ import annotations

from pathlib import Path

from keyring.backends.null import Keyring as NullKeyring

from core.config import load_config
from core.engine.engine import Engine
from core.secrets import SecretStore
from tests.fakes.notify import WebhookReceiver
from tests.notes.fake_client import ScriptedClient
from tests.notes.media import copies


async def test_a_finished_batch_is_announced_with_its_failures(tiny_video: Path, tmp_path: Path) -> None:
    copies(tiny_video, tmp_path / "in", 3, subtitles=True)
    client = ScriptedClient(fail={"lecture 02": "the account has no credit left"})
    with WebhookReceiver() as webhook:
        environ = {"SYNCDECK_NOTIFY_WEBHOOK_URL": webhook.url, "SYNCDECK_UI_LANGUAGE": "en", "NO_PROXY": "*"}
        config = load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ)
        engine = Engine(config, secrets=SecretStore(NullKeyring()))
        engine.notes.client_factory = lambda name, model: client
        try:
            batch = await engine.notes.create_batch([str(tmp_path / "in")], name="Week 1")
            await engine.notes.run_batch(batch.id)
        finally:
            await engine.close()  # waits for the message in flight
        (hook,) = webhook.received
    payload = hook.body
    assert payload["event"] == "notes" and payload["outcome"] == "failed"
    assert payload["title"] == "SyncDeck: notes: 1 of 3 failed (Week 1)"
    assert payload["counts"] == {"total": 3, "done": 2, "failed": 1}
    assert payload["items"] == [
        {"category": "failed", "title": "lecture 02", "task_id": None, "detail": "the account has no credit left"}
    ]
