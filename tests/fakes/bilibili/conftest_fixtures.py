"""Pytest fixtures for the fake Bilibili; import them into a conftest.py.

`fake_bili_server` runs one server for the whole session (media generated once under the
session's temp dir); `fake_bili` hands it to a test after a reset, so every test starts from
the default world with no knobs and zero counters.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.bilibili import FakeBilibili


@pytest.fixture(scope="session")
def fake_bili_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeBilibili]:
    with FakeBilibili(tmp_path_factory.mktemp("fake-bilibili-media")) as server:
        yield server


@pytest.fixture
def fake_bili(fake_bili_server: FakeBilibili) -> FakeBilibili:
    fake_bili_server.reset()
    return fake_bili_server
