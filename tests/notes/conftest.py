from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.config import load_config
from core.engine.engine import Engine
from core.secrets import SecretStore
from tests.notes.fake_client import ScriptedClient
from tests.notes.media import make_video

CLOSED_HOSTS = ("API", "PASSPORT", "WWW", "COMMENT", "B23")


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
    # A link the library lacks is asked of its site: here a closed port, never the real one.
    environ.update({f"SYNCDECK_BILIBILI_{name}_HOST": "http://127.0.0.1:9" for name in CLOSED_HOSTS})
    config = load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ)
    engine = Engine(config, secrets=SecretStore(NullKeyring()))
    engine.notes.client_factory = lambda name, model: client
    try:
        yield engine
    finally:
        await engine.close()
