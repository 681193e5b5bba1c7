from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.gemini_fake import FakeGemini
from tests.fakes.gpt_load_fake import FakeGptLoad
from tests.fakes.openai_fake import FakeOpenAI
from tests.keyring_service import secret_service  # noqa: F401  (registers the fixture)


@pytest.fixture(scope="session")
def fake_openai_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def fake_openai(fake_openai_server: FakeOpenAI) -> FakeOpenAI:
    fake_openai_server.reset()
    return fake_openai_server


@pytest.fixture(scope="session")
def fake_gemini_server() -> Iterator[FakeGemini]:
    with FakeGemini() as server:
        yield server


@pytest.fixture
def fake_gemini(fake_gemini_server: FakeGemini) -> FakeGemini:
    fake_gemini_server.reset()
    return fake_gemini_server


@pytest.fixture(scope="session")
def fake_gpt_load_server() -> Iterator[FakeGptLoad]:
    with FakeGptLoad() as server:
        yield server


@pytest.fixture
def fake_gpt_load(fake_gpt_load_server: FakeGptLoad) -> FakeGptLoad:
    fake_gpt_load_server.reset()
    return fake_gpt_load_server
