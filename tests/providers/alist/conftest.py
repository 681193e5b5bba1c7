from __future__ import annotations

from tests.fakes.alist.fixtures import fake_alist, fake_alist_server  # noqa: F401  (registers the fixtures)
