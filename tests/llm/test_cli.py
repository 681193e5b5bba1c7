"""`syncdeck llm …` as a user runs it: the real command, a real keyring, the fakes over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.llm.export import litellm, uni_api
from tests.fakes.gemini_fake import FakeGemini
from tests.fakes.gpt_load_fake import FakeGptLoad
from tests.fakes.openai_fake import FakeOpenAI
from tests.keyring_service import PrivateSecretService

pytestmark = [pytest.mark.timeout(120), pytest.mark.keyring]

SYNCDECK = Path(sys.executable).with_name("syncdeck")
ROOT = Path(__file__).resolve().parents[2]
RELAY_KEYS = ["sk-relay-spent-7f3a9c1e", "sk-relay-fresh-52b8d4aa"]
GEM_KEYS = ["AIzaSy-gem-key-e4c1b2d9"]


class LlmDeck:
    def __init__(self, root: Path, service: PrivateSecretService) -> None:
        self.root = root
        self.data = root / "data"
        self.config = root / "config.toml"
        self.config.write_text(f"[library]\nroot = {json.dumps(str(root / 'library'))}\n", encoding="utf-8")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCDECK_") and "proxy" not in k.lower()}
        self.env.update(
            SYNCDECK_CONFIG=str(self.config), SYNCDECK_DATA_DIR=str(self.data), NO_PROXY="*", PYTHONPATH=str(ROOT),
            DBUS_SESSION_BUS_ADDRESS=service.bus_address,
            PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring",
        )  # fmt: skip

    def run(
        self, *args: str, input: str | None = None, check: int | None = 0, **env: str
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([str(SYNCDECK), *args], env={**self.env, **env}, input=input, capture_output=True,
                              text=True, timeout=60)  # fmt: skip
        if check is not None and proc.returncode != check:
            raise AssertionError(f"syncdeck {' '.join(args)} exited {proc.returncode} (expected {check})\n"
                                 f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")  # fmt: skip
        return proc

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


@pytest.fixture
def deck(tmp_path: Path, secret_service: PrivateSecretService) -> LlmDeck:
    return LlmDeck(tmp_path, secret_service)


def every_text(*places: Path) -> str:
    """Everything written under these files and folders, as text (binary files too)."""
    out = []
    for place in places:
        files = [place] if place.is_file() else [p for p in place.rglob("*") if p.is_file()]
        out += [f.read_bytes().decode("utf-8", "replace") for f in files]
    return "\n".join(out)


def test_accounts_models_checks_rotation_exports_and_no_key_on_disk(
    deck: LlmDeck, fake_openai: FakeOpenAI, fake_gemini: FakeGemini, fake_gpt_load: FakeGptLoad,
    secret_service: PrivateSecretService,
) -> None:  # fmt: skip
    out = deck.run("llm", "add", "openai", "--name", "Relay", "--base-url", fake_openai.base_url + "/v1",
                   "--rpm", "600", input="\n".join(RELAY_KEYS) + "\n").stdout  # fmt: skip
    assert "2 key(s) in the keyring" in out
    deck.run("llm", "add", "gemini", "--name", "Gem", "--base-url", fake_gemini.base_url, input=GEM_KEYS[0])
    accounts = {a["name"]: a for a in deck.json("llm", "list")}
    assert (accounts["Relay"]["keys"], accounts["Gem"]["kind"]) == (2, "gemini")

    relay = {m["upstream"]: m for m in deck.json("llm", "models", "Relay", "--refresh")}
    assert relay["gpt-4o-2024-08-06"]["name"] == "gpt-4o" and not relay["text-embedding-3-small"]["enabled"]
    gem = {m["name"] for m in deck.json("llm", "models", "Gem", "--refresh")}
    assert {"gemini-2.5-flash", "gemini-2.5-pro"} <= gem
    deck.run("llm", "model", "Relay", "deepseek-chat", "--alias", "ds")
    deck.run("llm", "model", "Relay", "qwen3-32b", "--disable")

    fake_openai.script(key_modes={RELAY_KEYS[0]: "day"})  # the first key's daily quota is used up
    checks = deck.json("llm", "check", "Relay")
    assert checks and all(c["ok"] for c in checks)
    keys = deck.json("llm", "keys", "Relay")
    assert [k["state"] for k in keys] == ["spent", "ok"] and keys[0]["usable_at"]
    assert fake_openai.requests("/chat/completions")[-1]["key"] == RELAY_KEYS[1]
    assert len(deck.json("llm", "history", "Relay", "--model", "deepseek-chat")) == 1

    api_yaml = deck.root / "uni-api" / "api.yaml"
    deck.run("llm", "export", "uni-api", "-o", str(api_yaml))
    uni = yaml.safe_load(api_yaml.read_text())
    assert uni_api.problems(uni) == []
    providers = {p["provider"]: p for p in uni["providers"]}
    assert providers["Relay"]["base_url"] == fake_openai.base_url + "/v1/chat/completions"
    assert providers["Relay"]["api"] == ["${SYNCDECK_LLM_RELAY_KEY_1}", "${SYNCDECK_LLM_RELAY_KEY_2}"]
    assert {"deepseek-chat": "ds"} in providers["Relay"]["model"] and "gpt-4o-mini" in providers["Relay"]["model"]
    assert not any("qwen" in str(m) for m in providers["Relay"]["model"])
    assert providers["Gem"]["base_url"] == fake_gemini.base_url + "/v1beta"
    lite_yaml = deck.root / "litellm.yaml"
    deck.run("llm", "export", "litellm", "-o", str(lite_yaml))
    lite = yaml.safe_load(lite_yaml.read_text())
    assert litellm.problems(lite) == []
    ds = [d for d in lite["model_list"] if d["model_name"] == "ds"]
    assert [d["litellm_params"]["api_key"] for d in ds] == ["os.environ/SYNCDECK_LLM_RELAY_KEY_1",
                                                            "os.environ/SYNCDECK_LLM_RELAY_KEY_2"]  # fmt: skip
    assert ds[0]["litellm_params"]["model"] == "openai/deepseek-chat" and ds[0]["litellm_params"]["rpm"] == 600

    plan = json.loads(deck.run("llm", "export", "gpt-load", "--url", fake_gpt_load.base_url).stdout)
    assert [c["path"] for c in plan] == ["/api/groups", "/api/keys/add-multiple"] * 2
    assert [c["body"].get("keys_text") for c in plan[1::2]] == [
        "<1 key(s) from the keyring>",
        "<2 key(s) from the keyring>",
    ]
    assert fake_gpt_load.groups() == []  # a plan changes nothing
    deck.run("llm", "export", "gpt-load", "--url", fake_gpt_load.base_url, "--apply",
             GPT_LOAD_AUTH_KEY=FakeGptLoad.AUTH_KEY)  # fmt: skip
    groups = {g["name"]: g for g in fake_gpt_load.groups()}
    assert groups["relay"]["keys"] == RELAY_KEYS and groups["gem"]["keys"] == GEM_KEYS
    assert groups["relay"]["upstreams"] == [{"url": fake_openai.base_url, "weight": 1}]
    assert groups["relay"]["model_redirect_rules"]["ds"] == "deepseek-chat"
    assert groups["gem"]["channel_type"] == "gemini" and groups["gem"]["test_model"].startswith("gemini-")

    with_keys = deck.run("llm", "export", "uni-api", "--include-keys").stdout  # asked for: keys in the output
    assert RELAY_KEYS[1] in with_keys

    stored = every_text(deck.data, deck.config, api_yaml.parent, lite_yaml)
    assert (deck.data / "syncdeck.db").exists() and list((deck.data / "logs").glob("*.log"))
    for key in RELAY_KEYS + GEM_KEYS:
        assert key not in stored
        assert key[-12:] not in stored
    deck.run("llm", "remove", "Gem")
    assert secret_service.backend.get_password("SyncDeck", f"llm/account/{accounts['Gem']['id']}") is None


def test_mistakes_get_a_message_and_an_exit_code(
    deck: LlmDeck, fake_openai: FakeOpenAI, fake_gpt_load: FakeGptLoad
) -> None:
    no_url = deck.run("llm", "add", "openai", "--name", "X", input="sk-abc\n", check=2)
    assert "--base-url" in no_url.stderr and "Traceback" not in no_url.stderr
    assert "no API key" in deck.run("llm", "add", "gemini", "--name", "G", input="", check=2).stderr
    assert "no LLM account named 'Nope'" in deck.run("llm", "models", "Nope", check=2).stderr
    deck.run("llm", "add", "openai", "--name", "Bad", "--base-url", fake_openai.base_url, input="sk-refused-key-0099\n")
    fake_openai.script(key_modes={"sk-refused-key-0099": "invalid"})
    failed = deck.run("llm", "models", "Bad", "--refresh", check=1)
    assert "refused as invalid" in failed.stderr and "sk-refused-key-0099" not in failed.stderr
    fake_openai.reset()
    deck.run("llm", "keys", "Bad", "--reset")
    deck.run("llm", "models", "Bad", "--refresh")
    fake_openai.script(faults=[{"status": 500, "kind": "error", "times": -1, "path": "/chat"}])
    check = deck.run("llm", "check", "Bad", "--model", "gpt-4o-mini", SYNCDECK_LLM_RETRIES="0", check=1)
    assert "FAILED" in check.stdout
    assert deck.run("llm", "export", "gpt-load", check=2).stderr.startswith("syncdeck: gpt-load needs --url")
    fake_gpt_load.script(faults=[{"status": 500, "path": "/api/keys/add-multiple"}])
    apply = deck.run("llm", "export", "gpt-load", "--url", fake_gpt_load.base_url, "--apply",
                     GPT_LOAD_AUTH_KEY=FakeGptLoad.AUTH_KEY, check=1)  # fmt: skip
    assert "rolled back" in apply.stderr
    assert fake_gpt_load.groups() == []  # the group created before the failure is gone
    denied = deck.run("llm", "export", "gpt-load", "--url", fake_gpt_load.base_url, "--apply",
                      GPT_LOAD_AUTH_KEY="wrong-admin-key", check=1)  # fmt: skip
    assert "Authentication failed" in denied.stderr and "wrong-admin-key" not in denied.stderr


def test_keys_on_stdin_reach_a_running_daemon(deck: LlmDeck, fake_gemini: FakeGemini) -> None:
    from core.cli import remote

    daemon = subprocess.Popen([str(SYNCDECK), "daemon"], env=deck.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert daemon.stdout is not None and "syncdeck daemon" in daemon.stdout.readline()
        assert remote.find_owner(deck.data) is not None
        deck.run("llm", "add", "gemini", "--name", "Gem", "--base-url", fake_gemini.base_url, input=GEM_KEYS[0] + "\n")
        assert [a["name"] for a in deck.json("llm", "list")] == ["Gem"]
        checks = deck.json("llm", "check", "Gem", "--model", "gemini-2.5-flash")
        assert checks[0]["ok"] and fake_gemini.requests(":generateContent")[0]["key"] == GEM_KEYS[0]
    finally:
        daemon.terminate()
        daemon.wait(15)
    assert GEM_KEYS[0] not in every_text(deck.data)


def test_a_server_gives_keys_by_environment_and_nothing_is_saved(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCDECK_") and "proxy" not in k.lower()}
    env.update(SYNCDECK_DATA_DIR=str(tmp_path / "data"), SYNCDECK_CONFIG=str(tmp_path / "c.toml"), NO_PROXY="*",
               PYTHONPATH=str(ROOT), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")  # fmt: skip
    env.update(SYNCDECK_LLM_BOX_ONE_KEY_1="sk-env-key-aaaa1111", SYNCDECK_LLM_BOX_ONE_KEY_2="sk-env-key-bbbb2222")

    def run(*args: str, check: int = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([str(SYNCDECK), *args], env=env, input="", capture_output=True, text=True, timeout=60)
        assert proc.returncode == check, proc.stderr
        return proc

    refused = run("llm", "add", "openai", "--name", "nokey", "--base-url", fake_openai.base_url, check=2)
    assert "no API key" in refused.stderr
    added = run("llm", "add", "openai", "--name", "box one", "--base-url", fake_openai.base_url)
    assert "2 key(s) from the environment, not saved" in added.stdout
    run("llm", "models", "box one", "--refresh")
    assert all(c["ok"] for c in json.loads(run("llm", "check", "box one", "--model", "gpt-4o-mini", "--json").stdout))
    assert {r["key"] for r in fake_openai.requests()} == {"sk-env-key-aaaa1111"}
    keys = json.loads(run("llm", "keys", "box one", "--json").stdout)
    assert [k["masked"] for k in keys] == ["sk-…1111", "sk-…2222"]
    assert "sk-env-key" not in every_text(tmp_path / "data")
