import logging
from collections.abc import Iterator

import pytest

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
