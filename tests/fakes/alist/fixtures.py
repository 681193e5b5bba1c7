"""Pytest fixtures for the fake Alist: one server per session, reset for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.alist import FakeAlist


@pytest.fixture(scope="session")
def fake_alist_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeAlist]:
    with FakeAlist(tmp_path_factory.mktemp("fake-alist-media")) as server:
        yield server


@pytest.fixture
def fake_alist(fake_alist_server: FakeAlist) -> FakeAlist:
    fake_alist_server.reset()
    return fake_alist_server
