from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from core.config import load_config
from core.engine.engine import Engine
from tests.fakes.gpt_load_fake import FakeGptLoad
from tests.keyring_service import PrivateSecretService, secret_service  # noqa: F401  (registers the fixture)


@pytest.fixture(scope="session")
def fake_gpt_load_server() -> Iterator[FakeGptLoad]:
    with FakeGptLoad() as server:
        yield server


@pytest.fixture
def fake_gpt_load(fake_gpt_load_server: FakeGptLoad) -> FakeGptLoad:
    fake_gpt_load_server.reset()
    return fake_gpt_load_server


@pytest.fixture
async def engine(tmp_path: Path, secret_service: PrivateSecretService) -> AsyncIterator[Engine]:  # noqa: F811
    """An engine whose keys go to the private Secret Service; fast polls, three errors set a model aside."""
    environ = {
        "SYNCDECK_LIBRARY_ROOT": str(tmp_path / "library"),
        "SYNCDECK_LLM_GEMINI_POLL_S": "0.02",
        "SYNCDECK_LLM_DISABLE_ERRORS": "3",
        "SYNCDECK_LLM_RETRIES": "1",
    }
    engine = Engine(load_config(tmp_path / "config.toml", data_dir=tmp_path / "data", environ=environ))
    yield engine
    await engine.close()
