"""The engine: everything the command line and the desktop window can do, as async methods.

One instance per process. It owns the database, the Bilibili clients, the event bus and the
round scheduler; callers never touch providers or SQLite directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import hashlib
import logging
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from core.config import Config, save_config
from core.engine.accounts import AccountBook
from core.engine.filters import parse_rules
from core.engine.notify import Notifier
from core.engine.pipeline import PipelineContext, VideoJob, run_all, stream_prefs, unfinished_files
from core.engine.roundlock import RoundBusyError, RoundLock
from core.engine.scan import SourceScanner
from core.engine.schedule import Schedule
from core.errors import (
    ConfigError,
    DiskFullError,
    LoginExpiredError,
    RiskControlError,
    SyncDeckError,
    TransientError,
)
from core.events import EventBus, LoginExpired, RiskControl, RoundFinished, RoundStarted, StateChanged
from core.library.files import write_bytes_atomic
from core.library.media import find_ffmpeg
from core.library.naming import render, resolve_inside
from core.providers.bilibili import api, login
from core.providers.bilibili.links import resolve_link
from core.providers.bilibili.models import SourceInfo, SourceKind
from core.secrets import SecretStore
from core.store import repo
from core.store.db import Database
from core.store.models import Account, Page, Source, Video, utcnow

log = logging.getLogger(__name__)


class Auto(enum.Enum):
    """Marks an argument left to the engine (e.g. which account a new source uses)."""

    AUTO = "auto"


AUTO = Auto.AUTO
MIN_FREE_BYTES = 200 * 2**20
DAEMON_TICK = 60.0  # seconds
BUSY_RETRY = 5.0  # seconds

KIND_FOLDERS = {
    SourceKind.FAVORITE: "收藏夹",
    SourceKind.COLLECTION: "合集",
    SourceKind.SERIES: "列表",
    SourceKind.SUBMISSION: "投稿",
    SourceKind.WATCH_LATER: "稍后再看",
    SourceKind.BANGUMI: "番剧",
}


@dataclass
class RoundResult:
    round_id: int
    outcome: str = "done"  # done | failed | risk_control | login_expired | cancelled | busy
    new_items: int = 0
    downloaded: int = 0
    failed: int = 0
    removed: int = 0
    api_calls: int = 0
    messages: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return {"done": 0, "risk_control": 3}.get(self.outcome, 1)


@dataclass(frozen=True)
class SourceView:
    source: Source
    account: str
    done: int
    pending: int
    failed: int
    removed: int
    skipped: int
    next_scan: datetime | None


class Engine:
    def __init__(self, config: Config, *, secrets: SecretStore | None = None, bus: EventBus | None = None) -> None:
        self.config = config
        self.bus = bus or EventBus()
        self.secrets = secrets or SecretStore()
        self.db = Database(config.database_path)
        self.accounts = AccountBook(config, self.db, self.secrets, self.bus)
        self.scanner = SourceScanner(config, self.db, self.bus)
        self.notifier = Notifier(config, self.secrets, self.bus)
        self._round_lock = asyncio.Lock()
        self._current: asyncio.Task[RoundResult] | None = None
        self._video_tasks: dict[int, asyncio.Task[bool]] = {}
        self.last_round_start: datetime | None = None
        self.next_due: datetime | None = None
        self._scheduler_idle = False  # the daemon found no enabled source
        self.paused = False

    async def close(self) -> None:
        await self.notifier.close()
        await self.accounts.close()
        await asyncio.to_thread(self.db.close)

    # ------------------------------------------------------------ sources

    async def preview_link(self, text: str, account_id: int | None = None) -> SourceInfo:
        """What a pasted link points at (title, owner, count, cover), without adding it."""
        client = await self.accounts.client(account_id)
        ref = await resolve_link(client, text)
        return await api.describe_source(client, ref)

    async def add_source(
        self,
        text: str,
        *,
        path: str | None = None,
        name: str | None = None,
        account_id: int | None | Auto = AUTO,
        rules: str | None = None,
        schedule: str = "",
    ) -> Source:
        """Add a source from a link. `account_id`: an account, None for none (public lists), or
        AUTO: the only account when there is exactly one."""
        if isinstance(account_id, Auto):
            accounts = await self.db.run(repo.list_accounts)
            account_id = accounts[0].id if len(accounts) == 1 else None
        elif account_id is not None and await self.db.run(repo.get_account, account_id) is None:
            raise ConfigError(f"there is no account {account_id} (see `syncdeck account list`)")
        info = await self.preview_link(text, account_id)
        ref = info.ref
        if ref.kind is SourceKind.WATCH_LATER and account_id is None and self.accounts.env_credential is None:
            raise ConfigError("watch later needs a logged-in account: run `syncdeck login bilibili --qr` first")
        existing = await self.db.run(repo.get_source_by_key, ref.key)
        if existing is not None:
            raise ConfigError(f"this source is already added as #{existing.id} ({existing.name})")
        title = name or info.title or ref.key
        folder = Path(path).expanduser() if path else self.default_folder(ref.kind, title)
        rule_json = parse_rules(rules).to_json() if rules else ""
        if schedule.strip():
            Schedule.parse(schedule.strip())
        source = Source(
            kind=ref.kind.value, key=ref.key, name=title, path=str(folder.resolve()),
            account_id=account_id, rules=rule_json, schedule=schedule.strip(),
        )  # fmt: skip
        source = await self.db.run(repo.add_source, source)
        self.bus.publish(StateChanged("sources", (source.id or 0,)))
        return source

    def default_folder(self, kind: SourceKind, title: str) -> Path:
        """Where a new source goes when no folder is given: <library>/<kind>/<name>."""
        template = self.config["library.bangumi_name"] if kind is SourceKind.BANGUMI else "{{name}}"
        name = render(template, {"name": title, "series_title": title})
        return resolve_inside(self.config.library_root, f"{KIND_FOLDERS[kind]}/{name}")

    async def sources(self) -> list[SourceView]:
        sources = await self.db.run(repo.list_sources)
        counts = await self.db.run(repo.source_counts)
        accounts = {a.id: a.name for a in await self.db.run(repo.list_accounts)}
        return [
            SourceView(
                s,
                accounts.get(s.account_id, "") if s.account_id else "",
                *_counts(counts.get(s.id or 0)),
                self.source_next_scan(s),
            )  # fmt: skip
            for s in sources
        ]

    async def set_enabled(self, source_id: int, enabled: bool) -> None:
        await self._require_source(source_id)
        await self.db.run(repo.update_source, source_id, enabled=enabled)
        self.bus.publish(StateChanged("sources", (source_id,)))

    async def update_source(
        self, source_id: int, *, name: str | None = None, path: str | None = None, rules: str | None = None,
        account_id: int | None | Auto = AUTO, schedule: str | None = None,
    ) -> None:  # fmt: skip
        """Change what is given; `account_id=None` unbinds the account, AUTO keeps it."""
        await self._require_source(source_id)
        fields: dict[str, object] = {}
        if schedule is not None:
            if schedule.strip():
                Schedule.parse(schedule.strip())  # a clear ConfigError for a bad interval or cron
            fields["schedule"] = schedule.strip()
        if name:
            fields["name"] = name
        if path:
            fields["path"] = str(Path(path).expanduser().resolve())
        if rules is not None:
            fields["rules"] = parse_rules(rules).to_json() if rules.strip() else ""
        if not isinstance(account_id, Auto):
            if account_id is not None and await self.db.run(repo.get_account, account_id) is None:
                raise ConfigError(f"there is no account {account_id} (see `syncdeck account list`)")
            fields["account_id"] = account_id
        await self.db.run(repo.update_source, source_id, **fields)
        self.bus.publish(StateChanged("sources", (source_id,)))

    async def remove_source(self, source_id: int, *, delete_files: bool = False) -> None:
        source = await self._require_source(source_id)
        paths = await self.db.run(repo.delete_source, source_id)
        if delete_files:
            from core.library.files import remove_tree_inside

            for rel in paths:
                remove_tree_inside(source.path, rel)
        self.bus.publish(StateChanged("sources", (source_id,)))

    async def _require_source(self, source_id: int) -> Source:
        source = await self.db.run(repo.get_source, source_id)
        if source is None:
            raise ConfigError(f"there is no source {source_id} (see `syncdeck source list`)")
        return source

    # ------------------------------------------------------------ accounts

    async def qr_login_start(self) -> login.QrTicket:
        client = self.accounts.anonymous()
        try:
            return await login.qr_generate(client)
        finally:
            await client.aclose()

    async def qr_login_poll(self, key: str, name: str = "") -> tuple[str, Account | None]:
        client = self.accounts.anonymous()
        try:
            poll = await login.qr_poll(client, key)
        finally:
            await client.aclose()
        if poll.state == "confirmed" and poll.credential is not None:
            return poll.state, await self.accounts.save_login(poll.credential, name)
        return poll.state, None

    async def import_cookie(self, text: str, name: str = "") -> Account:
        return await self.accounts.save_login(login.parse_cookie_text(text), name)

    async def list_accounts(self) -> list[Account]:
        return await self.db.run(repo.list_accounts)

    async def logout(self, account_id: int) -> None:
        await self.accounts.forget(account_id)

    # ------------------------------------------------------------ rounds

    def next_round_at(self) -> datetime | None:
        """When the scheduler runs next: the earliest due source (known once the daemon runs);
        None when the scheduler has nothing to sync."""
        if self.next_due is not None or self._scheduler_idle:
            return self.next_due
        schedule = Schedule.parse(self.config["schedule.every"])
        return schedule.next_after(self.last_round_start, utcnow())

    def source_schedule(self, source: Source) -> Schedule:
        return Schedule.parse(source.schedule or self.config["schedule.every"])

    def source_next_scan(self, source: Source, now: datetime | None = None) -> datetime | None:
        if not source.enabled:
            return None
        return self.source_schedule(source).next_after(source.last_scan_at, now or utcnow())

    async def due_sources(self) -> tuple[list[int], datetime | None]:
        """Enabled sources whose schedule says "now", and when the next one falls due."""
        now = utcnow()
        due, upcoming = [], None
        for source in await self.db.run(repo.list_sources, enabled_only=True):
            at = self.source_next_scan(source, now)
            if at is None:
                continue
            if at <= now:
                due.append(source.id or 0)
            elif upcoming is None or at < upcoming:
                upcoming = at
        return due, upcoming

    async def sync(self, source_ids: Sequence[int] | None = None) -> RoundResult:
        """Run one round now. A round never overlaps another, in this process or another."""
        if self._round_lock.locked():
            return RoundResult(0, outcome="busy", messages=["a round is already running"])
        async with self._round_lock:
            lock = RoundLock(self.config.data_dir)
            try:
                lock.acquire()
            except RoundBusyError as exc:
                return RoundResult(0, outcome="busy", messages=[str(exc)])
            try:
                self._current = asyncio.current_task()  # type: ignore[assignment]
                return await self._round(source_ids)
            finally:
                self._current = None
                lock.release()

    async def _round(self, source_ids: Sequence[int] | None) -> RoundResult:
        self.last_round_start = utcnow()
        if source_ids:
            for sid in source_ids:
                await self._require_source(sid)
        sources = await self.db.run(repo.list_sources, enabled_only=not source_ids, ids=source_ids)
        random.shuffle(sources)  # no source starves behind a big one
        record = await self.db.run(repo.start_round, len(sources))
        result = RoundResult(record.id or 0)
        calls_before = self.accounts.api_calls
        self.bus.publish(RoundStarted(result.round_id, tuple(s.id or 0 for s in sources)))
        try:
            await self._run_sources(sources, result)
        except asyncio.CancelledError:
            result.outcome = "cancelled"
            result.messages.append("round cancelled")
            await self._finish(result, calls_before)
            raise
        await self._finish(result, calls_before)
        return result

    async def _finish(self, result: RoundResult, calls_before: int) -> None:
        result.api_calls = self.accounts.api_calls - calls_before
        if result.outcome == "done" and result.failed:
            result.outcome = "failed"
        await self.db.run(
            repo.finish_round, result.round_id, outcome=result.outcome, new_items=result.new_items,
            downloaded=result.downloaded, failed=result.failed, api_calls=result.api_calls,
            message="; ".join(result.messages)[:2000],
        )  # fmt: skip
        self.bus.publish(
            RoundFinished(result.round_id, result.outcome, result.downloaded, result.failed, result.new_items)
        )

    async def _run_sources(self, sources: list[Source], result: RoundResult) -> None:
        checked: dict[int | None, bool] = {}
        for source in sources:
            if not await self._login_ok(source, checked, result):
                continue
            client = await self.accounts.client(source.account_id)
            # the schedule counts from this turn, whether or not the scan succeeds
            await self.db.run(repo.update_source, source.id, last_scan_at=utcnow())
            periodic = self.scanner.periodic_check_due(source)
            try:
                report = await self.scanner.scan(source, client, periodic=periodic)
                result.new_items += len(report.new_ids)
                result.removed += report.removed
                await self.scanner.fill_details(source, client)
                if periodic:
                    await self.scanner.check_new_parts(source, client)
                if source.cooldown_until and source.cooldown_until > utcnow():
                    result.messages.append(f"{source.name}: cooling down until {source.cooldown_until:%H:%M} UTC")
                    continue
                downloaded, failed = await self._download_source(source, client)
                result.downloaded += downloaded
                result.failed += failed
                if source.cooldown_level:
                    await self.db.run(repo.update_source, source.id, cooldown_level=0, cooldown_until=None)
            except RiskControlError as exc:
                await self._risk_control(source, exc, result)
                return  # the whole round stops: continuing would only deepen the block
            except LoginExpiredError as exc:
                if source.account_id is not None:
                    await self.accounts.mark_expired(source.account_id, str(exc))
                checked[source.account_id] = False
                result.outcome = "login_expired"
                result.messages.append(f"{source.name}: {exc}")
            except DiskFullError as exc:
                result.outcome = "failed"
                result.messages.append(str(exc))
                return
            except (TransientError, SyncDeckError) as exc:
                await self.db.run(repo.update_source, source.id, last_error=str(exc))
                result.failed += 1
                result.messages.append(f"{source.name}: {exc}")

    async def _login_ok(self, source: Source, checked: dict[int | None, bool], result: RoundResult) -> bool:
        key = source.account_id
        if key not in checked:
            try:
                await self.accounts.check(key)
                checked[key] = True
            except LoginExpiredError as exc:
                checked[key] = False
                result.outcome = "login_expired"
                result.messages.append(f"login expired: {exc}")
                if key is None:  # accounts publish their own event when marked expired
                    self.bus.publish(LoginExpired(0, str(exc)))
            except RiskControlError as exc:
                checked[key] = False
                await self._risk_control(source, exc, result)
        if not checked[key]:
            await self.db.run(repo.update_source, source.id, last_error="login expired: log in again")
        return checked[key]

    async def _risk_control(self, source: Source, exc: RiskControlError, result: RoundResult) -> None:
        level = source.cooldown_level + 1
        seconds = min(self.config["risk.cooldown_s"] * 2 ** (level - 1), self.config["risk.cooldown_max_s"])
        until = utcnow() + timedelta(seconds=seconds)
        await self.db.run(
            repo.update_source, source.id, cooldown_level=level, cooldown_until=until,
            last_error=f"risk control: {exc.reason}",
        )  # fmt: skip
        # Failures counted before the block may have been its symptoms: those start over.
        await self.db.run(repo.reset_statuses, "interrupted", source_id=source.id)
        result.outcome = "risk_control"
        result.messages.append(f"risk control on {source.name}: {exc.reason}; cooling down {seconds}s")
        log.warning("risk control (%s) on %s; round stopped, cooling down %ss", exc.reason, source.name, seconds)
        self.bus.publish(RiskControl(source.id or 0, exc.reason, until))

    async def _download_source(self, source: Source, client) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        cfg = self.config
        videos = await self.db.run(repo.downloadable_videos, source.id, cfg["limits.attempts"])
        if not videos:
            return 0, 0
        free = await asyncio.to_thread(free_space, Path(source.path))
        if free < MIN_FREE_BYTES:
            raise DiskFullError(f"only {free // 2**20} MiB free for {source.path}; downloads stopped")
        ffmpeg = await asyncio.to_thread(find_ffmpeg, cfg["ffmpeg.path"])
        ctx = PipelineContext(cfg, self.db, self.bus, ffmpeg, stream_prefs(cfg))
        gate = asyncio.Semaphore(cfg["limits.videos"])
        outcome = {"ok": 0, "failed": 0}

        async def one(video) -> None:  # type: ignore[no-untyped-def]
            async with gate:
                if self.paused:
                    return
                job = VideoJob(ctx, source, video, client)
                task = asyncio.ensure_future(job.run(cfg["limits.pages"]))
                self._video_tasks[video.id] = task
                try:
                    ok = await task
                except asyncio.CancelledError:
                    if asyncio.current_task().cancelling():  # type: ignore[union-attr]
                        raise
                    return  # this one video was paused or cancelled
                finally:
                    self._video_tasks.pop(video.id, None)
                if ok:
                    outcome["ok"] += 1
                elif job.status & (1 << 31):
                    outcome["failed"] += 1

        await run_all(one(video) for video in videos)
        failed_now = await self.db.run(repo.list_video_rows, state="failed", source_id=source.id, limit=100000)
        return outcome["ok"], max(outcome["failed"], len([r for r in failed_now if not r.removed]))

    async def run_daemon(self, stop: asyncio.Event) -> None:
        """Rounds on schedule until `stop` is set; a running round is cancelled cleanly.

        Each source follows its own schedule (or the global one); a round takes every source
        that is due. The loop wakes at least once a minute to notice new sources and settings.
        """
        while not stop.is_set():
            self._reload_config()
            due, upcoming = await self.due_sources()
            if due and not self.paused:
                self.next_due = utcnow()
                await self._scheduled_round(due, stop)
                continue
            self.next_due = upcoming
            self._scheduler_idle = upcoming is None and not due
            delay = (upcoming - utcnow()).total_seconds() if upcoming else DAEMON_TICK
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(max(delay, 0.05), DAEMON_TICK))

    async def _scheduled_round(self, source_ids: list[int], stop: asyncio.Event) -> None:
        round_task = asyncio.create_task(self.sync(source_ids))
        stop_task = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({round_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
        stop_task.cancel()
        if round_task not in done:
            round_task.cancel()
            await asyncio.gather(round_task, return_exceptions=True)
            return
        if round_task.cancelled():
            return
        if round_task.exception() is not None:
            log.error("round failed", exc_info=round_task.exception())
            await asyncio.sleep(1)  # never spin on a persistent error
            return
        r = round_task.result()
        if r.outcome == "busy":  # another round (a manual one, or another process) is running
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=BUSY_RETRY)
            return
        log.info(
            "round %s: %s, %d new, %d downloaded, %d failed", r.round_id, r.outcome, r.new_items, r.downloaded, r.failed
        )

    def _reload_config(self) -> None:
        if not self.config.file_changed():
            return
        try:
            fresh = self.config.reloaded()
        except ConfigError as exc:
            log.error("config file changed but is invalid, keeping the old settings: %s", exc)
            return
        self.config.values, self.config._mtime = fresh.values, fresh._mtime
        log.info("config reloaded from %s", self.config.path)

    @property
    def active_downloads(self) -> int:
        """Videos downloading right now."""
        return len(self._video_tasks)

    def cancel_round(self) -> None:
        if self._current is not None:
            self._current.cancel()

    # ------------------------------------------------------------ tasks

    async def tasks(
        self, *, state: str | None = None, source_id: int | None = None, search: str | None = None,
        after_id: int | None = None, limit: int = 200,
    ) -> list[repo.VideoRow]:  # fmt: skip
        return await self.db.run(
            repo.list_video_rows,
            state=state,
            source_id=source_id,
            search=search,
            after_id=after_id,
            limit=limit,
        )

    async def video_pages(self, video_id: int) -> list:  # type: ignore[type-arg]
        return await self.db.run(repo.pages_of, video_id)

    async def reset(
        self, *, force: bool = False, source_id: int | None = None, bvid: str | None = None,
        video_ids: Sequence[int] | None = None,
    ) -> int:  # fmt: skip
        if source_id is not None:
            await self._require_source(source_id)
        changed = await self.db.run(
            repo.reset_statuses,
            "force" if force else "failed",
            source_id=source_id,
            bvid=bvid,
            video_ids=video_ids,
        )
        self.bus.publish(StateChanged("videos"))
        return changed

    async def count_tasks(
        self, *, state: str | None = None, source_id: int | None = None, search: str | None = None
    ) -> int:
        return await self.db.run(repo.count_video_rows, state=state, source_id=source_id, search=search)

    async def video_folder(self, video_id: int) -> Path | None:
        """The folder a video's files are in (None until its first file was written)."""
        video = await self.db.run(repo.get_video, video_id)
        if video is None or not video.path:
            return None
        source = await self.db.run(repo.get_source, video.source_id)
        return None if source is None else Path(source.path) / video.path

    async def image(self, url: str) -> bytes:
        """A cover or avatar, through a disk cache in the data folder (GUI thumbnails)."""
        if not url:
            return b""
        cache = self.config.data_dir / "cache" / "images" / (hashlib.sha1(url.encode()).hexdigest() + ".img")
        try:
            return await asyncio.to_thread(cache.read_bytes)
        except OSError:
            pass
        client = await self.accounts.client(None)
        data = await api.fetch_image(client, url)
        await asyncio.to_thread(write_bytes_atomic, cache, data, durable=False)
        return data

    async def cancel_videos(self, video_ids: Sequence[int]) -> None:
        """Stop and drop: partial files are deleted and the video is skipped until retried."""
        await self.pause_videos(video_ids)
        for vid in video_ids:
            video = await self.db.run(repo.get_video, vid)
            source = None if video is None else await self.db.run(repo.get_source, video.source_id)
            if video is not None and source is not None:
                pages = await self.db.run(repo.pages_of, vid)
                await asyncio.to_thread(_delete_unfinished, self.config, source, video, pages)
            await self.db.run(repo.update_video, vid, should_download=False, paused=False, last_error="cancelled")
        self.bus.publish(StateChanged("videos", tuple(video_ids)))

    async def retry_videos(self, video_ids: Sequence[int]) -> None:
        """Failed sub-tasks get fresh attempts, paused or cancelled videos are wanted again."""
        await self.db.run(repo.reset_statuses, "failed", video_ids=video_ids)
        for vid in video_ids:
            await self.db.run(repo.update_video, vid, paused=False, should_download=True, last_error="")
        self.bus.publish(StateChanged("videos", tuple(video_ids)))

    def pause_all(self) -> None:
        """No new downloads start and the running round stops; .part files are kept."""
        self.paused = True
        self.cancel_round()
        self.bus.publish(StateChanged("paused"))

    def resume_all(self) -> None:
        self.paused = False
        self.bus.publish(StateChanged("paused"))

    async def test_notification(self, channel: str) -> str:
        """Send a test message through one notification channel: "sent to …" or an error."""
        return await self.notifier.send_test(channel)

    async def apply_settings(self, changes: dict[str, object]) -> None:
        """Validate and save settings to the config file the command line reads, then use them."""
        await asyncio.to_thread(save_config, self.config.path, changes)
        fresh = await asyncio.to_thread(self.config.reloaded)
        self.config.values, self.config._mtime = fresh.values, fresh._mtime
        self.bus.publish(StateChanged("settings"))

    async def pause_videos(self, video_ids: Sequence[int]) -> None:
        for vid in video_ids:
            await self.db.run(repo.update_video, vid, paused=True)
            task = self._video_tasks.get(vid)
            if task is not None:
                task.cancel()  # the downloader keeps its .part files; resume continues them
        self.bus.publish(StateChanged("videos", tuple(video_ids)))

    async def resume_videos(self, video_ids: Sequence[int]) -> None:
        for vid in video_ids:
            await self.db.run(repo.update_video, vid, paused=False)
        self.bus.publish(StateChanged("videos", tuple(video_ids)))

    async def status(self) -> dict[str, object]:
        totals = await self.db.run(repo.state_totals)
        rounds = await self.db.run(repo.recent_rounds, 1)
        sources = await self.db.run(repo.list_sources)
        now = utcnow()
        cooling = [
            {"source": s.id, "name": s.name, "until": s.cooldown_until.isoformat()}
            for s in sources
            if s.cooldown_until and s.cooldown_until > now
        ]
        last = rounds[0] if rounds else None
        return {
            "data_dir": str(self.config.data_dir),
            "library": str(self.config.library_root),
            "sources": len(sources),
            "enabled_sources": sum(s.enabled for s in sources),
            "videos": totals,
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
            "keyring": self.secrets.check().message if not self.secrets.check().secure else "secure",
        }


def _counts(counts: repo.SourceCounts | None) -> tuple[int, int, int, int, int]:
    c = counts or repo.SourceCounts()
    return c.done, c.pending, c.failed, c.removed, c.skipped


def _delete_unfinished(config: Config, source: Source, video: Video, pages: list[Page]) -> None:
    for path in unfinished_files(config, source, video, pages):
        path.unlink(missing_ok=True)


def free_space(path: Path) -> int:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free
