from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.config import load_config
from core.engine.engine import Engine
from core.secrets import SecretStore
from tests.notes.fake_client import ScriptedClient
from tests.notes.media import make_video


@pytest.fixture(scope="session")
def tiny_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("media") / "tiny.mp4")


@pytest.fixture
def client() -> ScriptedClient:
    return ScriptedClient()


@pytest.fixture
async def engine(tmp_path: Path, client: ScriptedClient) -> AsyncIterator[Engine]:
    from keyring.backends.null import Keyring as NullKeyring

    environ = {"SYNCDECK_LIBRARY_ROOT": str(tmp_path / "lib"), "SYNCDECK_UI_LANGUAGE": "en",
               "SYNCDECK_NOTES_RETRY_WAIT_S": "0.05"}  # fmt: skip
    config = load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ)
    engine = Engine(config, secrets=SecretStore(NullKeyring()))
    engine.notes.client_factory = lambda name, model: client
    try:
        yield engine
    finally:
        await engine.close()
