"""Rounds: scan the due sources, fetch details, download; on schedule or when asked.

A round the user asks for (`syncdeck sync`, Sync now) tries every source it was asked for,
even one cooling down after risk control; scheduled rounds leave a cooling source alone
until its cool-down ends. A round reports "done" (exit 0) only when it went through every
source it took.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from core.config import Config, schedule
from core.config.schedule import Schedule
from core.engine.accounts.book import AccountBook
from core.engine.library.claims import release_shared_files
from core.engine.library.pipeline import ItemJob, PipelineContext, run_all
from core.engine.sync.roundlock import RoundBusyError, RoundLock
from core.engine.sync.scanner import SyncScanner
from core.engine.tasks.running import RunningWork
from core.errors import ConfigError, DiskFullError, LoginExpiredError, RiskControlError, SyncDeckError, TransientError
from core.events import (
    AccountStateChanged,
    Event,
    EventBus,
    RiskControl,
    RoundFinished,
    RoundStarted,
    SourceDownloading,
    SourceIdle,
    SourceScanStarted,
    StateChanged,
)
from core.library.files import LibraryNotWritableError, check_writable
from core.library.media import find_ffmpeg
from core.providers.protocols import Provider, ProviderSession, SourceScanner
from core.providers.registry import ProviderRegistry
from core.store import repo
from core.store.db import Database
from core.store.models import Source, Task, utcnow
from core.tasks import steps as stp

log = logging.getLogger(__name__)

MIN_FREE_BYTES = 200 * 2**20
# The longest cool-down a round sets, whatever the settings say: a date further out cannot be
# stored or computed (datetime ends in year 9999), and ten years is "until reset" already.
MAX_COOLDOWN_S = 10 * 365 * 24 * 3600
FAILURES_SHOWN = 5  # failed items a round names in its summary
DAEMON_TICK = 60.0  # seconds
BUSY_RETRY = 5.0  # seconds


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
        # the same numbers as core/cli/output.py's EXIT_* (this layer does not import the CLI)
        return {"done": 0, "risk_control": 3, "busy": 4}.get(self.outcome, 1)


def free_space(path: Path) -> int:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free


class RoundRunner:
    def __init__(
        self, config: Config, db: Database, bus: EventBus, registry: ProviderRegistry, accounts: AccountBook,
        running: RunningWork,
    ) -> None:  # fmt: skip
        self.config = config
        self.db = db
        self.bus = bus
        self.registry = registry
        self.accounts = accounts
        self.running = running
        self.scanner = SyncScanner(config, db, bus)
        self._round_lock = asyncio.Lock()
        self._current: asyncio.Task[RoundResult] | None = None
        self.last_round_start: datetime | None = None
        self.next_due: datetime | None = None
        self._scheduler_idle = False  # the daemon found no enabled source
        self.paused = False
        # Downloads asked for outside the schedule (resume, retry, reset) start at once when
        # this engine runs its schedule (the window, the daemon); a one-off command's engine
        # leaves them to the next round.
        self._scheduling = False
        self._asked: set[int] = set()  # tasks asked to start, not yet taken up
        self._starter: asyncio.Task[None] | None = None
        # Rounds and started tasks share one cross-process lock, held while any of them runs,
        # and one download gate, so the download limits hold for all of them together.
        self._holders = 0
        self._file_lock: RoundLock | None = None
        self._gate = asyncio.Semaphore(1)
        self._claimed: set[int] = set()  # tasks queued or downloading in this process
        # A source added, enabled or rescheduled wakes the schedule at once instead of at its
        # next minute; one that falls due during a scheduled round joins that round.
        self._wake = asyncio.Event()
        self._round_sources: list[Source] | None = None  # the running scheduled round's queue
        bus.subscribe(self._on_event)

    def _on_event(self, event: Event) -> None:
        if isinstance(event, StateChanged) and event.what in ("sources", "paused"):
            self._wake.set()

    # ------------------------------------------------------------ scheduling

    def source_schedule(self, source: Source) -> Schedule:
        return schedule.source_schedule(self.config["schedule.every"], source)

    def source_next_scan(self, source: Source, now: datetime | None = None) -> datetime | None:
        return schedule.source_next_scan(self.config["schedule.every"], source, now)

    def next_round_at(self) -> datetime | None:
        """When the scheduler runs next: the earliest due source (known once the daemon runs);
        None when the scheduler has nothing to sync."""
        if self.next_due is not None or self._scheduler_idle:
            return self.next_due
        every = Schedule.parse(self.config["schedule.every"])
        return every.next_after(self.last_round_start, utcnow())

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

    # ------------------------------------------------------------ rounds

    async def sync(self, source_ids: Sequence[int] | None = None, *, open_: bool = False) -> RoundResult:
        """Run one round now. A round never overlaps another, in this process or another.
        An `open_` round (the schedule's, or one of every source) takes sources that fall due
        while it runs, such as one just added."""
        if self._round_lock.locked():
            return RoundResult(0, outcome="busy", messages=["a round is already running"])
        async with self._round_lock:
            try:
                self._hold()
            except RoundBusyError as exc:
                return RoundResult(0, outcome="busy", messages=[str(exc)])
            try:
                self._current = asyncio.current_task()  # type: ignore[assignment]
                return await self._round(source_ids, open_ or not source_ids)
            finally:
                self._current = None
                self._round_sources = None
                self._release()

    def _hold(self) -> None:
        """Take the data folder's round lock for a round or started tasks (RoundBusyError when
        another process syncs it); the first holder also sets up the shared download gate."""
        if self._holders == 0:
            lock = RoundLock(self.config.data_dir)
            lock.acquire()
            self._file_lock = lock
            self._gate = asyncio.Semaphore(self.config["limits.videos"])
        self._holders += 1

    def _release(self) -> None:
        self._holders -= 1
        if self._holders == 0 and self._file_lock is not None:
            self._file_lock.release()
            self._file_lock = None

    # ------------------------------------------------------------ tasks started at once

    @property
    def scheduling(self) -> bool:
        """This engine runs its schedule (the window, the daemon)."""
        return self._scheduling

    def start_tasks(self, task_ids: Sequence[int]) -> None:
        """Download these top-level tasks now rather than in the next round: beside a running
        round (sharing its download limits, never a task it already has) or on their own,
        without scanning any source. A source cooling down after risk control keeps its tasks
        until the cool-down ends; with everything paused, nothing starts."""
        if not self._scheduling or self.paused or not task_ids:
            return
        self._asked.update(task_ids)
        if self._starter is None or self._starter.done():
            self._starter = asyncio.ensure_future(self._start_asked())

    async def _start_asked(self) -> None:
        while self._asked and not self.paused:
            ids, self._asked = sorted(self._asked), set()
            try:
                self._hold()
            except RoundBusyError:
                log.info("another SyncDeck process is syncing; %d tasks wait for its round or the next", len(ids))
                return
            try:
                groups: dict[int, list[int]] = {}
                for task in await self.db.run(repo.tasks_by_ids, ids):
                    if task.source_id is not None and task.parent_id is None:
                        groups.setdefault(task.source_id, []).append(task.id or 0)
                await asyncio.gather(*(self._start_for_source(sid, wanted) for sid, wanted in groups.items()))
            finally:
                self._release()

    async def _start_for_source(self, source_id: int, wanted: list[int]) -> None:
        source = await self.db.run(repo.get_source, source_id)
        if source is None:
            return
        if source.cooldown_until is not None and source.cooldown_until > utcnow():
            log.info("%s cools down after risk control; its tasks start when it ends", source.name)
            return
        owed = await self.db.run(repo.downloadable_items, source_id, self.config["limits.attempts"])
        items = [task for task in owed if task.id in wanted]
        if not items:
            return
        try:
            provider = self.registry.for_stored(source.provider)
            session = await self.accounts.session(provider, source.account_id)
            ctx = await self._pipeline(source)
            outcome = {"ok": 0, "failed": 0}
            try:
                await run_all(self._download_one(ctx, provider, session, source, t, outcome, []) for t in items)
            finally:
                await ctx.aclose()
        except RiskControlError as exc:
            await self._risk_control(source, exc, RoundResult(0))
        except LoginExpiredError as exc:
            if source.account_id is not None:
                await self.accounts.mark_expired(source.account_id, str(exc))
            log.warning("%s: %s", source.name, exc)
        except (SyncDeckError, LibraryNotWritableError) as exc:
            log.warning("%s: %s", source.name, exc)

    async def _round(self, source_ids: Sequence[int] | None, open_: bool) -> RoundResult:
        self.last_round_start = utcnow()
        if source_ids:
            for sid in source_ids:
                if await self.db.run(repo.get_source, sid) is None:
                    raise ConfigError(f"there is no source {sid} (see `syncdeck source list`)")
        sources = await self.db.run(repo.list_sources, enabled_only=not source_ids, ids=source_ids)
        random.shuffle(sources)  # no source starves behind a big one
        if open_:
            self._round_sources = sources
        record = await self.db.run(repo.start_round, len(sources))
        result = RoundResult(record.id or 0)
        calls_before = self.accounts.api_calls
        log.info("round %s started: %d sources", result.round_id, len(sources))
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
        log.info(
            "round %s finished: %s, %d new, %d downloaded, %d failed, %d removed upstream",
            result.round_id, result.outcome, result.new_items, result.downloaded, result.failed, result.removed,
        )  # fmt: skip
        self.bus.publish(
            RoundFinished(result.round_id, result.outcome, result.downloaded, result.failed, result.new_items)
        )

    async def _run_sources(self, sources: list[Source], result: RoundResult) -> None:
        checked: dict[tuple[str, int | None], bool] = {}
        # A scheduled round's list may grow while it runs (a source added meanwhile).
        index = 0
        while index < len(sources):
            source = sources[index]
            index += 1
            self.bus.publish(SourceScanStarted(source.id or 0))
            try:
                if await self._run_source(source, result, checked):
                    return
            finally:
                self.bus.publish(SourceIdle(source.id or 0))

    async def _run_source(
        self, source: Source, result: RoundResult, checked: dict[tuple[str, int | None], bool]
    ) -> bool:
        """One source's turn; True when the whole round has to stop."""
        provider = self.registry.for_stored(source.provider)
        if not isinstance(provider, SourceScanner):
            result.outcome = "failed"
            result.messages.append(f"{source.name}: {provider.display_name} cannot scan sources")
            return False
        if not await self._login_ok(provider, source, checked, result):
            return False
        session = await self.accounts.session(provider, source.account_id)
        # the schedule counts from this turn, whether or not the scan succeeds…
        await self.db.run(repo.update_source, source.id, last_scan_at=utcnow())
        try:
            await self._one_source(provider, session, source, result)
            if source.cooldown_level:
                await self.db.run(repo.update_source, source.id, cooldown_level=0, cooldown_until=None)
        except asyncio.CancelledError:
            # …but a turn cut short (Ctrl+C, SIGTERM, a stopping daemon) is no turn: the next
            # start takes the source at once instead of a whole interval later
            await self.db.run(repo.update_source, source.id, last_scan_at=source.last_scan_at)
            raise
        except RiskControlError as exc:
            await self._risk_control(source, exc, result)
            return True  # the whole round stops: continuing would only deepen the block
        except LoginExpiredError as exc:
            if source.account_id is not None:
                await self.accounts.mark_expired(source.account_id, str(exc))
            checked[(provider.name, source.account_id)] = False
            result.outcome = "login_expired"
            result.messages.append(f"{source.name}: {exc}")
        except (DiskFullError, LibraryNotWritableError) as exc:
            # every further write would fail the same way: one message, no attempt spent
            result.outcome = "failed"
            result.messages.append(str(exc))
            log.info("round stopped: %s", exc)  # the round's summary says it to the person
            return True
        except (TransientError, SyncDeckError) as exc:
            await self.db.run(repo.update_source, source.id, last_error=str(exc))
            result.failed += 1
            result.messages.append(f"{source.name}: {exc}")
        return False

    async def _one_source(
        self, provider: Provider, session: ProviderSession, source: Source, result: RoundResult
    ) -> None:
        assert isinstance(provider, SourceScanner)
        periodic = self.scanner.periodic_check_due(source)
        report = await self.scanner.scan(provider, session, source, periodic=periodic)
        log.info("%s scanned: %d new, %d removed upstream", source.name, len(report.new_ids), report.removed)
        result.new_items += len(report.new_ids)
        result.removed += report.removed
        await self.scanner.fill_details(provider, session, source)
        if periodic:
            await self.scanner.check_new_parts(provider, session, source)
        downloaded, failed, reasons = await self._download_source(provider, session, source)
        result.downloaded += downloaded
        result.failed += failed
        shown = sum(1 for m in result.messages if m.startswith("failed: "))
        result.messages += [f"failed: {reason}" for reason in reasons[: max(FAILURES_SHOWN - shown, 0)]]

    async def _login_ok(
        self, provider: Provider, source: Source, checked: dict[tuple[str, int | None], bool], result: RoundResult
    ) -> bool:
        key = (provider.name, source.account_id)
        if key not in checked:
            try:
                await self.accounts.check(provider, source.account_id)
                checked[key] = True
            except LoginExpiredError as exc:
                checked[key] = False
                result.outcome = "login_expired"
                result.messages.append(f"login expired: {exc}")
                if source.account_id is None:  # accounts publish their own event when marked expired
                    self.bus.publish(AccountStateChanged(0, "expired", str(exc)))
            except RiskControlError as exc:
                checked[key] = False
                await self._risk_control(source, exc, result)
        if not checked[key]:
            await self.db.run(repo.update_source, source.id, last_error="login expired: log in again")
            if result.outcome == "done":
                result.outcome = "failed"
        return checked[key]

    async def _risk_control(self, source: Source, exc: RiskControlError, result: RoundResult) -> None:
        level = source.cooldown_level + 1
        base, ceiling = self.config["risk.cooldown_s"], self.config["risk.cooldown_max_s"]
        seconds = max(0, min(base * 2 ** min(level - 1, 64), ceiling, MAX_COOLDOWN_S))
        until = utcnow() + timedelta(seconds=seconds)
        await self.db.run(
            repo.update_source, source.id, cooldown_level=level, cooldown_until=until,
            last_error=f"risk control: {exc.reason}",
        )  # fmt: skip
        # Failures counted before the block may have been its symptoms: those start over.
        await self.db.run(repo.reset_steps, "interrupted", source_id=source.id)
        result.outcome = "risk_control"
        result.messages.append(f"risk control on {source.name}: {exc.reason}; cooling down {seconds}s")
        log.warning("risk control (%s) on %s; round stopped, cooling down %ss", exc.reason, source.name, seconds)
        self.bus.publish(RiskControl(source.id or 0, exc.reason, until))

    async def _download_source(
        self, provider: Provider, session: ProviderSession, source: Source
    ) -> tuple[int, int, list[str]]:
        """Download the source's owed items: (items done, items failed, why they failed)."""
        cfg = self.config
        if released := await self.db.run(release_shared_files, source.id):
            log.warning("%s: %d parts shared a file with another part; downloading them again", source.name, released)
        items = await self.db.run(repo.downloadable_items, source.id, cfg["limits.attempts"])
        if not items:
            return 0, 0, []
        ctx = await self._pipeline(source)
        self.bus.publish(SourceDownloading(source.id or 0, len(items)))
        outcome = {"ok": 0, "failed": 0}
        reasons: list[str] = []
        try:
            await run_all(self._download_one(ctx, provider, session, source, t, outcome, reasons) for t in items)
        finally:
            await ctx.aclose()
        failed_now = await self.db.run(repo.count_tasks, state="failed", source_id=source.id)
        return outcome["ok"], max(outcome["failed"], failed_now), reasons

    async def _pipeline(self, source: Source) -> PipelineContext:
        """What downloading into the source's folder needs, after checking it can take files."""
        free = await asyncio.to_thread(free_space, Path(source.path))
        if free < MIN_FREE_BYTES:
            raise DiskFullError(f"only {free // 2**20} MiB free for {source.path}; downloads stopped")
        await asyncio.to_thread(check_writable, Path(source.path))
        ffmpeg = await asyncio.to_thread(find_ffmpeg, self.config["ffmpeg.path"])
        return PipelineContext(self.config, self.db, self.bus, ffmpeg)

    async def _download_one(
        self, ctx: PipelineContext, provider: Provider, session: ProviderSession, source: Source, task: Task,
        outcome: dict[str, int], reasons: list[str],
    ) -> None:  # fmt: skip
        task_id = task.id or 0
        if task_id in self._claimed:
            return  # already queued or downloading here (a round and a resume asked for it both)
        self._claimed.add(task_id)
        try:
            async with self._gate:
                if self.paused:
                    return
                job = ItemJob(ctx, source, task, provider, session)
                work = asyncio.ensure_future(job.run(self.config["limits.pages"]))
                self.running.started(task_id, work)
                try:
                    ok = await work
                except asyncio.CancelledError:
                    if asyncio.current_task().cancelling():  # type: ignore[union-attr]
                        raise
                    return  # this one item was paused or cancelled
                finally:
                    self.running.ended(task_id, [p.id for p in job.parts])
        finally:
            self._claimed.discard(task_id)
        if ok:
            outcome["ok"] += 1
        elif job.failures or stp.finished(job.steps):  # a step failed now, or gave up before
            outcome["failed"] += 1
            if job.failures:
                reasons.append(f"{task.title}: {job.failures[0]}")

    # ------------------------------------------------------------ the daemon

    async def run_daemon(self, stop: asyncio.Event) -> None:
        """Rounds on schedule until `stop` is set; a running round is cancelled cleanly.

        Each source follows its own schedule (or the global one); a round takes every source
        that is due. The loop wakes at least once a minute to notice new sources and settings.
        """
        self._scheduling = True
        try:
            await self._schedule(stop)
        finally:
            self._scheduling = False
            if self._starter is not None:
                self._starter.cancel()
                await asyncio.gather(self._starter, return_exceptions=True)

    async def _schedule(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self._wake.clear()  # before looking: a change from now on wakes the next wait
            self._reload_config()
            due, upcoming = await self.due_sources()
            if due and not self.paused:
                self.next_due = utcnow()
                await self._scheduled_round(due, stop)
                continue
            self.next_due = upcoming
            self._scheduler_idle = upcoming is None and not due
            delay = (upcoming - utcnow()).total_seconds() if upcoming else DAEMON_TICK
            await _first(stop, self._wake, timeout=min(max(delay, 0.05), DAEMON_TICK))

    async def _scheduled_round(self, source_ids: list[int], stop: asyncio.Event) -> None:
        round_task = asyncio.create_task(self.sync(source_ids, open_=True))
        stop_task = asyncio.create_task(stop.wait())
        while True:
            self._wake.clear()
            wake_task = asyncio.create_task(self._wake.wait())
            done, _ = await asyncio.wait({round_task, stop_task, wake_task}, return_when=asyncio.FIRST_COMPLETED)
            wake_task.cancel()
            if wake_task not in done or round_task in done or stop_task in done:
                break
            await self._join_due()
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
        result = round_task.result()
        if result.outcome not in ("done", "busy"):  # no one reads a summary here: the log says it
            log.warning("round %s %s: %s", result.round_id, result.outcome, "; ".join(result.messages))
        if result.outcome == "busy":  # another round (manual, or another process) runs
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=BUSY_RETRY)

    async def _join_due(self) -> None:
        """Sources that fell due while the scheduled round runs (one just added) join it."""
        queue = self._round_sources
        if queue is None or self.paused:
            return
        due, _ = await self.due_sources()
        taken = {s.id for s in queue}
        fresh = [sid for sid in due if sid not in taken]
        if fresh:
            queue.extend(await self.db.run(repo.list_sources, enabled_only=True, ids=fresh))

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

    def cancel_round(self) -> None:
        if self._current is not None:
            self._current.cancel()

    def pause_all(self) -> None:
        """No new downloads start and the running round stops; .part files are kept."""
        self.paused = True
        self.cancel_round()
        if self._starter is not None:
            self._starter.cancel()
        self.bus.publish(StateChanged("paused"))

    def resume_all(self) -> None:
        self.paused = False
        self.bus.publish(StateChanged("paused"))


async def _first(*events: asyncio.Event, timeout: float) -> None:
    """Wait until one of the events is set, or the timeout passes."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
