from tests.fakes.bilibili.conftest_fixtures import fake_bili, fake_bili_server  # noqa: F401
