from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.fakes.gemini_fake import FakeGemini
    from tests.fakes.openai_fake import FakeOpenAI

from tests.fakes.bilibili.conftest_fixtures import fake_bili, fake_bili_server  # noqa: F401


@pytest.fixture(autouse=True)
def root_logging_restored() -> Iterator[None]:
    """A command run in-process sets up logging to the test's captured (later closed) stderr;
    later tests must not log into it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


# The LLM fakes, one of each per session for every folder that uses them (tests/llm, tests/notes).
@pytest.fixture(scope="session")
def fake_openai_server() -> Iterator[FakeOpenAI]:
    from tests.fakes.openai_fake import FakeOpenAI

    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def fake_openai(fake_openai_server: FakeOpenAI) -> FakeOpenAI:
    fake_openai_server.reset()
    return fake_openai_server


@pytest.fixture(scope="session")
def fake_gemini_server() -> Iterator[FakeGemini]:
    from tests.fakes.gemini_fake import FakeGemini

    with FakeGemini() as server:
        yield server


@pytest.fixture
def fake_gemini(fake_gemini_server: FakeGemini) -> FakeGemini:
    fake_gemini_server.reset()
    return fake_gemini_server
