"""engine.llm with a real keyring and the fakes: accounts, models, health, rotation, hooks, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from core.engine.engine import Engine
from core.errors import ConfigError, LlmError
from core.llm.protocol import Message
from tests.fakes.gemini_fake import FakeGemini
from tests.fakes.gpt_load_fake import FakeGptLoad
from tests.fakes.openai_fake import FakeOpenAI
from tests.keyring_service import PrivateSecretService

pytestmark = [pytest.mark.timeout(90), pytest.mark.keyring]
HELLO = [Message("user", "hello")]


async def test_account_keys_live_only_in_the_keyring(
    engine: Engine, fake_openai: FakeOpenAI, secret_service: PrivateSecretService
) -> None:
    view = await engine.llm.add_account("openai", "Relay", ["sk-relay-key-0001", "sk-relay-key-0002"],
                                        base_url=fake_openai.base_url)  # fmt: skip
    assert (view.kind, view.keys, view.usable_keys) == ("openai", 2, 2)
    stored = secret_service.backend.get_password("SyncDeck", f"llm/account/{view.id}")
    assert stored == "sk-relay-key-0001\nsk-relay-key-0002"
    keys = await engine.llm.keys("Relay")
    assert [k.masked for k in keys] == ["sk-…0001", "sk-…0002"] and {k.state for k in keys} == {"ok"}
    with pytest.raises(ConfigError, match="exists already"):
        await engine.llm.add_account("openai", "Relay", ["sk-x"], base_url=fake_openai.base_url)
    await engine.llm.remove_account("Relay")
    assert secret_service.backend.get_password("SyncDeck", f"llm/account/{view.id}") is None
    assert await engine.llm.accounts() == []


async def test_models_normalised_filtered_renamed_and_aliased(engine: Engine, fake_openai: FakeOpenAI) -> None:
    await engine.llm.add_account("openai", "Relay", ["sk-a-key"], base_url=fake_openai.base_url + "/v1/")
    models = {m.upstream: m for m in await engine.llm.models("Relay", refresh=True)}
    assert models["gpt-4o-2024-08-06"].name == "gpt-4o"
    assert models["openai/gpt-4.1-nano"].name == "gpt-4.1-nano"
    assert models["qwen3-32b-latest"].name == "qwen3-32b"
    assert (models["whisper-1"].kind, models["text-embedding-3-small"].kind) == ("audio", "embedding")
    assert not models["text-embedding-3-small"].enabled and models["whisper-1"].enabled
    assert (await engine.llm.account("Relay")).can_transcribe
    await engine.llm.update_account("Relay", rules={"rename": [["^gpt-", "official/gpt-"]], "block": ["qwen"]})
    await engine.llm.set_model("Relay", "deepseek-chat", alias="ds")
    after = {m.upstream: m for m in await engine.llm.models("Relay", refresh=True)}
    assert after["gpt-4o-mini"].name == "official/gpt-4o-mini"
    assert "qwen3-32b-latest" not in after or not after["qwen3-32b-latest"].listed
    assert after["deepseek-chat"].exported_name == "ds"
    client = engine.llm.client("Relay", "ds")
    assert client.model == "deepseek-chat" and (await client.complete(HELLO)).text == "Echo: hello"
    with pytest.raises(ConfigError, match="bad"):
        await engine.llm.update_account("Relay", rules={"rename": [["(bad", "x"]]})


async def test_per_day_quota_spends_the_key_for_every_client(engine: Engine, fake_gemini: FakeGemini) -> None:
    await engine.llm.add_account("gemini", "Gem", ["AIza-first-key", "AIza-second-key"], base_url=fake_gemini.base_url)
    await engine.llm.refresh_models("Gem")
    fake_gemini.script(key_modes={"AIza-first-key": "day"})
    for _ in range(2):
        assert (await engine.llm.client("Gem").complete(HELLO)).text == "Echo: hello"
    used = [r["key"] for r in fake_gemini.requests(":generateContent")]
    assert used.count("AIza-first-key") == 1  # spent once, then skipped by the next client too
    keys = await engine.llm.keys("Gem")
    assert [k.state for k in keys] == ["spent", "ok"] and keys[0].usable_at is not None
    assert (await engine.llm.account("Gem")).usable_keys == 1
    await engine.llm.reset_keys("Gem")
    assert [k.state for k in await engine.llm.keys("Gem")] == ["ok", "ok"]


async def test_errors_set_a_model_aside_until_a_good_health_check(engine: Engine, fake_openai: FakeOpenAI) -> None:
    await engine.llm.add_account("openai", "Relay", ["sk-a-key"], base_url=fake_openai.base_url)
    await engine.llm.refresh_models("Relay")
    fake_openai.script(faults=[{"status": 400, "kind": "error", "times": 3, "path": "/chat"}])
    for _ in range(3):
        with pytest.raises(LlmError):
            await engine.llm.client("Relay", "deepseek-chat").complete(HELLO)
    model = next(m for m in await engine.llm.models("Relay") if m.upstream == "deepseek-chat")
    assert model.auto_disabled and "3 errors" in model.disabled_reason and not model.usable
    results = await engine.llm.check("Relay", "deepseek-chat")
    assert results[0].ok and results[0].latency_ms >= 0
    model = next(m for m in await engine.llm.models("Relay") if m.upstream == "deepseek-chat")
    assert not model.auto_disabled and model.last_ok
    history = await engine.llm.health_history("Relay", "deepseek-chat")
    assert len(history) == 1 and history[0].ok


async def test_check_every_enabled_chat_model_and_keep_history(engine: Engine, fake_gemini: FakeGemini) -> None:
    await engine.llm.add_account("gemini", "Gem", ["AIza-k"], base_url=fake_gemini.base_url)
    await engine.llm.refresh_models("Gem")
    fake_gemini.script(faults=[{"status": 404, "kind": "error", "times": -1, "path": "gemini-2.5-pro:"}])
    results = {r.model: r for r in await engine.llm.check("Gem")}
    assert set(results) == {"models/gemini-2.5-flash", "models/gemini-2.5-pro", "models/gemini-2.5-flash-lite"}
    assert not results["models/gemini-2.5-pro"].ok and results["models/gemini-2.5-flash"].ok
    sent = fake_gemini.requests(":generateContent")
    assert all(r["body"]["generationConfig"] == {"maxOutputTokens": 1} for r in sent)


async def test_video_through_the_engine_client(engine: Engine, fake_gemini: FakeGemini, tmp_path: Path) -> None:
    await engine.llm.add_account("gemini", "Gem", ["AIza-k"], base_url=fake_gemini.base_url)
    await engine.llm.refresh_models("Gem")
    video = tmp_path / "talk.mp4"
    video.write_bytes(b"v" * 2048)
    client = engine.llm.client("Gem", "gemini-2.5-pro")
    assert client.can_watch_video and not client.can_transcribe
    done = await client.complete_with_video(video, "Summarise.")
    assert "[video talk 2048 bytes]" in done.text and fake_gemini.files()["files"] == []


async def test_hooks_from_the_plugins_folder_rename_and_filter(engine: Engine, fake_openai: FakeOpenAI) -> None:
    plugins = engine.config.data_dir / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "house.py").write_text(
        "def register(hooks):\n"
        "    def models(payload):\n"
        "        kept = [m for m in payload['models'] if 'whisper' not in m['upstream']]\n"
        "        for m in kept:\n"
        "            m['name'] = 'house/' + m['name']\n"
        "        return {**payload, 'models': kept}\n"
        "    hooks.on('models_fetched', models)\n"
        "    hooks.on('config_generated', lambda p: {**p, 'config': {**p['config'], 'x-house': True}})\n"
    )
    await engine.llm.add_account("openai", "Relay", ["sk-a-key"], base_url=fake_openai.base_url)
    names = {m.name for m in await engine.llm.refresh_models("Relay")}
    assert "house/gpt-4o" in names and not any("whisper" in n for n in names)
    exported = yaml.safe_load((await engine.llm.export("uni-api")).text)
    assert exported["x-house"] is True
    seen: list[dict[str, object]] = []
    engine.llm.hooks.on("note_written", seen.append)
    await engine.llm.hooks.fire("note_written", {"path": "/x.md", "task_id": 1, "template": "t", "model": "m"})
    assert seen == [{"path": "/x.md", "task_id": 1, "template": "t", "model": "m"}]


async def test_a_file_that_fails_its_check_is_rolled_back(
    engine: Engine, fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    await engine.llm.add_account("openai", "Relay", ["sk-a-key"], base_url=fake_openai.base_url)
    await engine.llm.refresh_models("Relay")
    target = tmp_path / "uni" / "api.yaml"
    target.parent.mkdir()
    target.write_text("providers:\n  - provider: mine\n    base_url: https://example.org/v1/chat/completions\n"
                      "    api: sk-mine\napi_keys:\n  - api: sk-client\n    model: [all]\n")  # fmt: skip
    original = target.read_text()
    first = await engine.llm.export("uni-api", path=target)
    merged = yaml.safe_load(target.read_text())
    assert [p["provider"] for p in merged["providers"]] == ["mine", "Relay"]
    assert merged["api_keys"] == [{"api": "sk-client", "model": ["all"]}]
    assert Path(first.backup).read_text() == original
    written = target.read_text()
    plugins = engine.config.data_dir / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "breaks.py").write_text(  # a hook that leaves a provider uni-api would refuse
        "def register(hooks):\n"
        "    def spoil(p):\n"
        "        p['config']['providers'][-1]['base_url'] = 'ftp://nowhere'\n"
        "    hooks.on('config_generated', spoil)\n"
    )
    engine.llm._hooks = None  # load the new plugin
    with pytest.raises(LlmError, match="would not load"):
        await engine.llm.export("uni-api", path=target)
    assert target.read_text() == written


def test_write_validated_restores_the_previous_file(tmp_path: Path) -> None:
    from core.llm.export.files import write_validated

    path = tmp_path / "config.yaml"
    path.write_text("old: 1\n")

    def refuse(candidate: Path) -> None:
        if candidate == path:  # passes as a temporary file, fails once in place
            raise ValueError("gateway refused it")

    with pytest.raises(LlmError, match="was not changed"):
        write_validated(path, "new: 2\n", refuse)
    assert path.read_text() == "old: 1\n"
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(LlmError):
        write_validated(tmp_path / "fresh.yaml", "x: 1\n", lambda p: (_ for _ in ()).throw(ValueError("no")))
    assert not (tmp_path / "fresh.yaml").exists()


async def test_a_sync_round_refreshes_model_lists_that_are_due(engine: Engine, fake_openai: FakeOpenAI) -> None:
    import asyncio

    from core.events import RoundStarted

    await engine.llm.add_account("openai", "Relay", ["sk-a-key"], base_url=fake_openai.base_url)
    engine.bus.publish(RoundStarted(round_id=1, source_ids=()))
    for _ in range(200):
        if (await engine.llm.account("Relay")).models_fetched_at is not None:
            break
        await asyncio.sleep(0.02)
    assert (await engine.llm.account("Relay")).models == 7
    fake_openai.script(models=["gpt-5"])
    assert await engine.llm.refresh_due() == []  # fetched just now: not due for 24 h
    assert len(fake_openai.requests("/v1/models")) == 1


async def test_gpt_load_aggregates_a_model_two_accounts_serve(
    engine: Engine, fake_openai: FakeOpenAI, fake_gpt_load: FakeGptLoad
) -> None:
    await engine.llm.add_account("openai", "Site A", ["sk-site-a-key"], base_url=fake_openai.base_url)
    await engine.llm.add_account("openai", "Site B", ["sk-site-b-key"], base_url=fake_openai.base_url + "/v1")
    for name in ("Site A", "Site B"):
        await engine.llm.refresh_models(name)
    fake_openai.script(models=["gpt-4o-mini"])
    await engine.llm.refresh_models("Site B")  # B now serves only gpt-4o-mini
    plan = json.loads((await engine.llm.export_gpt_load(fake_gpt_load.base_url)).text)
    assert [c["body"]["name"] for c in plan if c["path"] == "/api/groups"] == ["site-a", "site-b", "agg-gpt-4o-mini"]
    for _ in range(2):  # applying twice changes nothing the second time
        result = await engine.llm.export_gpt_load(fake_gpt_load.base_url, FakeGptLoad.AUTH_KEY, apply=True)
        assert result.applied and "agg-gpt-4o-mini: aggregate over site-a, site-b" in result.steps
    groups = {g["name"]: g for g in fake_gpt_load.groups()}
    assert set(groups) == {"site-a", "site-b", "agg-gpt-4o-mini"}
    aggregate = groups["agg-gpt-4o-mini"]
    assert aggregate["group_type"] == "aggregate"
    assert sorted(int(i) for i in aggregate["sub_groups"]) == sorted([groups["site-a"]["id"], groups["site-b"]["id"]])
    assert groups["site-a"]["keys"] == ["sk-site-a-key"]


@pytest.mark.filterwarnings("ignore::UserWarning:pydantic")  # LiteLLM's own TypedDicts, at import
async def test_litellm_loads_the_exported_file_and_reaches_each_account(
    engine: Engine, fake_openai: FakeOpenAI, fake_gemini: FakeGemini, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # its price list from the package, not the web
    litellm = pytest.importorskip("litellm", reason="litellm (test extra) is not installed")
    await engine.llm.add_account("openai", "Relay", ["sk-relay-one", "sk-relay-two"], base_url=fake_openai.base_url,
                                 rpm=600)  # fmt: skip
    await engine.llm.add_account("gemini", "Gem", ["AIza-gem-key"], base_url=fake_gemini.base_url)
    for name in ("Relay", "Gem"):
        await engine.llm.refresh_models(name)
    await engine.llm.set_model("Relay", "deepseek-chat", alias="ds")
    target = tmp_path / "litellm" / "config.yaml"
    await engine.llm.export("litellm", path=target)
    config = yaml.safe_load(target.read_text())
    for variable, key in (("SYNCDECK_LLM_RELAY_KEY_1", "sk-relay-one"), ("SYNCDECK_LLM_RELAY_KEY_2", "sk-relay-two"),
                          ("SYNCDECK_LLM_GEM_KEY", "AIza-gem-key"), ("NO_PROXY", "*")):  # fmt: skip
        monkeypatch.setenv(variable, key)

    router = litellm.Router(model_list=config["model_list"], **config["router_settings"])
    loaded = {(d["model_name"], d["litellm_params"]["api_key"]): d["litellm_params"] for d in router.registry().all()}
    assert loaded[("ds", "sk-relay-one")]["model"] == "openai/deepseek-chat"
    assert loaded[("ds", "sk-relay-two")]["api_base"] == fake_openai.base_url + "/v1"
    assert loaded[("ds", "sk-relay-one")]["rpm"] == 600
    assert loaded[("gemini-2.5-flash", "AIza-gem-key")]["model"] == "gemini/gemini-2.5-flash"
    assert ("text-embedding-3-small", "sk-relay-one") not in loaded and ("deepseek-chat", "sk-relay-one") not in loaded
    assert {name for name, _ in loaded} >= {"ds", "gpt-4o", "gpt-4o-mini", "gemini-2.5-flash", "gemini-2.5-pro"}

    # The deployments LiteLLM made from the file answer, at the address and with the key the file gives.
    relay = await router.acompletion(model="ds", messages=[{"role": "user", "content": "hello relay"}])
    gem = await router.acompletion(model="gemini-2.5-flash", messages=[{"role": "user", "content": "hello gem"}])
    assert relay.choices[0].message.content == "Echo: hello relay"
    assert gem.choices[0].message.content == "Echo: hello gem"
    (sent,) = fake_openai.requests("/chat/completions")
    assert sent["body"]["model"] == "deepseek-chat" and sent["key"] in ("sk-relay-one", "sk-relay-two")
    assert [r["key"] for r in fake_gemini.requests("gemini-2.5-flash:generateContent")] == ["AIza-gem-key"]
