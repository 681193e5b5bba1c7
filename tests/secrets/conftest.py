from __future__ import annotations

from tests.keyring_service import secret_service  # noqa: F401  (registers the fixture)
