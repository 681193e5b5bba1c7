"""The base of the engine's feature services (servers, playback, playlists, torrents, LLM
accounts, notes): the parts of the engine each of them is given, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.config import Config
    from core.engine.accounts.book import AccountBook
    from core.events import EventBus
    from core.providers.registry import ProviderRegistry
    from core.secrets import SecretStore
    from core.store.db import Database


class FeatureService:
    def __init__(
        self, config: Config, db: Database, bus: EventBus, registry: ProviderRegistry, logins: AccountBook,
        secrets: SecretStore,
    ) -> None:  # fmt: skip
        self.config = config
        self.db = db
        self.bus = bus
        self.registry = registry
        self.logins = logins  # the video services' accounts and their open sessions
        self.secrets = secrets

    async def close(self) -> None:
        """Let go of what the service holds (sessions, servers, tasks); the engine calls it once."""
