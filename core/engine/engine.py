"""The engine's facade: everything the command line, the daemon and the window can do.

A thin layer over services with one job each — accounts (core.engine.accounts), sync and
schedules (core.engine.sync), library writing (core.engine.library), tasks
(core.engine.tasks) — that share the database, the provider registry and the event bus.
Callers get plain view types back (core.engine.views, core.tasks.views) and never touch a
provider or the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from core.config import Config, save_config
from core.engine.accounts.book import AccountBook
from core.engine.library import placement
from core.engine.llm.service import LlmBook
from core.engine.notes.service import NotesService
from core.engine.notify import ChannelStatus, Notifier
from core.engine.playback.service import PlaybackService
from core.engine.playlists.service import PlaylistBook
from core.engine.servers.service import ServerBook
from core.engine.sync.interrupted import close_interrupted_rounds
from core.engine.sync.rounds import RoundResult, RoundRunner
from core.engine.sync.sources import AUTO, Auto, SourceBook
from core.engine.tasks.book import TaskBook
from core.engine.tasks.running import RunningWork
from core.engine.torrents.service import TorrentService
from core.engine.views import AccountView, LinkPreview, ProviderView, QrLogin, SourceView
from core.errors import ConfigError, LinkError
from core.events import EventBus, StateChanged
from core.library.files import write_bytes_atomic
from core.providers.protocols import LoginMethod, QrChallenge
from core.providers.registry import ProviderRegistry
from core.secrets import KeyringStatus, SecretStore
from core.store import repo
from core.store.db import Database
from core.store.models import Account, utcnow
from core.tasks.views import TaskView

log = logging.getLogger(__name__)

__all__ = ["AUTO", "Auto", "Engine", "RoundResult"]


class Engine:
    def __init__(
        self,
        config: Config,
        *,
        secrets: SecretStore | None = None,
        bus: EventBus | None = None,
        registry: ProviderRegistry | None = None,
    ) -> None:
        self.config = config
        self.bus = bus or EventBus()
        self.secrets = secrets or SecretStore()
        self.registry = registry or ProviderRegistry(config)
        self.db = Database(config.database_path)
        close_interrupted_rounds(self.db, config.data_dir)
        self.running = RunningWork()
        self.bus.subscribe(self.running.on_event)
        self.accounts = AccountBook(config, self.db, self.secrets, self.bus, self.registry)
        self.rounds = RoundRunner(config, self.db, self.bus, self.registry, self.accounts, self.running)
        self.sources_book = SourceBook(config, self.db, self.bus, self.registry, self.accounts, self.rounds)
        self.tasks_book = TaskBook(config, self.db, self.bus, self.registry, self.running)
        self.notifier = Notifier(config, self.secrets, self.bus)
        # Feature services, reached as engine.playback, engine.playlists… (their own facades).
        parts = (config, self.db, self.bus, self.registry, self.accounts, self.secrets)
        self.playback = PlaybackService(*parts)
        self.playlists = PlaylistBook(*parts)
        self.torrents = TorrentService(*parts)
        self.llm = LlmBook(*parts)
        self.notes = NotesService(*parts)
        self.servers = ServerBook(*parts)
        self._background: asyncio.Future[None] | None = None  # downloads into the library starting again
        self.sources_book.server_refs = self.servers  # `source add ACCOUNT:PATH` mirrors a server folder
        # notes ask them for clients, videos, and links the library does not have
        self.notes.bind(llm=self.llm, playlists=self.playlists, playback=self.playback)
        # a torrent's file plays while it downloads; downloads into the library show as running, pause stops them
        self.playback.bind(sources={"torrent": self.torrents.open_ref}, running=self.running)

    async def close(self) -> None:
        if self._background is not None:
            self._background.cancel()
        for service in (self.servers, self.notes, self.llm, self.torrents, self.playlists, self.playback):
            await service.close()
        await self.notifier.close()
        await self.accounts.close()
        await asyncio.to_thread(self.db.close)

    # ------------------------------------------------------------ providers

    def providers(self) -> list[ProviderView]:
        return [ProviderView(*entry) for entry in self.registry.describe()]

    # ------------------------------------------------------------ sources

    def link_provider(self, text: str) -> str | None:
        """The provider that claims a pasted text as its link (offline), or None."""
        try:
            return self.registry.parser_for(text).name
        except LinkError:
            return None

    def default_folder(self, preview: LinkPreview, title: str) -> Path:
        """Where a source of this link goes when no folder is given."""
        return placement.default_source_folder(self.config, preview.kind_label, title, show=preview.show)

    async def preview_link(self, text: str, account_id: int | None | Auto = AUTO) -> LinkPreview:
        return await self.sources_book.preview(text, account_id)

    async def add_source(
        self, text: str, *, path: str | None = None, name: str | None = None, account_id: int | None | Auto = AUTO,
        rules: str | None = None, schedule: str = "",
    ) -> SourceView:  # fmt: skip
        return await self.sources_book.add(
            text, path=path, name=name, account_id=account_id, rules=rules, schedule=schedule
        )  # fmt: skip

    async def sources(self) -> list[SourceView]:
        return await self.sources_book.views()

    async def source(self, source_id: int) -> SourceView:
        return await self.sources_book.view(source_id)

    async def set_enabled(self, source_id: int, enabled: bool) -> None:
        await self.sources_book.set_enabled(source_id, enabled)

    async def update_source(
        self, source_id: int, *, name: str | None = None, path: str | None = None, rules: str | None = None,
        account_id: int | None | Auto = AUTO, schedule: str | None = None,
    ) -> None:  # fmt: skip
        await self.sources_book.update(
            source_id, name=name, path=path, rules=rules, account_id=account_id, schedule=schedule
        )  # fmt: skip

    async def remove_source(self, source_id: int, *, delete_files: bool = False) -> None:
        await self.sources_book.remove(source_id, delete_files=delete_files)

    # ------------------------------------------------------------ accounts

    def _account_view(self, a: Account) -> AccountView:
        try:
            provider_name = self.registry.for_stored(a.provider).display_name
        except ConfigError:
            provider_name = a.provider
        return AccountView(
            id=a.id or 0, provider=a.provider, provider_name=provider_name, name=a.name, user_id=a.user_id,
            user_name=a.user_name, avatar=a.avatar, vip=a.vip, server_url=a.server_url, state=a.state,
            last_check_at=a.last_check_at,
        )  # fmt: skip

    async def list_accounts(self) -> list[AccountView]:
        return [self._account_view(a) for a in await self.db.run(repo.list_accounts)]

    async def qr_login_start(self, provider: str = "bilibili") -> QrLogin:
        challenge = await self.accounts.authenticator(provider).qr_start()
        return QrLogin(provider, challenge.url, challenge.key)

    async def qr_login_poll(self, login: QrLogin, name: str = "") -> tuple[str, AccountView | None]:
        """ "waiting", "scanned", "expired" or "confirmed" (then with the saved account)."""
        status = await self.accounts.authenticator(login.provider).qr_poll(QrChallenge(login.url, login.key))
        if status.state == "confirmed" and status.login is not None:
            account = await self.accounts.save_login(login.provider, status.login, name)
            return status.state, self._account_view(account)
        return status.state, None

    async def import_cookie(self, text: str, name: str = "", provider: str = "bilibili") -> AccountView:
        result = await self.accounts.authenticator(provider).login_with(LoginMethod.COOKIE, {"cookie": text})
        return self._account_view(await self.accounts.save_login(provider, result, name))

    async def logout(self, account_id: int) -> None:
        await self.accounts.forget(account_id)

    def environment_logins(self) -> list[str]:
        """Providers given a login by environment variable (used, never stored)."""
        return [p.display_name for p in self.registry.all() if self.accounts.env_secret(p) is not None]

    def keyring_status(self) -> KeyringStatus:
        """Whether logins can be kept safely (blocking: call it off the GUI thread)."""
        return self.secrets.check()

    # ------------------------------------------------------------ rounds

    async def sync(self, source_ids: Sequence[int] | None = None) -> RoundResult:
        return await self.rounds.sync(source_ids)

    async def run_daemon(self, stop: asyncio.Event) -> None:
        """Rounds on schedule until `stop` (the window, the daemon); downloads into the library
        that a quit interrupted go on, since no round would run them."""
        if not self.paused:
            await self._restart_downloads(None)
        await self.rounds.run_daemon(stop)

    async def _restart_downloads(self, task_ids: Sequence[int] | None) -> None:
        try:
            await self.playback.restart_downloads(task_ids)
        except Exception:  # noqa: BLE001 - a broken stored task must not stop the schedule or a task verb
            log.exception("downloads into the library could not start again")

    def next_round_at(self) -> datetime | None:
        return self.rounds.next_round_at()

    def cancel_round(self) -> None:
        self.rounds.cancel_round()

    @property
    def paused(self) -> bool:
        return self.rounds.paused

    def pause_all(self) -> None:
        self.rounds.pause_all()
        self.playback.stop_downloads()  # into the library: they stay queued, their .part kept

    def resume_all(self) -> None:
        self.rounds.resume_all()
        if self.rounds.scheduling:
            self._background = asyncio.ensure_future(self._restart_downloads(None))

    @property
    def active_downloads(self) -> int:
        """Top-level tasks being worked on right now."""
        return len(self.running)

    # ------------------------------------------------------------ tasks

    async def tasks(
        self, *, state: str | None = None, source_id: int | None = None, search: str | None = None,
        after_id: int | None = None, limit: int = 200,
    ) -> list[TaskView]:  # fmt: skip
        return await self.tasks_book.list(
            state=state, source_id=source_id, search=search, after_id=after_id, limit=limit
        )

    async def count_tasks(
        self, *, state: str | None = None, source_id: int | None = None, search: str | None = None
    ) -> int:
        return await self.tasks_book.count(state=state, source_id=source_id, search=search)

    async def task_children(self, task_id: int) -> list[TaskView]:
        return await self.tasks_book.children(task_id)

    async def pause_tasks(self, task_ids: Sequence[int]) -> list[int]:
        ids = await self.tasks_book.pause(task_ids)
        await self.playback.downloads_stopped(ids)  # into the library: their .part recorded
        return ids

    async def resume_tasks(self, task_ids: Sequence[int]) -> list[int]:
        """Paused tasks are wanted again; with the schedule running, they download now."""
        ids = await self.tasks_book.resume(task_ids)
        self.rounds.start_tasks(ids)
        if self.rounds.scheduling and not self.paused:  # tasks of no source (downloads into the library): now
            await self._restart_downloads(ids)
        return ids

    async def cancel_tasks(self, task_ids: Sequence[int]) -> list[int]:
        return await self.tasks_book.cancel(task_ids)

    async def retry_tasks(self, task_ids: Sequence[int]) -> list[int]:
        """Failed, paused or cancelled tasks get fresh attempts; with the schedule running, now."""
        ids = await self.tasks_book.retry(task_ids)
        self.rounds.start_tasks(ids)
        if self.rounds.scheduling and not self.paused:
            await self._restart_downloads(ids)
        return ids

    async def reset_tasks(
        self, *, force: bool = False, source_id: int | None = None, key: str | None = None,
        task_ids: Sequence[int] | None = None,
    ) -> int:  # fmt: skip
        if source_id is not None:
            await self.sources_book.require(source_id)
        changed = await self.tasks_book.reset(force=force, source_id=source_id, key=key, task_ids=task_ids)
        if changed and self.rounds.scheduling:
            self.rounds.start_tasks(
                await self.db.run(repo.item_ids, source_id=source_id, key=key, task_ids=task_ids)
            )  # fmt: skip
        return changed

    async def task_folder(self, task_id: int) -> Path | None:
        return await self.tasks_book.folder(task_id)

    # ------------------------------------------------------------ notifications

    async def test_notification(self, channel: str) -> str:
        """Send a test message through one channel ("webhook", "telegram", "email")."""
        return await self.notifier.send_test(channel)

    async def notification_channels(self) -> list[ChannelStatus]:
        return await asyncio.to_thread(self.notifier.statuses)  # the keyring may block

    async def set_notification_secret(self, channel: str, value: str) -> None:
        """The Telegram bot token or the SMTP password, into the keyring ("" deletes it)."""
        await asyncio.to_thread(self.notifier.set_secret, channel, value)

    def notification_language(self) -> str:
        return self.notifier.language()

    # ------------------------------------------------------------ settings, images, status

    async def apply_settings(self, changes: dict[str, object]) -> None:
        """Validate and save settings to the config file the command line reads, then use them."""
        await asyncio.to_thread(save_config, self.config.path, changes)
        fresh = await asyncio.to_thread(self.config.reloaded)
        self.config.values, self.config._mtime = fresh.values, fresh._mtime
        log.info("settings changed: %s", ", ".join(sorted(changes)))  # names only: values may be secrets
        self.bus.publish(StateChanged("settings"))

    async def image(self, url: str) -> bytes:
        """A cover or avatar, through a disk cache in the data folder (GUI thumbnails)."""
        if not url:
            return b""
        cache = self.config.data_dir / "cache" / "images" / (hashlib.sha1(url.encode()).hexdigest() + ".img")
        try:
            return await asyncio.to_thread(cache.read_bytes)
        except OSError:
            pass
        data = b""
        for provider in self.registry.all():  # the first provider that can fetch it
            try:
                data = await provider.fetch_image(await self.accounts.session(provider, None), url)
                break
            except Exception:  # noqa: BLE001 - another provider may serve this host
                continue
        if data:
            await asyncio.to_thread(write_bytes_atomic, cache, data, durable=False)
        return data

    async def status(self) -> dict[str, object]:
        totals = await self.tasks_book.totals()
        rounds = await self.db.run(repo.recent_rounds, 1)
        sources = await self.db.run(repo.list_sources)
        now = utcnow()
        cooling = [
            {"source": s.id, "name": s.name, "until": s.cooldown_until.isoformat()}
            for s in sources
            if s.cooldown_until and s.cooldown_until > now
        ]
        last = rounds[0] if rounds else None
        keyring = self.secrets.check()
        return {
            "data_dir": str(self.config.data_dir),
            "library": str(self.config.library_root),
            "sources": len(sources),
            "enabled_sources": sum(s.enabled for s in sources),
            "tasks": totals,
            "videos": totals,  # the name of earlier releases, for scripts
            "last_round": None
            if last is None
            else {
                "id": last.id,
                "started_at": last.started_at.isoformat(),
                "outcome": last.outcome,
                "new_items": last.new_items,
                "downloaded": last.downloaded,
                "failed": last.failed,
                "api_calls": last.api_calls,
            },  # fmt: skip
            "risk_cooldown": cooling,
            "keyring": keyring.message if not keyring.secure else "secure",
        }
