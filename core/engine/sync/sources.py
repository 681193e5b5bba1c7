"""Sources: a pasted link becomes a source of whichever provider claims it."""

from __future__ import annotations

import asyncio
import enum
import logging
from typing import Protocol

from core.config import Config
from core.config.language import ui_language
from core.config.paths import user_path
from core.config.schedule import Schedule
from core.engine.accounts.book import AccountBook
from core.engine.filters import parse_rules
from core.engine.library import placement
from core.engine.sync.rounds import RoundRunner
from core.engine.views import LinkPreview, SourceView
from core.errors import ConfigError
from core.events import EventBus, StateChanged
from core.library.files import remove_item_folder
from core.providers.protocols import LinkParser, Provider, SourcePreview
from core.providers.registry import ProviderRegistry
from core.store import repo
from core.store.db import Database
from core.store.models import Source

log = logging.getLogger(__name__)


class ServerSources(Protocol):
    async def source_target(self, text: str) -> tuple[Provider, SourcePreview, int] | None: ...


class Auto(enum.Enum):
    """Marks an argument left to the engine (e.g. which account a new source uses)."""

    AUTO = "auto"


AUTO = Auto.AUTO


class SourceBook:
    def __init__(
        self, config: Config, db: Database, bus: EventBus, registry: ProviderRegistry, accounts: AccountBook,
        rounds: RoundRunner,
    ) -> None:  # fmt: skip
        self.config = config
        self.db = db
        self.bus = bus
        self.registry = registry
        self.accounts = accounts
        self.rounds = rounds
        # `ACCOUNT:PATH` of a media server account (core.engine.servers.ServerBook), set by the engine
        self.server_refs: ServerSources | None = None

    async def _default_account(self, provider: Provider) -> int | None:
        """The only account of the provider, when there is exactly one."""
        accounts = [a for a in await self.db.run(repo.list_accounts) if a.provider == provider.name]
        return accounts[0].id if len(accounts) == 1 else None

    async def _describe(self, text: str, account_id: int | None | Auto) -> tuple[Provider, SourcePreview, int | None]:
        if self.server_refs is not None and (folder := await self.server_refs.source_target(text)) is not None:
            return folder
        provider = self.registry.parser_for(text)
        assert isinstance(provider, LinkParser)
        if isinstance(account_id, Auto):
            account_id = await self._default_account(provider)
        elif account_id is not None:
            account = await self.db.run(repo.get_account, account_id)
            if account is None:
                raise ConfigError(f"there is no account {account_id} (see `syncdeck account list`)")
            if account.provider != provider.name:
                raise ConfigError(f"account {account_id} is a {account.provider} account, not {provider.display_name}")
        session = await self.accounts.session(provider, account_id)
        target = await provider.resolve_link(session, text)
        return provider, await provider.describe(session, target), account_id

    async def preview(self, text: str, account_id: int | None | Auto = AUTO) -> LinkPreview:
        """What a pasted link points at (title, owner, count, cover), without adding it."""
        provider, info, _ = await self._describe(text, account_id)
        target = info.target
        label = target.label_in(ui_language(self.config))
        folder = placement.default_source_folder(self.config, label, info.title, show=target.shared_folder)
        return LinkPreview(
            provider=provider.name, provider_name=provider.display_name, locator=target.locator, kind=target.kind,
            kind_label=label, title=info.title, owner=info.owner.name if info.owner else "",
            owner_face=info.owner.face if info.owner else "",
            count=info.count, cover=info.cover, needs_login=target.needs_login, show=target.shared_folder,
            default_folder=str(folder),
        )  # fmt: skip

    async def add(
        self, text: str, *, path: str | None = None, name: str | None = None, account_id: int | None | Auto = AUTO,
        rules: str | None = None, schedule: str = "",
    ) -> SourceView:  # fmt: skip
        """Add a source from a link. `account_id`: an account, None for none (public lists), or
        AUTO: the provider's only account when it has exactly one."""
        rule_json = parse_rules(rules).to_json() if rules else ""
        if schedule.strip():
            Schedule.parse(schedule.strip())
        provider, info, account_id = await self._describe(text, account_id)
        target = info.target
        if target.needs_login and account_id is None and self.accounts.env_secret(provider) is None:
            raise ConfigError(
                f"this {target.kind_label} needs a logged-in account: run `syncdeck login {provider.name} --qr` first"
            )
        existing = await self.db.run(repo.find_source, provider.name, target.locator)
        if existing is not None:
            raise ConfigError(f"this source is already added as #{existing.id} ({existing.name})")
        title = name or info.title or target.locator
        if path:
            folder = user_path(path)
        else:
            label = target.label_in(ui_language(self.config))  # existing sources keep their folders
            folder = placement.default_source_folder(self.config, label, title, show=target.shared_folder)
        source = Source(
            provider=provider.name, kind=target.kind, locator=target.locator, name=title,
            path=str(folder.resolve()), account_id=account_id, rules=rule_json, schedule=schedule.strip(),
        )  # fmt: skip
        source = await self.db.run(repo.add_source, source)
        log.info("source #%s added: %s (%s) → %s", source.id, title, target.locator, source.path)
        self.bus.publish(StateChanged("sources", (source.id or 0,)))
        return await self.view(source.id or 0)

    async def require(self, source_id: int) -> Source:
        source = await self.db.run(repo.get_source, source_id)
        if source is None:
            raise ConfigError(f"there is no source {source_id} (see `syncdeck source list`)")
        return source

    async def views(self) -> list[SourceView]:
        sources = await self.db.run(repo.list_sources)
        counts = await self.db.run(repo.source_counts)
        accounts = {a.id: a.name for a in await self.db.run(repo.list_accounts)}
        return [self._view(s, accounts, counts.get(s.id or 0)) for s in sources]

    async def view(self, source_id: int) -> SourceView:
        source = await self.require(source_id)
        counts = await self.db.run(repo.source_counts)
        accounts = {a.id: a.name for a in await self.db.run(repo.list_accounts)}
        return self._view(source, accounts, counts.get(source_id))

    def _view(self, s: Source, accounts: dict[int | None, str], counts: repo.SourceCounts | None) -> SourceView:
        c = counts or repo.SourceCounts()
        try:
            provider_name = self.registry.for_stored(s.provider).display_name
        except ConfigError:
            provider_name = s.provider
        return SourceView(
            id=s.id or 0, provider=s.provider, provider_name=provider_name, kind=s.kind, locator=s.locator,
            name=s.name, path=s.path, account_id=s.account_id,
            account=accounts.get(s.account_id, "") if s.account_id else "", enabled=s.enabled, rules=s.rules,
            schedule=s.schedule, schedule_text=self.rounds.source_schedule(s).describe(),
            last_scan_at=s.last_scan_at, next_scan=self.rounds.source_next_scan(s), last_error=s.last_error,
            cooldown_until=s.cooldown_until, done=c.done, queued=c.queued, failed=c.failed, removed=c.removed,
            skipped=c.skipped, created_at=s.created_at, paused=c.paused, cancelled=c.cancelled,
            unavailable=c.unavailable,
        )  # fmt: skip

    async def set_enabled(self, source_id: int, enabled: bool) -> None:
        await self.require(source_id)
        await self.db.run(repo.update_source, source_id, enabled=enabled)
        self.bus.publish(StateChanged("sources", (source_id,)))

    async def update(
        self, source_id: int, *, name: str | None = None, path: str | None = None, rules: str | None = None,
        account_id: int | None | Auto = AUTO, schedule: str | None = None,
    ) -> None:  # fmt: skip
        """Change what is given; `account_id=None` unbinds the account, AUTO keeps it."""
        source = await self.require(source_id)
        fields: dict[str, object] = {}
        if schedule is not None:
            if schedule.strip():
                Schedule.parse(schedule.strip())  # a clear ConfigError for a bad interval or cron
            fields["schedule"] = schedule.strip()
        if name:
            fields["name"] = name
        if path:
            fields["path"] = str(user_path(path).resolve())
        if rules is not None:
            fields["rules"] = parse_rules(rules).to_json() if rules.strip() else ""
        if not isinstance(account_id, Auto):
            if account_id is not None:
                account = await self.db.run(repo.get_account, account_id)
                if account is None:
                    raise ConfigError(f"there is no account {account_id} (see `syncdeck account list`)")
                if account.provider != source.provider:
                    raise ConfigError(f"account {account_id} is a {account.provider} account")
            fields["account_id"] = account_id
        await self.db.run(repo.update_source, source_id, **fields)
        self.bus.publish(StateChanged("sources", (source_id,)))

    async def remove(self, source_id: int, *, delete_files: bool = False) -> None:
        source = await self.require(source_id)
        paths = await self.db.run(repo.delete_source, source_id)
        if delete_files:
            for folder in paths:
                await asyncio.to_thread(remove_item_folder, source.path, folder)  # rmtree can take a while
        log.info("source #%s removed%s", source_id, " with its files" if delete_files else "")
        self.bus.publish(StateChanged("sources", (source_id,)))
