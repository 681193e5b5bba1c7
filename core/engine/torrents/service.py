"""BitTorrent: one libtorrent session, torrents as tasks, resume data, seeding limits."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.config import Config
    from core.engine.accounts.book import AccountBook
    from core.events import EventBus
    from core.providers.registry import ProviderRegistry
    from core.secrets import SecretStore
    from core.store.db import Database


class TorrentService:
    """Built with every engine, so it must be cheap: heavy imports and work start on first use."""

    def __init__(
        self, config: Config, db: Database, bus: EventBus, registry: ProviderRegistry, accounts: AccountBook,
        secrets: SecretStore,
    ) -> None:  # fmt: skip
        self.config = config
        self.db = db
        self.bus = bus
        self.registry = registry
        self.accounts = accounts
        self.secrets = secrets

    async def close(self) -> None:
        pass
