from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.playback.proxy import StreamProxy
from tests.playback.upstream import Origin, serve_upstream
from tests.providers.bilibili.conftest import bili_config, provider, session  # noqa: F401  (fixtures)


@pytest.fixture(scope="session")
async def origin(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Origin]:
    origin, server, task = await serve_upstream(Path(tmp_path_factory.mktemp("origin")))
    yield origin
    server.should_exit = True
    await task


@pytest.fixture
async def proxy() -> AsyncIterator[StreamProxy]:
    proxy = StreamProxy()
    await proxy.start()
    yield proxy
    await proxy.close()
