"""What notes cost: the user's prices per model, applied to the tokens the provider counted,
per task and per batch, in `notes show`/`notes list` and in the batch-end notification."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backends.null import Keyring as NullKeyring

from core.cli.main import build_parser, dispatch
from core.config import load_config
from core.engine.engine import Engine
from core.engine.notes.views import cost_text
from core.secrets import SecretStore
from tests.fakes.notify import WebhookReceiver
from tests.fakes.openai_fake import FakeOpenAI
from tests.notes.media import copies

REPLY = "## Main Topic\nNotes\n\n## Key Points\n- [00:01] the point\n"


async def syncdeck(engine: Engine, *argv: str) -> int:
    return await dispatch(engine, build_parser().parse_args(list(argv)))


def test_cost_text_keeps_small_costs_readable() -> None:
    assert [cost_text(c) for c in (12.5, 0.0123, 0.00042, 0.006)] == ["12.50", "0.0123", "0.00042", "0.006"]
    assert cost_text(3e-8) == "3.0e-08"


async def test_a_batch_costs_what_the_models_prices_say(
    fake_openai: FakeOpenAI, tiny_video: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copies(tiny_video, tmp_path / "in", 2, subtitles=True)
    fake_openai.script(reply=REPLY)
    with WebhookReceiver() as webhook:
        environ = {"SYNCDECK_NOTIFY_WEBHOOK_URL": webhook.url, "SYNCDECK_UI_LANGUAGE": "en", "NO_PROXY": "*",
                   "SYNCDECK_LLM_RELAY_KEY": "sk-relay-priced"}  # fmt: skip
        config = load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ)
        engine = Engine(config, secrets=SecretStore(NullKeyring()))
        try:
            await engine.llm.add_account("openai", "Relay", [], base_url=fake_openai.base_url)
            await engine.llm.refresh_models("Relay")
            price = ("--price-in", "150", "--price-out", "600")  # per million tokens: 0.00015 and 0.0006 a token
            assert await syncdeck(engine, "llm", "model", "Relay", "gpt-4o-mini", *price) == 0
            assert "150 in / 600 out per 1M tokens" in capsys.readouterr().out
            await engine.llm.refresh_models("Relay")  # a new list keeps the user's prices
            assert await syncdeck(engine, "llm", "models", "Relay") == 0
            assert "gpt-4o-mini" in next(line for line in capsys.readouterr().out.splitlines() if "150 in" in line)

            assert await syncdeck(engine, "notes", "run", str(tmp_path / "in"), "--llm", "Relay",
                                  "--model", "gpt-4o-mini") == 0  # fmt: skip
            tasks = await engine.notes.batch_tasks(1)
            for t in tasks:
                assert t.prompt_tokens > 0 and t.completion_tokens > 0
                assert t.cost == pytest.approx((t.prompt_tokens * 150 + t.completion_tokens * 600) / 1e6)
            batch = await engine.notes.batch(1)
            assert batch.cost == pytest.approx(sum(t.cost for t in tasks)) and batch.cost > 0.001
            capsys.readouterr()
            assert await syncdeck(engine, "notes", "show", "1") == 0
            shown = capsys.readouterr().out
            assert f"cost {cost_text(batch.cost)}" in shown.splitlines()[0]
            assert (
                f"{tasks[0].prompt_tokens + tasks[0].completion_tokens:,} tokens · cost {cost_text(tasks[0].cost)}"
                in shown
            )
            assert await syncdeck(engine, "notes", "list") == 0
            assert f"cost {cost_text(batch.cost)}" in capsys.readouterr().out
            # Another model of the account has no price: its notes cost nothing, as said.
            assert await syncdeck(engine, "notes", "run", str(tmp_path / "in"), "--llm", "Relay",
                                  "--model", "deepseek-chat", "--out", str(tmp_path / "out")) == 0  # fmt: skip
            assert (await engine.notes.batch(2)).cost == 0
        finally:
            await engine.close()  # waits for the messages in flight
        first, second = webhook.received
    assert f"Cost: {cost_text(batch.cost)}." in first.body["body"]
    assert "Cost" not in second.body["body"]
